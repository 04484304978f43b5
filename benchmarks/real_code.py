"""Real jaxtyping + torch code nobody here wrote, through mypy with and without the plugin.

Run: ``python benchmarks/real_code.py [--workdir DIR]``. Downloads the PyPI wheels
transformer-lens 2.18.0 and linear-operator 0.5.3 (``pip download --no-deps``),
unpacks them, and runs ``mypy --ignore-missing-imports --follow-imports=silent`` over
each package from the unpacked folder, once without and once with the plugin (each
with its own cache). Prints error counts, crashes, and any error the plugin added or
removed. The plugin must add 0 errors and cause 0 crashes. CI does not run this (it
downloads).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

CORPORA = {
    "transformer-lens==2.18.0": "transformer_lens",
    "linear-operator==0.5.3": "linear_operator",
}


def fetch(spec: str, workdir: Path) -> Path:
    dest = workdir / spec.replace("==", "-")
    if not dest.exists():
        wheels = workdir / "wheels"
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(wheels), spec],
            check=True,
        )
        name = spec.split("==")[0].replace("-", "_")
        wheel = next(wheels.glob(f"{name}-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(dest)
    return dest


def run(folder: Path, package: str, cache: Path, plugin: bool) -> tuple[float, int, str]:
    config = cache.parent / ("plugin.ini" if plugin else "plain.ini")
    config.write_text("[mypy]\n" + ("plugins = neuraltypes_mypy\n" if plugin else ""))
    cmd = [
        sys.executable, "-m", "mypy", "--config-file", str(config), "--cache-dir", str(cache),
        "--ignore-missing-imports", "--follow-imports=silent", "--no-error-summary",
        "--hide-error-context", "--no-pretty", "--show-traceback", "-p", package,
    ]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=folder, capture_output=True, text=True)
    return time.perf_counter() - start, proc.returncode, proc.stdout + proc.stderr


def errors(output: str) -> set[str]:
    return {line for line in output.splitlines() if ": error: " in line}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "nt-corpora")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    failed = False
    for spec, package in CORPORA.items():
        folder = fetch(spec, args.workdir)
        caches = args.workdir / f"cache-{package}"
        caches.mkdir(exist_ok=True)
        t_plain, rc_plain, plain = run(folder, package, caches / "plain", plugin=False)
        t_plug, rc_plug, plug = run(folder, package, caches / "plugin", plugin=True)
        added = sorted(errors(plug) - errors(plain))
        removed = sorted(errors(plain) - errors(plug))
        crashed = rc_plug not in (0, 1) or "Traceback" in plug or "INTERNAL ERROR" in plug
        print(
            f"{spec}: without plugin {len(errors(plain))} errors (exit {rc_plain}, "
            f"{t_plain:.1f} s); with plugin {len(errors(plug))} errors (exit {rc_plug}, "
            f"{t_plug:.1f} s); added {len(added)}, removed {len(removed)}, crashed: {crashed}"
        )
        for line in added:
            print(f"  added:   {line}")
        for line in removed:
            print(f"  removed: {line}")
        if crashed:
            print(plug[-3000:])
        failed |= bool(added) or crashed
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
