"""A layer's rule reads the literal arguments of the constructor call that made the
layer, where it needs them (and the plugin records them only for such layers)."""

from __future__ import annotations

from neuraltypes._core import parse_axes, render_axes
from neuraltypes._core.ops import (
    MODULE_NAMES,
    NOT_LITERAL,
    TensorType,
    propagate_module,
    reads_constructor,
)

LOGITS = ("neuraltypes.elements.LogitsType", "neuraltypes._core.elements.ElementType")
NN = "torch.nn.modules."


def tensor(axes: str) -> TensorType:
    return TensorType(parse_axes(axes), LOGITS)


def test_layers_are_decided_with_their_constructor_arguments() -> None:
    init = ((80, 256), {})
    a = propagate_module(NN + "linear.Linear", init, [tensor("B T D")])
    b = propagate_module(NN + "linear.Linear", ((80, 128), {}), [tensor("B T D")])
    assert render_axes(a.result.axes) == "B T 256"  # type: ignore[union-attr]
    assert render_axes(b.result.axes) == "B T 128"  # type: ignore[union-attr]
    assert propagate_module(NN + "linear.Linear", None, [NOT_LITERAL]).result is None


def test_which_layers_read_their_constructor() -> None:
    assert reads_constructor(NN + "linear.Linear")
    assert reads_constructor(NN + "conv.Conv1d")
    assert reads_constructor(NN + "activation.LogSoftmax")  # its dim
    assert reads_constructor(NN + "rnn.LSTM")  # batch_first
    assert not reads_constructor(NN + "activation.ReLU")
    assert not reads_constructor(NN + "dropout.Dropout")
    assert not reads_constructor(NN + "normalization.LayerNorm")
    assert not reads_constructor(NN + "container.ModuleList")  # not in the table
    # a layer that ignores its constructor gives the same result without it
    x = tensor("B T D")
    for name in MODULE_NAMES:
        if not reads_constructor(name):
            assert propagate_module(name, None, [x]) == propagate_module(name, ((1,), {}), [x])
