"""mypy wall time with and without the neuraltypes plugin.

Run: ``python benchmarks/plugin_overhead.py [--modules 200] [--rounds 5] [--corpora]
[--instructions]``.

Projects: a generated project of ``--modules`` annotated modules (aliases, typed
NeuralModules, wiring functions), and with ``--corpora`` the real code of
``benchmarks/real_code.py`` (downloaded). For each, torch is analysed once into a
base cache (one per configuration, since the plugin is part of the cache key);
then, in interleaved rounds, each configuration runs **cold** (a copy of its base
cache: torch cached, project not) and **warm** (the same run again, nothing
changed). Every timed run starts after a sync, so that no run pays for writing
back an earlier run's cache files, and the two configurations take turns going
first (measured: with the plain run always first and no sync, the warm ratio,
where the plugin does almost nothing, came out at 1.10x). Prints medians of wall
and CPU time (the mypy process's user + system time, which other load on the
machine disturbs less) and the with/without ratios.

With ``--instructions`` (valgrind installed), one more cold run of each
configuration is counted in instructions (see ``instructions.py``): a ratio that
other load on the machine does not move.

The plugin and the core are byte-compiled first, as installing the wheel does: an
editable install under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile them from
source in every run (about 30 ms, which is not the plugin's cost in a user's CI).
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import instructions  # noqa: E402 - a sibling script, found through the path above

TYPES = """\
from typing import Annotated
from torch import Tensor
from neuraltypes.elements import AcousticEncodedRepresentation, LengthsType, SpectrogramType

Spec = Annotated[Tensor, "B D T", SpectrogramType]
Lens = Annotated[Tensor, "B", LengthsType]
Enc = Annotated[Tensor, "B D T", AcousticEncodedRepresentation]
"""

MODULE = """\
from typing import Annotated
import torch
from torch import Tensor, nn
from neuraltypes import NeuralModule, typecheck
from neuraltypes.elements import SpectrogramType
from bench_types import Enc, Lens, Spec
{import_prev}

class Block{i}(NeuralModule):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv1d(8, 8, 3, padding=1)

    @typecheck()
    def forward(self, x: Spec, length: Lens) -> tuple[Enc, Lens]:
        return self.conv(x), length


def helper{i}(x: Annotated[Tensor, "B D=8 T", SpectrogramType]) -> Spec:
    return x * 2


def wire{i}(block: Block{i}, x: Spec, n: Lens) -> Enc:
    y = helper{i}(x)
    out, lens = block(y, n)
    {use_prev}
    return out
"""


def generate(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    (folder / "bench_types.py").write_text(TYPES)
    for i in range(count):
        prev = i - 1
        (folder / f"bench_mod{i}.py").write_text(
            MODULE.format(
                i=i,
                import_prev=f"from bench_mod{prev} import Block{prev}" if i else "",
                use_prev=f"Block{prev}()(x, lens)" if i else "pass",
            )
        )


def byte_compile() -> None:
    """Write the .pyc files of the plugin and the core, as a wheel install does."""
    for package in ("neuraltypes", "neuraltypes_mypy"):
        spec = importlib.util.find_spec(package)
        assert spec is not None and spec.submodule_search_locations, package
        for folder in spec.submodule_search_locations:
            compileall.compile_dir(folder, quiet=1)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def mypy(folder: Path, cache: Path, plugin: bool, target: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one mypy run (after the writes of earlier runs have
    reached the disk, so that writing them back does not land in this run's time)."""
    os.sync()
    start, cpu = time.perf_counter(), _cpu()
    subprocess.run(
        mypy_command(cache, plugin, target), cwd=folder, capture_output=True, check=False
    )
    return time.perf_counter() - start, _cpu() - cpu


def mypy_command(cache: Path, plugin: bool, target: list[str]) -> list[str]:
    # one config file per configuration, shared by the base cache and every run (a
    # config at another path would invalidate the cache)
    config = Path(tempfile.gettempdir()) / (
        "nt-bench-plugin.ini" if plugin else "nt-bench-plain.ini"
    )
    extra = "plugins = neuraltypes_mypy\n" if plugin else ""
    config.write_text(f"[mypy]\nignore_missing_imports = True\nfollow_imports = silent\n{extra}")
    return [sys.executable, "-m", "mypy", "--config-file", str(config), "--cache-dir",
            str(cache), "--no-error-summary", *target]  # fmt: skip


def measure(
    name: str, folder: Path, target: list[str], work: Path, rounds: int, count: bool
) -> None:
    bases = {}
    for plugin in (False, True):
        base = work / f"{name}-base-{plugin}" / "cache"
        base.parent.mkdir(parents=True)
        probe = work / f"{name}-probe"
        probe.mkdir(exist_ok=True)
        (probe / "probe.py").write_text("import torch\nimport neuraltypes\n")
        mypy(probe, base, plugin, ["probe.py"])  # torch (and neuraltypes) into the cache
        bases[plugin] = base
    times: dict[tuple[bool, str], list[tuple[float, float]]] = {}
    for r in range(rounds):
        caches = {}
        for plugin in (False, True):
            caches[plugin] = work / f"{name}-run{r}-{plugin}" / "cache"
            shutil.copytree(bases[plugin], caches[plugin])
        # the configurations take turns going first: neither pays more for running
        # first in a round
        for plugin in (False, True) if r % 2 == 0 else (True, False):
            cache = caches[plugin]
            times.setdefault((plugin, "cold"), []).append(mypy(folder, cache, plugin, target))
            times.setdefault((plugin, "warm"), []).append(mypy(folder, cache, plugin, target))
        shutil.rmtree(caches[False].parent)
        shutil.rmtree(caches[True].parent)
    for kind in ("cold", "warm"):
        for i, clock in enumerate(("wall", "cpu")):
            plain = statistics.median(t[i] for t in times[(False, kind)])
            plug = statistics.median(t[i] for t in times[(True, kind)])
            print(
                f"{name:24s} {kind} {clock:4s}: without {plain:6.2f} s, with plugin "
                f"{plug:6.2f} s, ratio {plug / plain:5.3f}x  ({rounds} rounds, medians)"
            )
    if count:
        counts: dict[tuple[bool, str], int] = {}
        for plugin in (False, True):
            cache = work / f"{name}-count-{plugin}" / "cache"
            shutil.copytree(bases[plugin], cache)
            for kind in ("cold", "warm"):  # the same cache: the second run is warm
                command = mypy_command(cache, plugin, target)
                counts[(plugin, kind)] = instructions.count(command, folder)
        for kind in ("cold", "warm"):
            plain, plug = counts[(False, kind)], counts[(True, kind)]
            print(
                f"{name:24s} {kind} instructions: without {plain / 1e9:6.3f} G, with plugin "
                f"{plug / 1e9:6.3f} G, ratio {plug / plain:5.3f}x"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--modules", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpora", action="store_true")
    parser.add_argument("--instructions", action="store_true", help="also count (valgrind)")
    args = parser.parse_args()
    if args.instructions and not instructions.available():
        parser.error("--instructions needs valgrind")
    byte_compile()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        project = work / "project"
        generate(project, args.modules)
        measure(
            f"generated ({args.modules} modules)",
            project,
            ["."],
            work,
            args.rounds,
            args.instructions,
        )
        if args.corpora:
            from real_code import CORPORA, fetch

            corpora = Path(tempfile.gettempdir()) / "nt-corpora"
            corpora.mkdir(exist_ok=True)
            for spec, package in CORPORA.items():
                folder = fetch(spec, corpora)
                measure(spec, folder, ["-p", package], work, args.rounds, args.instructions)


if __name__ == "__main__":
    main()
