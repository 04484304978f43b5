"""The propagation rules are pure functions; their outcomes are remembered by the
arguments' values (real code asks the same question many times), and an argument
that can't be a key still gets its answer."""

from __future__ import annotations

from neuraltypes._core import parse_axes, render_axes
from neuraltypes._core.ops import NOT_LITERAL, TensorType, propagate, propagate_module

LOGITS = ("neuraltypes.elements.LogitsType", "neuraltypes._core.elements.ElementType")


def tensor(axes: str) -> TensorType:
    return TensorType(parse_axes(axes), LOGITS)


def test_equal_questions_get_the_remembered_outcome() -> None:
    first = propagate("Tensor.transpose", [tensor("B T C"), 1, 2])
    again = propagate("Tensor.transpose", [tensor("B T C"), 1, 2])
    assert again is first
    assert first.result is not None and render_axes(first.result.axes) == "B C T"


def test_arguments_that_differ_in_type_are_different_questions() -> None:
    by_int = propagate("Tensor.squeeze", [tensor("B 1 C"), 1])
    by_bool = propagate("Tensor.squeeze", [tensor("B 1 C"), True])
    assert by_int is not by_bool


def test_slices_and_keywords_are_keys_too() -> None:
    first = propagate("Tensor.__getitem__", [tensor("B T C"), (slice(None), 0)])
    assert propagate("Tensor.__getitem__", [tensor("B T C"), (slice(None), 0)]) is first
    assert render_axes(first.result.axes) == "B C"  # type: ignore[union-attr]
    lp = propagate("Tensor.log_softmax", [tensor("B T C")], {"dim": -1})
    assert propagate("Tensor.log_softmax", [tensor("B T C")], {"dim": -1}) is lp


def test_an_unhashable_argument_is_decided_without_the_memo() -> None:
    unhashable = [1, 2]
    out = propagate("Tensor.permute", [tensor("B T C"), unhashable])  # type: ignore[list-item]
    assert out == propagate("Tensor.permute", [tensor("B T C"), unhashable])  # type: ignore[list-item]


def test_layers_are_remembered_with_their_constructor_arguments() -> None:
    init = ((80, 256), {})
    a = propagate_module("torch.nn.modules.linear.Linear", init, [tensor("B T D")])
    b = propagate_module("torch.nn.modules.linear.Linear", ((80, 128), {}), [tensor("B T D")])
    assert render_axes(a.result.axes) == "B T 256"  # type: ignore[union-attr]
    assert render_axes(b.result.axes) == "B T 128"  # type: ignore[union-attr]
    assert propagate_module("torch.nn.modules.linear.Linear", None, [NOT_LITERAL]).result is None
