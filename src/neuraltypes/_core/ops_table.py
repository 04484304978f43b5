"""The operation table: torch's full name of an operation -> its rule.

Read it as: each block is one rule family (see :mod:`.ops_rules` and
:mod:`.ops_shape_rules`), the names after it follow that rule, with torch's
parameter names. Methods are ``Tensor.<name>`` (``self`` is the parameter
``input``), properties too (``Tensor.T``), operators by their dunder
(``Tensor.__add__``). What is not here gives a plain ``Tensor``.
"""

from __future__ import annotations

from .ops_rules import Op

__all__ = ["OPS"]

F = "torch.nn.functional."


def _rows(
    family: str,
    params: dict[str, tuple[str, ...]],
    *,
    meaning: str | None = None,
    keep: bool = True,
    operands: tuple[str, ...] = (),
    elements: tuple[str, ...] = (),
    variant: str | None = None,
) -> dict[str, Op]:
    """One block of the table: every name follows ``family`` with the same fields."""
    return {
        name: Op(family, p, meaning, keep, None, operands, elements, variant)
        for name, p in params.items()
    }


def _methods_and_functions(
    names: tuple[str, ...], params: tuple[str, ...]
) -> dict[str, tuple[str, ...]]:
    """``Tensor.<name>`` and ``torch.<name>``, both with ``params``."""
    return {f"{owner}.{name}": params for name in names for owner in ("Tensor", "torch")}


_INPUT = ("input",)
_INPLACE = ("input", "inplace")

SAME_DATA = _rows(
    "same",
    {
        "Tensor.clone": ("input", "*", "memory_format"),
        "torch.clone": ("input", "*", "memory_format"),
        "Tensor.detach": _INPUT,
        "torch.detach": _INPUT,
        "Tensor.contiguous": ("input", "memory_format"),
        "Tensor.cpu": ("input", "memory_format"),
        "Tensor.cuda": ("input", "device", "non_blocking", "memory_format"),
        "Tensor.requires_grad_": ("input", "requires_grad"),
        "Tensor.to": (
            "input",
            "*args",
            "dtype",
            "device",
            "non_blocking",
            "copy",
            "memory_format",
        ),
        "Tensor.type_as": ("input", "other"),
    },
)
CASTS = {
    f"Tensor.{method}": Op("same", ("input", "memory_format"), dtype=dtype)
    for method, dtype in {
        "float": "float32",
        "double": "float64",
        "half": "float16",
        "bfloat16": "bfloat16",
        "long": "int64",
        "int": "int32",
        "short": "int16",
        "char": "int8",
        "byte": "uint8",
        "bool": "bool",
    }.items()
}
TYPE = _rows("type", {"Tensor.type": ("input", "dtype", "non_blocking")})

ACTIVATIONS = _rows(
    "unary",
    {
        "torch.relu": _INPUT,
        "Tensor.relu": _INPUT,
        F + "relu": _INPLACE,
        F + "relu6": _INPLACE,
        F + "gelu": ("input", "approximate"),
        F + "silu": _INPLACE,
        F + "mish": _INPLACE,
        F + "hardswish": _INPLACE,
        F + "elu": ("input", "alpha", "inplace"),
        F + "leaky_relu": ("input", "negative_slope", "inplace"),
        F + "softplus": ("input", "beta", "threshold"),
        F + "hardtanh": ("input", "min_val", "max_val", "inplace"),
        "torch.tanh": _INPUT,
        "Tensor.tanh": _INPUT,
        F + "tanh": _INPUT,
        F + "dropout": ("input", "p", "training", "inplace"),
        F + "dropout1d": ("input", "p", "training", "inplace"),
        F + "dropout2d": ("input", "p", "training", "inplace"),
        F + "alpha_dropout": ("input", "p", "training", "inplace"),
        "torch.dropout": ("input", "p", "train"),
        F + "layer_norm": ("input", "normalized_shape", "weight", "bias", "eps"),
    },
)
SIGMOID = _rows(
    "unary",
    {"torch.sigmoid": _INPUT, "Tensor.sigmoid": _INPUT, F + "sigmoid": _INPUT},
    meaning="sigmoid",
)
LOGSIGMOID = _rows("unary", {F + "logsigmoid": _INPUT}, meaning="logsigmoid")
EXP = _rows("unary", _methods_and_functions(("exp",), _INPUT), meaning="exp", keep=False)
LOG = _rows("unary", _methods_and_functions(("log",), _INPUT), meaning="log", keep=False)
ARITHMETIC = _rows(
    "unary",
    {
        **_methods_and_functions(
            ("sqrt", "rsqrt", "abs", "neg", "square", "log1p", "expm1", "sin", "cos"), _INPUT
        ),
        "Tensor.__neg__": _INPUT,
        "Tensor.__abs__": _INPUT,
    },
    keep=False,
)

_SOFTMAX = ("input", "dim", "_stacklevel", "dtype")
_SOFTMAX_METHOD = ("input", "dim", "dtype")
SOFTMAX = _rows(
    "softmax",
    {F + "softmax": _SOFTMAX, **_methods_and_functions(("softmax",), _SOFTMAX_METHOD)},
    meaning="softmax",
)
LOG_SOFTMAX = _rows(
    "softmax",
    {F + "log_softmax": _SOFTMAX, **_methods_and_functions(("log_softmax",), _SOFTMAX_METHOD)},
    meaning="log_softmax",
)

_PAIR = ("input", "other")
ARITHMETIC_BINARY = _rows(
    "binary",
    {
        **_methods_and_functions(("add", "sub"), ("input", "other", "*", "alpha")),
        **_methods_and_functions(("mul", "maximum", "minimum"), _PAIR),
        **_methods_and_functions(("div",), ("input", "other", "*", "rounding_mode")),
        **{
            f"Tensor.{dunder}": _PAIR
            for op in ("add", "sub", "mul", "truediv")
            for dunder in (f"__{op}__", f"__r{op}__")
        },
    },
    operands=_PAIR,
    elements=_PAIR,
)
POWER = _rows(
    "binary",
    {
        **_methods_and_functions(("pow",), ("input", "exponent")),
        "Tensor.__pow__": ("input", "exponent"),
    },
    operands=("input", "exponent"),
)
WHERE = {
    "torch.where": Op(
        "binary", ("condition", "input", "other"), operands=("condition", *_PAIR), elements=_PAIR
    ),
    "Tensor.where": Op(
        "binary", ("input", "condition", "other"), operands=("condition", *_PAIR), elements=_PAIR
    ),
}
MASKED_FILL = _rows(
    "binary",
    _methods_and_functions(("masked_fill",), ("input", "mask", "value")),
    operands=("input", "mask", "value"),
    elements=_INPUT,
)
CLAMP = _rows(
    "binary",
    _methods_and_functions(("clamp", "clip"), ("input", "min", "max")),
    operands=("input", "min", "max"),
    elements=_INPUT,
)

TRANSPOSE = _rows(
    "transpose",
    {
        **_methods_and_functions(("transpose", "swapdims"), ("input", "dim0", "dim1")),
        **_methods_and_functions(("swapaxes",), ("input", "axis0", "axis1")),
    },
)
PERMUTE = _rows(
    "permute", {"Tensor.permute": ("input", "*dims"), "torch.permute": ("input", "dims")}
)
MOVEDIM = _rows(
    "movedim", _methods_and_functions(("movedim", "moveaxis"), ("input", "source", "destination"))
)
MATRIX_T = _rows("mT", {"Tensor.mT": _INPUT, "Tensor.mH": _INPUT})
REVERSE = _rows(
    "T", {"Tensor.T": _INPUT, "Tensor.H": _INPUT, "Tensor.t": _INPUT, "torch.t": _INPUT}
)

UNSQUEEZE = _rows("unsqueeze", _methods_and_functions(("unsqueeze",), ("input", "dim")))
SQUEEZE = _rows("squeeze", _methods_and_functions(("squeeze",), ("input", "dim")))
FLATTEN = _rows("flatten", _methods_and_functions(("flatten",), ("input", "start_dim", "end_dim")))
UNFLATTEN = _rows("unflatten", _methods_and_functions(("unflatten",), ("input", "dim", "sizes")))
RESHAPE = _rows(
    "reshape",
    {
        "Tensor.view": ("input", "*shape"),
        "Tensor.reshape": ("input", "*shape"),
        "torch.reshape": ("input", "shape"),
    },
)
INDEX = _rows("index", {"Tensor.__getitem__": ("input", "key")})

_REDUCE = ("input", "dim", "keepdim", "*", "dtype")
_DIM_KEEPDIM = ("input", "dim", "keepdim")
SUM = _rows("reduce", _methods_and_functions(("sum",), _REDUCE), meaning="sum", keep=False)
MEAN = _rows("reduce", _methods_and_functions(("mean",), _REDUCE), meaning="mean", keep=False)
OTHER_REDUCTIONS = _rows(
    "reduce",
    {
        **_methods_and_functions(("prod",), _REDUCE),
        **_methods_and_functions(("all", "any"), _DIM_KEEPDIM),
        "Tensor.norm": ("input", "p", "dim", "keepdim", "dtype"),
        "torch.norm": ("input", "p", "dim", "keepdim", "out", "dtype"),
    },
    keep=False,
)
LOGSUMEXP = _rows(
    "reduce",
    _methods_and_functions(("logsumexp",), _DIM_KEEPDIM),
    keep=False,
    variant="dim required",
)
AMAX = _rows(
    "reduce",
    _methods_and_functions(("amax",), _DIM_KEEPDIM),
    meaning="max",
    variant="all if empty",
)
AMIN = _rows(
    "reduce",
    _methods_and_functions(("amin",), _DIM_KEEPDIM),
    meaning="min",
    variant="all if empty",
)
_MAX = ("input", "dim", "keepdim", "*", "other")
MAX = _rows("max", _methods_and_functions(("max",), _MAX), meaning="max")
MIN = _rows("max", _methods_and_functions(("min",), _MAX), meaning="min")
ARGMAX = _rows("argmax", _methods_and_functions(("argmax",), _DIM_KEEPDIM), meaning="argmax")
ARGMIN = _rows("argmax", _methods_and_functions(("argmin",), _DIM_KEEPDIM))

CAT = _rows("cat", {"torch.cat": ("tensors", "dim"), "torch.concat": ("tensors", "dim")})
STACK = _rows("cat", {"torch.stack": ("tensors", "dim")}, variant="stack")
MATMUL = _rows(
    "matmul",
    {
        **_methods_and_functions(("matmul",), _PAIR),
        "Tensor.__matmul__": _PAIR,
        "Tensor.__rmatmul__": _PAIR,
        **_methods_and_functions(("mm", "bmm"), _PAIR),
    },
)
EINSUM = _rows("einsum", {"torch.einsum": ("equation", "*operands")})

_LEGACY = ("weight", "size_average", "ignore_index", "reduce", "reduction")
LOSSES = {
    F + "ctc_loss": Op(
        "loss",
        (
            "log_probs",
            "targets",
            "input_lengths",
            "target_lengths",
            "blank",
            "reduction",
            "zero_infinity",
        ),
        variant="ctc",
    ),
    F + "nll_loss": Op("loss", ("input", "target", *_LEGACY), variant="nll"),
    F + "cross_entropy": Op(
        "loss", ("input", "target", *_LEGACY, "label_smoothing"), variant="cross_entropy"
    ),
}

#: Every block above, in the order the documentation lists them.
BLOCKS: tuple[dict[str, Op], ...] = (
    SAME_DATA,
    CASTS,
    TYPE,
    ACTIVATIONS,
    SIGMOID,
    LOGSIGMOID,
    EXP,
    LOG,
    ARITHMETIC,
    SOFTMAX,
    LOG_SOFTMAX,
    ARITHMETIC_BINARY,
    POWER,
    WHERE,
    MASKED_FILL,
    CLAMP,
    TRANSPOSE,
    PERMUTE,
    MOVEDIM,
    MATRIX_T,
    REVERSE,
    UNSQUEEZE,
    SQUEEZE,
    FLATTEN,
    UNFLATTEN,
    RESHAPE,
    INDEX,
    SUM,
    MEAN,
    OTHER_REDUCTIONS,
    LOGSUMEXP,
    AMAX,
    AMIN,
    MAX,
    MIN,
    ARGMAX,
    ARGMIN,
    CAT,
    STACK,
    MATMUL,
    EINSUM,
    LOSSES,
)

#: operation full name -> its rule
OPS: dict[str, Op] = {name: op for block in BLOCKS for name, op in block.items()}
