"""mypy wall time with and without the neuraltypes plugin.

Run: ``python benchmarks/plugin_overhead.py [--modules 200] [--rounds 5] [--corpora]``.

Projects: a generated project of ``--modules`` annotated modules (aliases, typed
NeuralModules, wiring functions), and with ``--corpora`` the real code of
``benchmarks/real_code.py`` (downloaded). For each, torch is analysed once into a
base cache (one per configuration, since the plugin is part of the cache key);
then, in interleaved rounds, each configuration runs **cold** (a copy of its base
cache: torch cached, project not) and **warm** (the same run again, nothing
changed). Prints medians and the with/without ratios.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def mypy(folder: Path, cache: Path, plugin: bool, target: list[str]) -> float:
    # one config file per configuration, shared by the base cache and every run
    config = Path(tempfile.gettempdir()) / (
        "nt-bench-plugin.ini" if plugin else "nt-bench-plain.ini"
    )
    extra = "plugins = neuraltypes_mypy\n" if plugin else ""
    config.write_text(f"[mypy]\nignore_missing_imports = True\nfollow_imports = silent\n{extra}")
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(config), "--cache-dir", str(cache),
         "--no-error-summary", *target],
        cwd=folder, capture_output=True, check=False,
    )  # fmt: skip
    return time.perf_counter() - start


def measure(name: str, folder: Path, target: list[str], work: Path, rounds: int) -> None:
    bases = {}
    for plugin in (False, True):
        base = work / f"{name}-base-{plugin}" / "cache"
        base.parent.mkdir(parents=True)
        probe = work / f"{name}-probe"
        probe.mkdir(exist_ok=True)
        (probe / "probe.py").write_text("import torch\nimport neuraltypes\n")
        mypy(probe, base, plugin, ["probe.py"])  # torch (and neuraltypes) into the cache
        bases[plugin] = base
    times: dict[tuple[bool, str], list[float]] = {}
    for r in range(rounds):
        for plugin in (False, True):
            cache = work / f"{name}-run{r}-{plugin}" / "cache"
            shutil.copytree(bases[plugin], cache)
            times.setdefault((plugin, "cold"), []).append(mypy(folder, cache, plugin, target))
            times.setdefault((plugin, "warm"), []).append(mypy(folder, cache, plugin, target))
    for kind in ("cold", "warm"):
        plain = statistics.median(times[(False, kind)])
        plug = statistics.median(times[(True, kind)])
        print(f"{name:24s} {kind}: without {plain:6.2f} s, with plugin {plug:6.2f} s, "
              f"ratio {plug / plain:5.3f}x  ({rounds} interleaved rounds, medians)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--modules", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpora", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        project = work / "project"
        generate(project, args.modules)
        measure(f"generated ({args.modules} modules)", project, ["."], work, args.rounds)
        if args.corpora:
            sys.path.insert(0, str(Path(__file__).parent))
            from real_code import CORPORA, fetch

            corpora = Path(tempfile.gettempdir()) / "nt-corpora"
            corpora.mkdir(exist_ok=True)
            for spec, package in CORPORA.items():
                folder = fetch(spec, corpora)
                measure(spec, folder, ["-p", package], work, args.rounds)


if __name__ == "__main__":
    main()
