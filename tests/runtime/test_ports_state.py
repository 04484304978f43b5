"""NeMo-style ports (``input_types``/``output_types`` properties) follow the state of
the instance: an attribute assigned after construction (NeMo's ``time_major``
switch) makes the next call read them again."""

import torch
from torch import Tensor

from neuraltypes import NeuralModule, NeuralType, typecheck
from neuraltypes.elements import AcousticEncodedRepresentation, SpectrogramType

from .models import error

BATCH_MAJOR = NeuralType("B T D", SpectrogramType)
TIME_MAJOR = NeuralType("T B D", SpectrogramType)


class Recurrent(NeuralModule):
    """Takes batch-major features, or time-major ones once ``time_major`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.time_major = False
        self.reads = 0

    def axes(self) -> str:
        return "T B D" if self.time_major else "B T D"

    @property
    def input_types(self) -> dict[str, NeuralType]:
        self.reads += 1  # a property that assigns an attribute itself
        return {"x": NeuralType(self.axes(), SpectrogramType)}

    @property
    def output_types(self) -> dict[str, NeuralType]:
        return {"y": NeuralType(self.axes(), AcousticEncodedRepresentation)}

    @typecheck()
    def forward(self, x: Tensor) -> Tensor:
        return x * 2


def tagged(ntype: NeuralType) -> Tensor:
    value = torch.randn(2, 3, 4)
    value.neural_type = ntype  # type: ignore[attr-defined]
    return value


def test_ports_follow_an_attribute_switched_after_construction() -> None:
    m = Recurrent()
    assert m(tagged(BATCH_MAJOR)).neural_type == NeuralType("B T D", AcousticEncodedRepresentation)
    m.time_major = True
    out = m(tagged(TIME_MAJOR))  # refused while the ports were read once per instance
    assert out.neural_type == NeuralType("T B D", AcousticEncodedRepresentation)
    err = error(lambda: m(tagged(BATCH_MAJOR)))
    assert (err.code, str(err)) == (
        "neural-axes",
        'Recurrent.forward port "x": axes are transposed (expected "T B D" SpectrogramType, '
        'found "B T D" SpectrogramType, shape (2, 3, 4)); did you mean .transpose(0, 1)?',
    )


def test_ports_are_read_again_only_after_an_assignment() -> None:
    m = Recurrent()
    for _ in range(3):
        m(tagged(BATCH_MAJOR))
    assert m.reads == 1
    m.cache = torch.ones(1)  # a tensor kept by the module: no new ports
    m(tagged(BATCH_MAJOR))
    assert m.reads == 1
    m.time_major = False
    m(tagged(BATCH_MAJOR))
    m(tagged(BATCH_MAJOR))
    assert m.reads == 2


def test_an_assignment_in_a_compiled_forward_keeps_one_graph() -> None:
    class Counting(Recurrent):
        def forward(self, x: Tensor) -> Tensor:
            self.time_major = False  # renews no token while compiling: no graph break
            return x * 2

    compiled = torch.compile(Counting(), backend="eager", fullgraph=True)
    assert torch.equal(compiled(torch.ones(2)), torch.full((2,), 2.0))
