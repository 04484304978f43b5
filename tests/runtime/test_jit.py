"""torch.jit.trace and torch.jit.script over neural modules: checks are skipped while
tracing (shapes read by a check would be recorded) and scripted code runs none."""

import pytest
import torch
from torch import Tensor, nn

from neuraltypes import NeuralModule, NeuralType, typecheck
from neuraltypes.elements import SpectrogramType

from .models import Lens, Spec, error, lens, spec


def fresh_encoder() -> nn.Module:
    """An instance of a class never called before (its wrapper has no fast block yet)."""

    class Fresh(NeuralModule):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv1d(8, 8, 3, padding=1)

        @typecheck()
        def forward(self, x: Spec, length: Lens) -> tuple[Spec, Lens]:
            return self.conv(x), length

    return Fresh()


def test_trace_of_a_module_never_called_before() -> None:
    m, x, n = fresh_encoder(), spec(), lens()
    traced = torch.jit.trace(m, (x, n))  # runs forward twice and compares the graphs
    assert torch.equal(traced(x, n)[0], m(x, n)[0])
    assert not hasattr(traced(x, n)[0], "neural_type")  # the traced graph checks nothing
    assert str(error(lambda: m(spec(batch=3), n))).startswith('Fresh.forward port "length"')


def test_trace_after_calls_and_with_other_shapes() -> None:
    m, n = fresh_encoder(), lens()
    for _ in range(3):  # the fast path with a guard made
        m(spec(), n)
    traced = torch.jit.trace(m, (spec(t=5), n))
    assert traced(spec(t=7), n)[0].shape == (2, 8, 7)


class Untyped(NeuralModule):
    def forward(self, x: Tensor) -> Tensor:
        return x * 2


class NemoPorts(NeuralModule):
    @property
    def input_types(self) -> dict[str, NeuralType]:
        return {"x": NeuralType(("B", "D", "T"), SpectrogramType())}

    @property
    def output_types(self) -> dict[str, NeuralType]:
        return {"y": NeuralType(("B", "D", "T"), SpectrogramType())}

    @typecheck()
    def forward(self, x: Tensor) -> Tensor:
        return x * 2


@pytest.mark.parametrize("cls", [Untyped, NemoPorts])
def test_script_compiles_a_neural_module_and_keeps_num_weights_in_python(cls: type) -> None:
    m = cls()
    m(spec())
    scripted = torch.jit.script(m)
    assert torch.equal(scripted(spec(batch=1) * 0 + 1), torch.full((1, 8, 10), 2.0))
    assert m.num_weights == 0


def test_script_of_a_plain_module_holding_a_neural_module() -> None:
    class Holder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = NemoPorts()

        def forward(self, x: Tensor) -> Tensor:
            return self.inner(x) + 1

    assert torch.jit.script(Holder())(torch.zeros(1, 2, 3)).sum().item() == 6


def test_script_of_a_neural_module_as_users_write_it() -> None:
    class Plain(NeuralModule):
        def forward(self, x: Tensor) -> Tensor:
            return x * 2

    assert torch.jit.script(Plain())(torch.ones(1)).item() == 2
