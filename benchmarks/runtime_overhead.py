"""Per-call overhead of @typecheck() against a plain module and against jaxtyping.

Run: ``python benchmarks/runtime_overhead.py [--rounds 21] [--calls 20000]
[--instructions]``.

A module with 2 tensor inputs and 2 tensor outputs (a trivial body) is called many
times, in interleaved rounds, in one process:

- plain ``nn.Module``: the baseline;
- ``@typecheck()`` checked, inputs tagged as an upstream checked module leaves them;
- ``@typecheck()`` checked, inputs untagged (a plain tensor from a data loader);
- ``@typecheck()`` with checks disabled (``typecheck.disable_checks()``);
- NeMo-style ports (``input_types``/``output_types`` properties), checked;
- the peer ``@jaxtyped(typechecker=beartype)`` with the same axes.

Prints, for each, the median and the best (fastest) round's microseconds per call
and the overhead over plain (best minus best: the figure least disturbed by other
load on the machine, as ``timeit`` recommends).

With ``--instructions`` (valgrind installed) it also counts, for each variant, the
instructions one call executes (two runs of the variant alone, with few and many
calls, differenced): a ratio that other load on the machine cannot move. Only the
calls are counted: valgrind runs uninstrumented (fast) through torch's import and
the first calls, and the child turns instrumentation on around the measured ones
(``callgrind_control``).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import torch
from beartype import beartype
from jaxtyping import Float, Int, jaxtyped
from torch import Tensor, nn

from neuraltypes import NeuralModule, NeuralType, typecheck
from neuraltypes.elements import AcousticEncodedRepresentation, LengthsType, SpectrogramType

sys.path.insert(0, str(Path(__file__).parent))
import instructions  # noqa: E402 - a sibling script, found through the path above

_COLLECTED = re.compile(r"Collected : (\d+)")

Spec = Annotated[Tensor, "B D T", SpectrogramType]
Lens = Annotated[Tensor, "B", LengthsType]
Enc = Annotated[Tensor, "B D T", AcousticEncodedRepresentation]


class Plain(nn.Module):
    def forward(self, x: Tensor, length: Tensor) -> tuple[Tensor, Tensor]:
        return x.detach(), length.detach()


class Checked(NeuralModule):
    @typecheck()
    def forward(self, x: Spec, length: Lens) -> tuple[Enc, Lens]:  # 2 in, 2 out
        return x.detach(), length.detach()


class NemoStyle(NeuralModule):
    @property
    def input_types(self) -> dict[str, NeuralType]:
        return {
            "x": NeuralType(("B", "D", "T"), SpectrogramType()),
            "length": NeuralType(tuple("B"), LengthsType()),
        }

    @property
    def output_types(self) -> dict[str, NeuralType]:
        return {
            "encoded": NeuralType(("B", "D", "T"), AcousticEncodedRepresentation()),
            "encoded_len": NeuralType(tuple("B"), LengthsType()),
        }

    @typecheck()
    def forward(self, x: Tensor, length: Tensor) -> tuple[Tensor, Tensor]:
        return x.detach(), length.detach()


class Jax(nn.Module):
    @jaxtyped(typechecker=beartype)
    def forward(
        self, x: Float[Tensor, "b d t"], length: Int[Tensor, " b"]
    ) -> tuple[Float[Tensor, "b d t"], Int[Tensor, " b"]]:
        return x.detach(), length.detach()


def per_call(module: nn.Module, x: Tensor, length: Tensor, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        module(x, length)
    return (time.perf_counter() - start) / n * 1e6


def disabled(module: nn.Module, x: Tensor, length: Tensor, n: int) -> float:
    with typecheck.disable_checks():
        return per_call(module, x, length, n)


def make_variants(n: int) -> dict[str, Callable[[], float]]:
    """Each variant: a function making ``n`` calls (fewer for the slow peer)."""
    torch.set_num_threads(1)
    x, length = torch.randn(4, 80, 100), torch.full((4,), 100)
    bare_x, bare_length = x.clone(), length.clone()
    plain, checked, nemo, jax = Plain(), Checked(), NemoStyle(), Jax()
    ports = checked.input_types or {}  # inputs tagged as an upstream module tags them
    x.neural_type = ports["x"]  # type: ignore[attr-defined]
    length.neural_type = ports["length"]  # type: ignore[attr-defined]
    return {
        "plain nn.Module": lambda: per_call(plain, x, length, n),
        "@typecheck() checked": lambda: per_call(checked, x, length, n),
        "  inputs untagged": lambda: per_call(checked, bare_x, bare_length, n),
        "@typecheck() disabled": lambda: disabled(checked, x, length, n),
        "NeMo-style properties": lambda: per_call(nemo, x, length, n),
        "jaxtyping + beartype": lambda: per_call(jax, x, length, calls_of("jaxtyping", n)),
    }


def calls_of(variant: str, n: int) -> int:
    """The calls a round of ``variant`` makes (the slow peer makes fewer)."""
    return max(n // 20, 100) if "jaxtyping" in variant else n


def count_instructions() -> None:
    """Instructions per call of each variant, and the overhead over plain."""
    few, many = 1000, 11000  # calls per run (see calls_of)
    per: dict[str, float] = {}
    for index, name in enumerate(make_variants(0)):
        runs = []
        for calls in (few, many):
            runs.append(
                _count_calls([sys.executable, __file__, "--run-variant", str(index), str(calls)])
            )
        made = calls_of(name, many) - calls_of(name, few)
        per[name] = (runs[1] - runs[0]) / made
    base = per["plain nn.Module"]
    print(f"{'variant':24s} {'instructions/call':>18s} {'overhead':>9s} {'ratio':>6s}")
    for name, value in per.items():
        print(f"{name:24s} {value:18.0f} {value - base:+9.0f} {value / base:5.2f}x")


def _count_calls(command: list[str]) -> int:
    """The instructions ``command`` executes while it has instrumentation on."""
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null"]
        + command,
        capture_output=True,
        text=True,
        env={**os.environ, "OMP_NUM_THREADS": "1", "PYTHONHASHSEED": "0"},
        check=False,
    )
    found = _COLLECTED.search(proc.stderr)
    if found is None:
        raise RuntimeError(f"valgrind gave no count:\n{proc.stderr[-2000:]}")
    return int(found.group(1))


def _instrumented(on: bool) -> None:
    """Turn valgrind's instrumentation of this process on or off."""
    switch = ["callgrind_control", "-i", "on" if on else "off", str(os.getpid())]
    subprocess.run(switch, capture_output=True, check=False)


def main(rounds: int, n: int) -> None:
    variants = make_variants(n)
    for run in variants.values():  # warm up (first calls build the checkers)
        run()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, run in variants.items():
            samples[name].append(run())
    base = statistics.median(samples["plain nn.Module"])
    best_base = min(samples["plain nn.Module"])
    print(f"torch {torch.__version__}, {rounds} interleaved rounds of {n} calls")
    print(
        f"{'variant':24s} {'median':>8s} {'overhead':>9s} {'ratio':>6s}"
        f" {'best':>8s} {'overhead':>9s}   (us/call)"
    )
    for name, values in samples.items():
        med, best = statistics.median(values), min(values)
        print(
            f"{name:24s} {med:8.2f} {med - base:+9.2f} {med / base:5.2f}x"
            f" {best:8.2f} {best - best_base:+9.2f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--calls", type=int, default=20000, help="calls per round")
    parser.add_argument("--instructions", action="store_true", help="also count (valgrind)")
    parser.add_argument("--run-variant", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_variant:  # a child of --instructions: one variant, once
        index, calls = args.run_variant
        variant = list(make_variants(calls).values())[index]
        variant()  # the first calls build the checkers and guards: not counted
        _instrumented(True)
        variant()
        _instrumented(False)
    else:
        if args.instructions and not instructions.available():
            parser.error("--instructions needs valgrind")
        main(args.rounds, args.calls)
        if args.instructions:
            count_instructions()
