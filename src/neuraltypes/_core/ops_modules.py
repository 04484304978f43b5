"""torch's standard layers and losses: ports and results of a module call.

:data:`MODULES` maps a layer's full class name to its :class:`Layer` row: the
constructor's parameters (its literal arguments decide sizes and layouts, e.g.
``batch_first``), ``forward``'s parameters, and the rule family. The plugin calls
:func:`propagate_module` with the constructor's literal arguments where it can see
them (None where it cannot: then only what does not depend on them is decided).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .axes import AxisType
from .ops_axes import Axes, anonymous, as_int, is_int, locate, resized
from .ops_losses import check_loss, check_port, loss_result
from .ops_model import NOT_DECIDED, Arg, Outcome, Problem, TensorType
from .ops_rules import Bound, bind, known_tensor
from .parse import parse_axes
from .record import record
from .verdict import where_port

__all__ = ["Layer", "MODULES", "propagate_layer"]


@record
class Layer:
    """One row of the layer table: the rule ``family`` (with a ``detail``: the
    equivalent operation of an activation, the loss of a loss, the number of
    spatial dims of a convolution), and torch's parameter names of ``__init__``
    and ``forward``."""

    family: str
    detail: str
    init: tuple[str, ...]
    forward: tuple[str, ...] = ("input",)


NN = "torch.nn.modules."
F = "torch.nn.functional."
_DEVICE = ("device", "dtype")
_CONV = (
    *("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups"),
    *("bias", "padding_mode", *_DEVICE),
)
_NORM = ("num_features", "eps", "momentum", "affine", "track_running_stats", *_DEVICE)
_GROUP_NORM = ("num_groups", "num_channels", "eps", "affine", *_DEVICE)
_MAX_POOL = ("kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode")
_AVG_POOL = ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad")
_EMBEDDING = (
    *("num_embeddings", "embedding_dim", "padding_idx", "max_norm", "norm_type"),
    *("scale_grad_by_freq", "sparse", "_weight", "_freeze", *_DEVICE),
)
_RNN = (
    *("input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout"),
    "bidirectional",
)
_MHA = (
    *("embed_dim", "num_heads", "dropout", "bias", "add_bias_kv", "add_zero_attn", "kdim"),
    *("vdim", "batch_first", *_DEVICE),
)
_MHA_FORWARD = (
    *("query", "key", "value", "key_padding_mask", "need_weights", "attn_mask"),
    *("average_attn_weights", "is_causal"),
)
_LOSS = ("weight", "size_average", "ignore_index", "reduce", "reduction")
_CTC_FORWARD = ("log_probs", "targets", "input_lengths", "target_lengths")
_1D, _2D = "B C _|C _", "B C _ _|C _ _"

#: layer full name -> its row. ``op`` layers act as the operation named in
#: ``detail`` (``nn.ReLU()(x)`` is ``F.relu(x)``; ``nn.Softmax(dim)`` passes its dim).
MODULES: dict[str, Layer] = {
    NN + "linear.Identity": Layer("op", "identity", ("*args",)),
    **{
        NN + f"activation.{cls}": Layer("op", F + fn, ("*args",))
        for cls, fn in {
            "ReLU": "relu",
            "ReLU6": "relu6",
            "GELU": "gelu",
            "SiLU": "silu",
            "Mish": "mish",
            "Hardswish": "hardswish",
            "ELU": "elu",
            "LeakyReLU": "leaky_relu",
            "Softplus": "softplus",
            "Hardtanh": "hardtanh",
            "Tanh": "tanh",
            "Sigmoid": "sigmoid",
            "LogSigmoid": "logsigmoid",
        }.items()
    },
    NN + "activation.Softmax": Layer("op", F + "softmax", ("dim",)),
    NN + "activation.LogSoftmax": Layer("op", F + "log_softmax", ("dim",)),
    **{
        NN + f"dropout.{cls}": Layer("op", F + "dropout", ("*args",))
        for cls in ("Dropout", "Dropout1d", "Dropout2d", "AlphaDropout")
    },
    NN + "normalization.LayerNorm": Layer("op", "identity", ("*args",)),
    NN + "normalization.GroupNorm": Layer("norm", "B C ...", _GROUP_NORM),
    NN + "batchnorm.BatchNorm1d": Layer("norm", "B C _|B C", _NORM),
    NN + "batchnorm.BatchNorm2d": Layer("norm", "B C _ _", _NORM),
    NN + "linear.Linear": Layer("linear", "", ("in_features", "out_features", "bias", *_DEVICE)),
    NN + "conv.Conv1d": Layer("conv", _1D, _CONV),
    NN + "conv.Conv2d": Layer("conv", _2D, _CONV),
    NN + "pooling.MaxPool1d": Layer("pool", _1D, _MAX_POOL),
    NN + "pooling.MaxPool2d": Layer("pool", _2D, _MAX_POOL),
    NN + "pooling.AvgPool1d": Layer("pool", _1D, _AVG_POOL),
    NN + "pooling.AvgPool2d": Layer("pool", _2D, (*_AVG_POOL, "divisor_override")),
    NN + "pooling.AdaptiveAvgPool1d": Layer("pool", _1D, ("output_size",)),
    NN + "pooling.AdaptiveAvgPool2d": Layer("pool", _2D, ("output_size",)),
    NN + "pooling.AdaptiveMaxPool1d": Layer("pool", _1D, ("output_size", "return_indices")),
    NN + "pooling.AdaptiveMaxPool2d": Layer("pool", _2D, ("output_size", "return_indices")),
    NN + "sparse.Embedding": Layer("embedding", "", _EMBEDDING),
    NN + "rnn.LSTM": Layer("rnn", "", (*_RNN, "proj_size", *_DEVICE), ("input", "hx")),
    NN + "rnn.GRU": Layer("rnn", "", (*_RNN, *_DEVICE), ("input", "hx")),
    NN + "activation.MultiheadAttention": Layer("attention", "", _MHA, _MHA_FORWARD),
    NN + "loss.CTCLoss": Layer(
        "loss", "ctc", ("blank", "reduction", "zero_infinity"), _CTC_FORWARD
    ),
    NN + "loss.NLLLoss": Layer("loss", "nll", _LOSS, ("input", "target")),
    NN + "loss.CrossEntropyLoss": Layer(
        "loss", "cross_entropy", (*_LOSS, "label_smoothing"), ("input", "target")
    ),
}


def _layouts(text: str) -> tuple[Axes, ...]:
    return tuple(parse_axes(part) for part in text.split("|"))


def _channel_size(axes: Axes, size: Arg) -> Axes:
    """A port's layout with its channel axis (``C``) given the literal ``size``."""
    if not is_int(size):
        return axes
    return tuple(AxisType(a.kind, size, label=f"C={size}") if a.token == "C" else a for a in axes)


def _owner(module: str) -> str:
    return f"{module.rpartition('.')[2]}.forward"


def _channel_first(
    module: str, layer: Layer, init: Bound | None, bound: Bound, size_param: str
) -> tuple[TensorType | None, int | None, tuple[Problem, ...]]:
    """Check the input against a channel-first layout; (input, channel index,
    problems)."""
    layouts = tuple(
        _channel_size(axes, (init or {}).get(size_param)) for axes in _layouts(layer.detail)
    )
    problems = check_port(
        where_port(_owner(module), layer.forward[0]), bound.get(layer.forward[0]), layouts, None
    )
    tensor = known_tensor(bound.get(layer.forward[0]))
    if tensor is None or tensor.axes is None or problems:
        return None, None, problems
    tokens = [axis.token.partition("=")[0] for axis in layouts[0]]
    channel = locate(tensor.axes, tokens.index("C") - len(tokens))
    return tensor, channel, problems


def norm(module: str, layer: Layer, init: Bound | None, bound: Bound) -> Outcome:
    """BatchNorm / GroupNorm: channel-first input, passed through."""
    size_param = "num_channels" if "num_channels" in layer.init else "num_features"
    _, _, problems = _channel_first(module, layer, init, bound, size_param)
    tensor = known_tensor(bound.get("input"))
    if problems or tensor is None:
        return Outcome(None, problems)
    return Outcome(tensor)


def conv_pool(module: str, layer: Layer, init: Bound | None, bound: Bound) -> Outcome:
    """Conv / pooling: channel-first input; the channels become ``out_channels``
    (pooling keeps them): still the channel axis, of that size where it is a
    literal. The spatial axes keep their kind, not their size; element unknown."""
    conv = layer.family == "conv"
    tensor, channel, problems = _channel_first(
        module, layer, init, bound, "in_channels" if conv else ""
    )
    if tensor is None or tensor.axes is None or channel is None:
        return Outcome(None, problems)
    if init is None:
        if "return_indices" in layer.init:
            return Outcome(None, problems)  # maybe a tuple with the indices
    elif init.get("return_indices", False) is not False:
        return Outcome(None, problems)
    out: list[AxisType] = list(tensor.axes)
    if conv:
        out[channel] = resized(out[channel], as_int((init or {}).get("out_channels")))
    for i in range(channel + 1, len(out)):
        out[i] = resized(out[i])
    return Outcome(tensor.replace(tuple(out), None, tensor.dtype), problems)


def linear(module: str, layer: Layer, init: Bound | None, bound: Bound) -> Outcome:
    """Linear: ``"... in"`` -> ``"... out"``; element unknown."""
    size = None if init is None else init.get("in_features")
    port = (AxisType(None, variadic=True), anonymous(as_int(size)))
    problems = check_port(where_port(_owner(module), "input"), bound.get("input"), (port,), None)
    tensor = known_tensor(bound.get("input"))
    if init is None or problems or tensor is None or tensor.axes is None:
        return Outcome(None, problems)
    if locate(tensor.axes, -1) is None:
        return NOT_DECIDED
    out = init.get("out_features")
    axes = tensor.axes[:-1] + (anonymous(as_int(out)),)
    return Outcome(tensor.replace(axes, None, tensor.dtype))


def embedding(module: str, layer: Layer, init: Bound | None, bound: Bound) -> Outcome:
    """Embedding: a new last axis of ``embedding_dim``; element unknown."""
    tensor = known_tensor(bound.get("input"))
    if tensor is None or tensor.axes is None or init is None:
        return NOT_DECIDED
    size = init.get("embedding_dim")
    axes = tensor.axes + (anonymous(as_int(size)),)
    return Outcome(tensor.replace(axes, None, None))


def _sequence_layouts(init: Bound) -> tuple[Axes, ...] | None:
    """``"B T D"`` with a literal ``batch_first=True``, ``"T B D"`` without; the
    unbatched ``"T D"`` too."""
    batch_first = init.get("batch_first", False)
    if not isinstance(batch_first, bool):
        return None
    return _layouts("B T D|T D" if batch_first else "T B D|T D")


def rnn(module: str, layer: Layer, init: Bound | None, bound: Bound) -> Outcome:
    """LSTM / GRU: (output, hidden); the output's last axis becomes the hidden size."""
    layouts = None if init is None else _sequence_layouts(init)
    if init is None or layouts is None:
        return NOT_DECIDED
    problems = check_port(where_port(_owner(module), "input"), bound.get("input"), layouts, None)
    tensor = known_tensor(bound.get("input"))
    if problems or tensor is None or tensor.axes is None or locate(tensor.axes, -1) is None:
        return Outcome(None, problems)
    output = tensor.replace(tensor.axes[:-1] + (anonymous(_rnn_size(init)),), None, tensor.dtype)
    return Outcome((output, None))


def _rnn_size(init: Bound) -> int | None:
    """The size of an RNN output's feature axis: hidden (or projection) size, times
    two when bidirectional."""
    hidden, proj = as_int(init.get("hidden_size")), as_int(init.get("proj_size", 0))
    bidirectional = init.get("bidirectional", False)
    if hidden is None or proj is None or not isinstance(bidirectional, bool):
        return None
    return (proj or hidden) * (2 if bidirectional else 1)


def attention(module: str, layer: Layer, init: Bound | None, bound: Bound) -> Outcome:
    """MultiheadAttention: (output in the query's layout, weights)."""
    layouts = None if init is None else _sequence_layouts(init)
    if init is None or layouts is None:
        return NOT_DECIDED
    owner = _owner(module)
    problems: tuple[Problem, ...] = ()
    for port in ("query", "key", "value"):
        problems += check_port(where_port(owner, port), bound.get(port), layouts, None)
    query = known_tensor(bound.get("query"))
    if problems or query is None or query.axes is None:
        return Outcome(None, problems)
    return Outcome((query.replace(query.axes, None, query.dtype), None))


def loss(module: str, layer: Layer, init: Bound | None, bound: Bound) -> Outcome:
    """A loss: its ports checked; the loss as the constructor's reduction says."""
    problems = check_loss(_owner(module), layer.detail, bound)
    result = None if init is None else loss_result(layer.detail, bound, init)
    return Outcome(result, problems)


_FAMILIES = {
    "norm": norm,
    "conv": conv_pool,
    "pool": conv_pool,
    "linear": linear,
    "embedding": embedding,
    "rnn": rnn,
    "attention": attention,
    "loss": loss,
}


def propagate_layer(
    module: str,
    init: tuple[Sequence[Arg], Mapping[str, Arg]] | None,
    args: Sequence[Arg],
    kwargs: Mapping[str, Arg],
) -> tuple[Layer, Bound | None, Bound] | Outcome:
    """Bind a layer call; an :class:`Outcome` when the layer's own rule decides it,
    else the row and bound arguments for an ``op`` layer (see :mod:`.ops`)."""
    layer = MODULES.get(module)
    if layer is None:
        return NOT_DECIDED
    bound = bind(layer.forward, args, kwargs)
    if bound is None:
        return NOT_DECIDED
    init_bound = None if init is None else bind(layer.init, init[0], init[1])
    if layer.family == "op":
        return layer, init_bound, bound
    return _FAMILIES[layer.family](module, layer, init_bound, bound)
