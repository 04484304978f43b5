"""A rejected call raises before ``forward`` runs, on every path (issue 26 item 6):
the first call of a class, the guarded fast path after many calls, the Python tests
of a module with Optional ports, and the reference checker."""

from typing import Optional

import pytest
import torch
from torch import Tensor, nn

from neuraltypes import NeuralModule, NeuralTypeError, typecheck
from neuraltypes._runtime import guards

from .models import Lens, Spec, lens, spec


def counting() -> NeuralModule:
    """A module of a new class (its first call is the class's first), that counts
    its runs and keeps BatchNorm statistics (both change when forward runs)."""

    class Counting(NeuralModule):
        def __init__(self) -> None:
            super().__init__()
            self.runs = 0
            self.norm = nn.BatchNorm1d(8)

        @typecheck()
        def forward(self, x: Spec, length: Lens) -> tuple[Spec, Lens]:
            self.runs += 1
            return self.norm(x), length * 1

    return Counting()


def counting_optional() -> NeuralModule:
    class CountingOptional(NeuralModule):
        def __init__(self) -> None:
            super().__init__()
            self.runs = 0
            self.norm = nn.BatchNorm1d(8)

        @typecheck()
        def forward(self, x: Spec, mask: Optional[Lens] = None) -> Spec:
            self.runs += 1
            return self.norm(x)

    return CountingOptional()


def snapshot(m: nn.Module) -> tuple[int, Tensor, Tensor, int]:
    norm = m.norm  # type: ignore[union-attr]
    return (
        m.runs,  # type: ignore[return-value]
        norm.running_mean.clone(),
        norm.running_var.clone(),
        int(norm.num_batches_tracked),
    )


def assert_unchanged(before: tuple[int, Tensor, Tensor, int], m: nn.Module) -> None:
    after = snapshot(m)
    assert after[0] == before[0], "forward ran"
    assert torch.equal(after[1], before[1]) and torch.equal(after[2], before[2])
    assert after[3] == before[3]


BAD_CALLS = {
    "batch": lambda: (spec(batch=3), lens()),
    "rank": lambda: (torch.randn(2, 8), lens()),
    "not a tensor": lambda: ([1.0, 2.0], lens()),
    "length rank": lambda: (spec(), torch.zeros(2, 1)),
}


@pytest.mark.parametrize("calls_before", [0, 1, 50])
@pytest.mark.parametrize("bad", sorted(BAD_CALLS))
def test_a_rejected_call_never_runs_forward(calls_before: int, bad: str) -> None:
    m = counting()
    for _ in range(calls_before):  # 0: the first call; 50: the guarded fast path
        m(spec(), lens())
    if calls_before == 50:
        assert type(m).forward.__neuraltypes__.guards.pair[0][0] is not guards.never
    before = snapshot(m)
    with pytest.raises(NeuralTypeError):
        m(*BAD_CALLS[bad]())
    assert_unchanged(before, m)


def test_a_wrong_element_type_never_runs_forward() -> None:
    m = counting()
    for _ in range(5):
        m(spec(), lens())
    x = spec()
    x.neural_type = type(m).forward.__neuraltypes__.base.outputs[1].port.type.leaf  # lengths
    before = snapshot(m)
    with pytest.raises(NeuralTypeError, match='port "x"'):
        m(x, lens())
    assert_unchanged(before, m)


@pytest.mark.parametrize("calls_before", [0, 1, 50])
def test_a_rejected_call_with_optional_ports_never_runs_forward(calls_before: int) -> None:
    m = counting_optional()
    for i in range(calls_before):
        m(spec(), lens() if i % 2 else None)
    for args in ((spec(batch=3), lens()), (spec(), torch.zeros(2, 2)), (torch.zeros(2, 8),)):
        before = snapshot(m)
        with pytest.raises(NeuralTypeError):
            m(*args)
        assert_unchanged(before, m)


def test_a_rejected_call_in_shapes_only_mode_never_runs_forward() -> None:
    m = counting()
    for _ in range(5):
        m(spec(), lens())
    before = snapshot(m)
    with typecheck.disable_semantic_checks(), pytest.raises(NeuralTypeError):
        m(spec(batch=3), lens())
    assert_unchanged(before, m)
