"""Per-call overhead of @typecheck() against a plain module and against jaxtyping.

Run: ``python benchmarks/runtime_overhead.py``. A module with 2 tensor inputs
(tagged, as an upstream checked module leaves them) and 2 tensor outputs (a trivial
body) is called many times in interleaved rounds, in one process: plain
``nn.Module``; ``@typecheck()``; ``@typecheck()`` with checks disabled; and the
peer ``@jaxtyped(typechecker=beartype)`` with the same axes.
Prints the median microseconds per call and each variant's overhead over plain.
"""

from __future__ import annotations

import statistics
import time
from typing import Annotated

import torch
from beartype import beartype
from jaxtyping import Float, Int, jaxtyped
from torch import Tensor, nn

from neuraltypes import NeuralModule, typecheck
from neuraltypes.elements import AcousticEncodedRepresentation, LengthsType, SpectrogramType

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


def main(rounds: int = 15, n: int = 4000) -> None:
    x, length = torch.randn(4, 80, 100), torch.full((4,), 100)
    plain, checked, jax = Plain(), Checked(), Jax()
    # inputs carry tags, as they do when an upstream checked module produced them
    ports = checked.input_types or {}
    x.neural_type = ports["x"]  # type: ignore[attr-defined]
    length.neural_type = ports["length"]  # type: ignore[attr-defined]

    def disabled(m: nn.Module, a: Tensor, b: Tensor, k: int) -> float:
        with typecheck.disable_checks():
            return per_call(m, a, b, k)

    variants = {
        "plain nn.Module": lambda: per_call(plain, x, length, n),
        "@typecheck() checked": lambda: per_call(checked, x, length, n),
        "@typecheck() disabled": lambda: disabled(checked, x, length, n),
        "jaxtyping + beartype": lambda: per_call(jax, x, length, n // 4),
    }
    for run in variants.values():  # warm up
        run()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, run in variants.items():
            samples[name].append(run())
    base = statistics.median(samples["plain nn.Module"])
    print(f"{'variant':24s} {'us/call':>9s} {'overhead':>10s} {'ratio':>7s}")
    for name, values in samples.items():
        med = statistics.median(values)
        print(f"{name:24s} {med:9.2f} {med - base:+10.2f} {med / base:7.2f}x")


if __name__ == "__main__":
    main()
