"""Real jaxtyping + torch code nobody here wrote, through mypy with and without the plugin.

Run: ``python benchmarks/real_code.py [--workdir DIR]``. Downloads the PyPI wheels
transformer-lens 2.18.0, linear-operator 0.5.3 and nerfstudio 1.1.5 (``pip download --no-deps``),
unpacks them, and runs ``mypy --ignore-missing-imports --follow-imports=silent -p
<package>`` from the unpacked folder, once without and once with the plugin. Each
run starts from a copy of a cache that holds only what the package imports from
the environment (torch, jaxtyping, ...), analysed once per configuration, so the
package itself is always checked from scratch: the plugin's hooks really run.

Then a module with a wiring bug is added to each corpus, calling the corpus's own
functions with the wrong ranks, and the plugin must report exactly those errors.

Prints, per corpus: error counts, exit statuses, crashes (a traceback, "INTERNAL
ERROR" or an exit status other than 0/1), neural-internal reports, and every error
line the plugin added or removed. The plugin must add no errors but the verified
real findings listed in :data:`FINDINGS`, remove none, and cause no crash; the exit
status is 1 otherwise. CI does not run this (it
downloads).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

CORPORA = {
    "transformer-lens==2.18.0": "transformer_lens",
    "linear-operator==0.5.3": "linear_operator",
    "nerfstudio==1.1.5": "nerfstudio",
}
#: what the corpora import from the environment, analysed into the base caches
PROBE = "import torch\nimport jaxtyping\nimport numpy\nimport typing_extensions\n"

#: A wiring bug added to each corpus (a module calling its own functions with the
#: wrong ranks, and Int token ids where Float logits are declared): proof that the
#: plugin reads the corpus's annotations. The line
#: numbers and codes of the errors it must report, and nothing else.
BUGS = {
    "transformer_lens": (
        """\
import torch
from jaxtyping import Float, Int

from transformer_lens.utils import lm_accuracy, sample_logits


def probe(logits: Float[torch.Tensor, "b p v"], tokens: Int[torch.Tensor, "b p"]) -> None:
    lm_accuracy(tokens, tokens)
    sample_logits(logits)
    lm_accuracy(logits, tokens)
""",
        [(8, "neural-axes"), (9, "neural-axes")],  # line 8: one error (axes, then dtype)
    ),
    "linear_operator": (
        """\
import torch
from jaxtyping import Float

from linear_operator.operators import LinearOperator


def probe(op: LinearOperator, v: Float[torch.Tensor, "n"], ok: Float[torch.Tensor, "n c"]) -> None:
    op._solve(v)
    op._solve(ok)
""",
        [(8, "neural-axes")],
    ),
    "nerfstudio": (
        """\
import torch
from jaxtyping import Bool, Float

from nerfstudio.utils.colormaps import apply_float_colormap
from nerfstudio.utils.math import masked_reduction


def probe(depth: Float[torch.Tensor, "h w 1"], mask: Bool[torch.Tensor, "1 32 mult"]) -> None:
    apply_float_colormap(depth)
    masked_reduction(depth[0], mask, "image")
    apply_float_colormap(mask)
""",
        [(10, "neural-axes"), (11, "neural-element")],
    ),
}


#: Neural errors the plugin reports in the corpora's own code that are real: each
#: was checked by hand against jaxtyping's runtime check (``jaxtyped`` + beartype),
#: which rejects the same call. (file:line, code) -> why. Anything else the plugin
#: adds is a false positive and fails the benchmark.
FINDINGS = {
    ("transformer_lens/components/abstract_attention.py:362", "neural-axes"): (
        "_apply_qk_norm passes x.reshape(-1, d_head), rank 2, to RMSNorm.forward, "
        'declared Float[Tensor, "batch pos length"]: jaxtyping refuses the call'
    ),
    ("transformer_lens/components/grouped_query_attention.py:203", "neural-axes"): (
        "the same reshape(-1, d_head) into RMSNorm.forward, in the grouped-query attention"
    ),
    ("nerfstudio/exporter/texture_utils.py:359", "neural-axes"): (
        "faces, rank 2, into unwrap_mesh_with_xatlas, whose faces annotation "
        '"num_faces 3 torch.long" declares 3 axes (torch.long is a symbolic size)'
    ),
    ("nerfstudio/model_components/losses.py:375", "neural-axes"): (
        'torch.sum(mask, (1, 2)) of a "1 32 mult" tensor, rank 1, into masked_reduction\'s '
        '"1 32 mult" mask: jaxtyping refuses the call'
    ),
    ("nerfstudio/model_components/losses.py:458", "neural-axes"): (
        "the same reductions, rank 1, into masked_reduction's input_tensor and mask"
    ),
}


def fetch(spec: str, workdir: Path) -> Path:
    """The unpacked wheel of ``spec`` (downloaded once)."""
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


def config_file(workdir: Path, plugin: bool) -> Path:
    """One config file per configuration, shared by its base cache and every run (a
    config at another path would invalidate the cache)."""
    path = workdir / ("plugin.ini" if plugin else "plain.ini")
    path.write_text("[mypy]\n" + ("plugins = neuraltypes_mypy\n" if plugin else ""))
    return path


def mypy(folder: Path, cache: Path, config: Path, target: list[str]) -> tuple[float, int, str]:
    cmd = [
        sys.executable, "-m", "mypy", "--config-file", str(config), "--cache-dir", str(cache),
        "--ignore-missing-imports", "--follow-imports=silent", "--no-error-summary",
        "--hide-error-context", "--no-pretty", "--show-traceback", *target,
    ]  # fmt: skip
    env = {**os.environ, "MYPY_FORCE_COLOR": "0"}
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, proc.returncode, proc.stdout + proc.stderr


def base_cache(workdir: Path, plugin: bool) -> Path:
    """A cache holding the environment's packages, analysed once per configuration."""
    base = workdir / f"base-{'plugin' if plugin else 'plain'}"
    if base.exists():
        shutil.rmtree(base)
    probe = workdir / "probe"
    probe.mkdir(exist_ok=True)
    (probe / "probe.py").write_text(PROBE)
    mypy(probe, base, config_file(workdir, plugin), ["probe.py"])
    return base


def errors(output: str) -> list[str]:
    return sorted(line for line in output.splitlines() if ": error: " in line)


def check(spec: str, package: str, workdir: Path, bases: dict[bool, Path]) -> bool:
    """Both runs over one corpus; True when the plugin changed nothing and ran cleanly."""
    folder = fetch(spec, workdir)
    results = {}
    for plugin in (False, True):
        cache = workdir / f"run-{package}-{plugin}"
        if cache.exists():
            shutil.rmtree(cache)
        shutil.copytree(bases[plugin], cache)
        config = config_file(workdir, plugin)
        results[plugin] = mypy(folder, cache, config, ["-p", package])
    (t_plain, rc_plain, plain), (t_plug, rc_plug, plug) = results[False], results[True]
    added = sorted(set(errors(plug)) - set(errors(plain)))
    found = [line for line in added if _finding(line) in FINDINGS]
    added = [line for line in added if _finding(line) not in FINDINGS]
    removed = sorted(set(errors(plain)) - set(errors(plug)))
    crashed = rc_plug not in (0, 1) or "Traceback" in plug or "INTERNAL ERROR" in plug
    internal = [line for line in errors(plug) if "[neural-internal]" in line]
    neural = [line for line in errors(plug) if "[neural-" in line]
    print(
        f"{spec}: without plugin {len(errors(plain))} errors (exit {rc_plain}, {t_plain:.1f} s); "
        f"with plugin {len(errors(plug))} errors (exit {rc_plug}, {t_plug:.1f} s); "
        f"added {len(added)}, removed {len(removed)}, neural {len(neural)}, "
        f"neural-internal {len(internal)}, crashed: {crashed}"
    )
    for line in found:
        print(f"  finding: {line}\n           (real: {FINDINGS[_finding(line)]})")
    for line in added:
        print(f"  added:   {line}")
    for line in removed:
        print(f"  removed: {line}")
    if crashed:
        print(plug[-3000:])
    return not (added or removed or crashed)


def _finding(line: str) -> tuple[str, str]:
    """(file:line, code) of an error line."""
    where = ":".join(line.split(":", 2)[:2])
    return where, line.rsplit("[", 1)[-1].rstrip("]")


def bug_is_caught(spec: str, package: str, workdir: Path, base: Path) -> bool:
    """The corpus plus :data:`BUGS`' module, with the plugin: exactly those errors."""
    source, expected = BUGS[package]
    folder = workdir / f"bug-{package}"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(fetch(spec, workdir), folder)
    (folder / package / "_neuraltypes_bug.py").write_text(source)
    cache = workdir / f"run-bug-{package}"
    if cache.exists():
        shutil.rmtree(cache)
    shutil.copytree(base, cache)
    _, _, out = mypy(folder, cache, config_file(workdir, True), ["-p", package])
    found = []
    for line in errors(out):
        if "[neural-" in line and _finding(line) not in FINDINGS:
            where, _, rest = line.partition(": error: ")
            code = rest.rsplit("[", 1)[1].rstrip("]")
            found.append((where, int(where.rsplit(":", 1)[1]), code))
    in_bug = all("_neuraltypes_bug" in where for where, _, _ in found)
    ok = in_bug and [(number, code) for _, number, code in found] == expected
    print(f"{spec}: wiring bug added, plugin reports {len(found)} of {len(expected)} "
          f"expected neural errors: {'OK' if ok else 'WRONG'}")  # fmt: skip
    for line in errors(out):
        if "[neural-" in line:
            print(f"  {line}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "nt-corpora")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    for spec in CORPORA:
        fetch(spec, args.workdir)
    bases = {plugin: base_cache(args.workdir, plugin) for plugin in (False, True)}
    ok = all([check(spec, package, args.workdir, bases) for spec, package in CORPORA.items()])
    ok &= all([bug_is_caught(spec, p, args.workdir, bases[True]) for spec, p in CORPORA.items()])
    print(
        "OK: the plugin added nothing but the known findings, and removed nothing"
        if ok
        else "FAILED"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
