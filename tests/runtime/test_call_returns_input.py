"""A call never changes the neural type of a tensor its caller holds (issue 26 item 8).

An output that *is* an input object (dropout in eval mode, ``.float()`` of a float
tensor, ``.contiguous()``, ``.to()`` of the same dtype, ``nn.Identity``: each returns
the very object it was given) is checked against the output port's shape, and
returned as a new view of the same data tagged with the output port's type, unless
it already carries exactly that type."""

from collections.abc import Callable
from typing import Annotated, Any, NamedTuple, Optional

import pytest
import torch
from torch import Tensor, nn

from neuraltypes import NeuralModule, NeuralTypeError, typecheck
from neuraltypes.elements import AcousticEncodedRepresentation

from .models import Enc, Lens, Mel, lens, spec

HANDS_BACK: dict[str, Callable[[nn.Module, Tensor], Tensor]] = {
    "dropout in eval": lambda m, x: m.drop(x),
    ".float()": lambda m, x: x.float(),
    ".contiguous()": lambda m, x: x.contiguous(),
    ".to() same dtype": lambda m, x: x.to(torch.float32),
    "nn.Identity": lambda m, x: m.identity(x),
}


def module(kind: str, optional: bool) -> NeuralModule:
    """A module of a new class whose forward hands its input back (``kind``), with a
    required lengths port (the guarded fast path) or an Optional one (the Python
    tests)."""
    body = HANDS_BACK[kind]

    class Base(NeuralModule):
        def __init__(self) -> None:
            super().__init__()
            self.drop = nn.Dropout(0.5)
            self.identity = nn.Identity()
            self.eval()

    if optional:

        class HandsBackOptional(Base):
            @typecheck()
            def forward(self, x: Mel, length: Optional[Lens] = None) -> Enc:
                return body(self, x)

        return HandsBackOptional()

    class HandsBack(Base):
        @typecheck()
        def forward(self, x: Mel, length: Lens) -> tuple[Enc, Lens]:
            return body(self, x), length * 1

    return HandsBack()


class NeedsMel(NeuralModule):
    @typecheck()
    def forward(self, x: Mel) -> Mel:
        return x * 1


def mel_tag() -> Any:
    return NeedsMel.forward.__neuraltypes__.resolved_ports().inputs[0].type.leaf


def first(out: Any) -> Tensor:
    return out[0] if isinstance(out, tuple) else out


@pytest.mark.parametrize("mode", ["full", "shapes only"])
@pytest.mark.parametrize("optional", [False, True], ids=["guarded", "python tests"])
@pytest.mark.parametrize("kind", sorted(HANDS_BACK))
def test_a_returned_input_is_a_relabelled_view(kind: str, optional: bool, mode: str) -> None:
    m, n = module(kind, optional), lens()
    mel, bare = spec(), spec()
    mel.neural_type = mel_tag()
    for call in range(40):  # the first call, the second, then the fast path's calls
        for x in (mel, bare):
            before = x.__dict__.get("neural_type")
            if mode == "full":
                out = first(m(x, n))
            else:
                with typecheck.disable_semantic_checks():
                    out = first(m(x, n))
            assert x.__dict__.get("neural_type") is before, f"call {call} re-tagged its input"
            assert out is not x and out.data_ptr() == x.data_ptr()
            assert type(out.neural_type.elements_type) is AcousticEncodedRepresentation
        NeedsMel()(mel)  # the next consumer of mel still accepts it


def test_a_returned_input_already_of_the_output_type_is_returned_as_is() -> None:
    class Same(NeuralModule):
        @typecheck()
        def forward(self, x: Mel, length: Lens) -> tuple[Mel, Lens]:
            return x, length

    m, x, n = Same(), spec(), lens()
    x.neural_type = mel_tag()
    n.neural_type = Same.forward.__neuraltypes__.resolved_ports().inputs[1].type.leaf
    for _ in range(5):
        out, out_n = m(x, n)
        assert out is x and out_n is n


class Narrow(NeuralModule):
    @typecheck()
    def forward(
        self, x: Annotated[Tensor, "B D T"], length: Lens
    ) -> tuple[Annotated[Tensor, "B D=8 T"], Lens]:
        return x, length


def test_a_returned_input_is_checked_against_the_output_port() -> None:
    m = Narrow()
    for _ in range(5):
        m(spec(), lens())
    bare = spec(d=4)
    with pytest.raises(NeuralTypeError) as err:
        m(bare, lens())
    assert str(err.value) == (
        'Narrow.forward return value "output_0": dim 1 (D=8) has size 4, expected 8 '
        '(expected "B D=8 T", found a tensor of shape (2, 4, 10))'
    )
    assert "neural_type" not in bare.__dict__


class Pair(NamedTuple):
    enc: Tensor
    length: Tensor


class ReturnsNamedTuple(NeuralModule):
    @typecheck()
    def forward(self, x: Mel, length: Lens) -> tuple[Enc, Lens]:
        return Pair(x, length)  # type: ignore[return-value]


def test_a_named_tuple_handing_inputs_back_stays_a_named_tuple() -> None:
    m, x, n = ReturnsNamedTuple(), spec(), lens()
    for _ in range(5):
        out = m(x, n)
        assert type(out) is Pair and out.enc is not x and out.length is not n
    assert "neural_type" not in x.__dict__ and "neural_type" not in n.__dict__


class ReturnsList(NeuralModule):
    @typecheck()
    def forward(self, xs: list[Mel]) -> list[Enc]:
        return xs


def test_items_of_a_list_handed_back_are_relabelled_in_a_new_list() -> None:
    xs = [spec(), spec()]
    out = ReturnsList()(xs)
    assert out is not xs and all(o is not x for o, x in zip(out, xs))
    assert all("neural_type" not in x.__dict__ for x in xs)
    assert all(type(o.neural_type.elements_type) is AcousticEncodedRepresentation for o in out)
