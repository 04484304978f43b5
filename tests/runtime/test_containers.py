"""Ports that hold (nested) lists of tensors: annotations and NeMo's list axes."""

from typing import Annotated

import torch
from torch import Tensor

from neuraltypes import AxisKind, AxisType, NeuralModule, NeuralType, typecheck
from neuraltypes.elements import LengthsType, SpectrogramType

from .models import Lens, Spec, error, spec

SPEC = NeuralType("B D T", SpectrogramType)


class Stack(NeuralModule):
    @typecheck()
    def forward(self, chunks: list[Spec]) -> Spec:
        return torch.cat(list(chunks), dim=2)


class Split(NeuralModule):
    @typecheck()
    def forward(self, x: Spec, pieces: int = 2) -> list[Spec]:
        return list(x.chunk(pieces, dim=2))


def test_list_port_checks_each_tensor_and_binds_across_them() -> None:
    assert Stack()([spec(), spec()]).shape == (2, 8, 20)
    assert Stack()((spec(), spec(t=3))).shape == (2, 8, 13)  # a tuple is a list too
    err = error(lambda: Stack()([spec(), spec(batch=3)]))
    assert (err.code, str(err)) == (
        "neural-size",
        'Stack.forward port "chunks[1]": dim 0 (B) has size 3, but the batch size is 2 '
        'earlier in this port (expected "B D T" SpectrogramType, found a tensor of shape '
        "(3, 8, 10))",
    )


def test_list_port_given_a_tensor_or_a_list_of_other_things() -> None:
    err = error(lambda: Stack()(spec()))
    assert (err.code, str(err)) == (
        "neural-port",
        'Stack.forward port "chunks": expected a list of tensors ("B D T" SpectrogramType), '
        "got Tensor",
    )
    assert str(error(lambda: Stack()([spec(), 3]))) == (
        'Stack.forward port "chunks[1]": expected a tensor ("B D T" SpectrogramType), got int'
    )


def test_list_output_tags_each_tensor_and_flows_into_a_list_port() -> None:
    pieces = Split()(spec(t=10))
    assert [p.neural_type for p in pieces] == [SPEC, SPEC]
    assert Stack()(pieces).shape == (2, 8, 10)
    mel = NeuralType("B D T", LengthsType)
    wrong = [spec(), spec()]
    wrong[1].neural_type = mel  # type: ignore[attr-defined]
    assert str(error(lambda: Stack()(wrong))).startswith(
        'Stack.forward port "chunks[1]": LengthsType is not SpectrogramType'
    )


def test_nested_lists() -> None:
    @typecheck()
    def total(groups: list[list[Lens]]) -> Lens:
        return torch.stack([torch.stack(g).sum(0) for g in groups]).sum(0)

    n = torch.tensor([1, 2])
    assert total([[n, n], [n]]).tolist() == [3, 6]
    assert str(error(lambda: total([n]))) == (
        'total port "groups[0]": expected a list of tensors ("B" LengthsType), got Tensor'
    )
    assert str(error(lambda: total(n))) == (
        'total port "groups": expected a list of lists of tensors ("B" LengthsType), got Tensor'
    )


class NemoLists(NeuralModule):
    """NeMo's way: a leading list axis (``is_list=True``) in the port type."""

    @property
    def input_types(self) -> dict[str, NeuralType]:
        return {
            "audio": NeuralType(
                (AxisType(AxisKind.Batch, is_list=True), AxisType(AxisKind.Time)),
                SpectrogramType(),
            )
        }

    @property
    def output_types(self) -> dict[str, NeuralType]:
        return {"lengths": NeuralType(("B",), LengthsType())}

    @typecheck()
    def forward(self, audio: list[Tensor]) -> Tensor:
        return torch.tensor([len(a) for a in audio])


def test_nemo_list_axes() -> None:
    out = NemoLists()(audio=[torch.ones(5), torch.ones(3)])
    assert out.tolist() == [5, 3]
    assert out.neural_type == NeuralType(("B",), LengthsType())
    assert str(error(lambda: NemoLists()(audio=[torch.ones(5, 2)]))) == (
        'NemoLists.forward port "audio[0]": 2 dims where 1 ("T") are expected (expected "T" '
        "SpectrogramType, found a tensor of shape (5, 2))"
    )


def test_variadic_and_broadcast_ports_take_the_reference_path() -> None:
    @typecheck()
    def add(
        x: Annotated[Tensor, "*batch k"], bias: Annotated[Tensor, "#k"]
    ) -> Annotated[Tensor, "*batch k"]:
        return x + bias

    assert add(torch.ones(2, 3, 4), torch.ones(1)).shape == (2, 3, 4)
    assert add(torch.ones(4), torch.ones(4)).shape == (4,)
    assert str(error(lambda: add(torch.ones(2, 4), torch.ones(3)))) == (
        'add port "bias": dim 0 (#k) has size 3, but the size of k is 4 in port "x" '
        '(expected "#k", found a tensor of shape (3,))'
    )
