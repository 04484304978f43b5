"""The rule families: how one kind of operation turns its arguments' neural types
into the result's. The table in :mod:`.ops_table` says which operation follows
which family; each family here is a function of the operation's table entry and
its bound arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from .dtypes import DTYPE_CATEGORIES, category_dtypes
from .errors import Mismatch
from .kinds import AxisKind
from .ops_axes import Axes, as_dim, broadcast, locate, movedim, permute, rank_of, transpose
from .ops_elements import dtype_category, join_elements, meaning
from .ops_model import (
    NOT_DECIDED,
    SCALAR,
    Arg,
    Dtype,
    Outcome,
    Problem,
    TensorType,
    describe_tensor,
)
from .record import record

__all__ = [
    "Bound",
    "Op",
    "RULES",
    "bind",
    "known_tensor",
    "on_axes",
    "on_class_axis",
    "pos",
    "where_operation",
]

Bound = dict[str, Arg]

#: operators and the symbol messages name them by
OPERATORS: dict[str, str] = {
    "__add__": "+",
    "__radd__": "+",
    "__sub__": "-",
    "__rsub__": "-",
    "__mul__": "*",
    "__rmul__": "*",
    "__truediv__": "/",
    "__rtruediv__": "/",
    "__matmul__": "@",
    "__rmatmul__": "@",
    "__getitem__": "[]",
    "__neg__": "-",
}


def where_operation(name: str) -> str:
    """How a message names an operation: ``operator "+"``, or its full name."""
    symbol = OPERATORS.get(name.rpartition(".")[2])
    return f'operator "{symbol}"' if symbol else name


@record
class Op:
    """One row of the operation table.

    Attributes:
        family: the rule family (a key of :data:`RULES`).
        params: torch's parameter names, in order (``*name`` collects the rest of
            the positional arguments; parameters after it are keyword-only).
        meaning: a key of :data:`MEANINGS`: the element changes as it says.
        keep: the element is kept where the meaning table says nothing.
        dtype: casts: the torch dtype the result has.
        operands: elementwise ops: the parameters whose axes broadcast.
        elements: elementwise ops: the parameters whose element the result keeps.
        variant: a detail of the family (``stack`` for ``cat``; ``dim required``, ``all
            if empty`` for reductions).
    """

    family: str
    params: tuple[str, ...]
    meaning: str | None = None
    keep: bool = True
    dtype: str | None = None
    operands: tuple[str, ...] = ()
    elements: tuple[str, ...] = ()
    variant: str | None = None


def bind(params: tuple[str, ...], args: Sequence[Arg], kwargs: Mapping[str, Arg]) -> Bound | None:
    """The arguments by parameter name, as Python binds them; None when they do not
    fit the parameters (then the call is not ours to decide)."""
    star = next((i for i, p in enumerate(params) if p.startswith("*")), len(params))
    names = [p.lstrip("*") for p in params if p != "*"]
    if len(args) > star and star == len(params):
        return None
    bound: Bound = dict(zip(params[:star], args))
    if star < len(params) and params[star] != "*":
        bound[params[star][1:]] = tuple(args[star:])
    elif len(args) > star:
        return None
    for key, value in kwargs.items():
        if key in bound or key not in names:
            return None
        bound[key] = value
    return bound


def known_tensor(value: Arg) -> TensorType | None:
    """``value`` when it is a tensor with something known about its type."""
    return value if isinstance(value, TensorType) and not value.is_unknown else None


def _decided(tensor: TensorType) -> Outcome:
    if tensor.axes is None and tensor.element is None:
        return NOT_DECIDED  # a dtype alone is no neural type
    return Outcome(tensor)


def on_axes(bound: Bound, change: Callable[[Axes], Axes | None]) -> Outcome:
    """A rule that changes only the axes (element and dtype kept)."""
    tensor = known_tensor(bound.get("input"))
    if tensor is None or tensor.axes is None:
        return NOT_DECIDED
    axes = change(tensor.axes)
    return (
        NOT_DECIDED
        if axes is None
        else _decided(tensor.replace(axes, tensor.element, tensor.dtype))
    )


# -- same data -------------------------------------------------------------------------


def _dtype_of(value: Arg) -> tuple[bool, str | None]:
    """(whether ``value`` may set the dtype, the category it sets)."""
    if isinstance(value, Dtype):
        return True, dtype_category(value.name)
    if isinstance(value, TensorType):
        return True, value.dtype
    if isinstance(value, (str, bool)) or value is None:
        return False, None  # a device, non_blocking, copy
    return True, None  # not a literal: maybe a dtype


def same(name: str, op: Op, bound: Bound) -> Outcome:
    """Same data, maybe a new dtype: axes and element kept."""
    tensor = known_tensor(bound.get("input"))
    if tensor is None:
        return NOT_DECIDED
    dtype = tensor.dtype if op.dtype is None else dtype_category(op.dtype)
    positional = bound.get("args")
    extra = positional if isinstance(positional, tuple) else ()
    candidates = [*extra, bound.get("dtype"), bound.get("other")]
    for value in candidates:
        sets, category = _dtype_of(value)
        if sets:
            dtype = category
    return _decided(tensor.replace(tensor.axes, tensor.element, dtype))


def type_(name: str, op: Op, bound: Bound) -> Outcome:
    """``x.type(dtype)``; without a dtype it returns a str."""
    return same(name, op, bound) if isinstance(bound.get("dtype"), Dtype) else NOT_DECIDED


# -- elementwise -----------------------------------------------------------------------


def unary(name: str, op: Op, bound: Bound) -> Outcome:
    """Axes kept; the element by the meaning table, else kept (activations) or
    unknown (arithmetic)."""
    tensor = known_tensor(bound.get("input"))
    if tensor is None:
        return NOT_DECIDED
    element = meaning(op.meaning, tensor.element) if op.meaning else None
    if element is None and op.keep:
        element = tensor.element
    return _decided(tensor.replace(tensor.axes, element, _floating(tensor.dtype, op.keep)))


def _floating(dtype: str | None, keep: bool) -> str | None:
    """The dtype category an activation keeps: a floating (or complex) one only
    (``torch.sigmoid`` of an integer tensor is a float tensor)."""
    dtypes = category_dtypes(dtype) if keep else None
    return dtype if dtypes is not None and dtypes <= DTYPE_CATEGORIES["Inexact"] else None


def on_class_axis(tensor: TensorType, dim: Arg) -> bool:
    d = as_dim(dim)
    if tensor.axes is None or d is None:
        return False
    i = locate(tensor.axes, d)
    return i is not None and tensor.axes[i].kind is AxisKind.Dimension


def softmax(name: str, op: Op, bound: Bound) -> Outcome:
    """Axes kept; the element by the meaning table over the class axis (a ``D``/``C``
    axis), else unknown."""
    tensor = known_tensor(bound.get("input"))
    if tensor is None:
        return NOT_DECIDED
    element = None
    if op.meaning and on_class_axis(tensor, bound.get("dim")):
        element = meaning(op.meaning, tensor.element)
    dtype = tensor.dtype if bound.get("dtype") is None else None
    return _decided(tensor.replace(tensor.axes, element, dtype))


def _is_number(value: Arg) -> bool:
    return isinstance(value, (int, float)) or value is SCALAR


def binary(name: str, op: Op, bound: Bound) -> Outcome:
    """Elementwise over several operands: axes broadcast as torch does; the element
    kept when the operands that have one agree."""
    tensors: list[TensorType] = []
    numbers: list[Arg] = []
    for param in op.operands:
        value = bound.get(param)
        if isinstance(value, TensorType):
            tensors.append(value)
        elif _is_number(value) or (value is None and param not in ("input", "other")):
            numbers.append(value)
        else:
            return NOT_DECIDED
    if not tensors or all(t.is_unknown for t in tensors):
        return NOT_DECIDED
    axes, problem = _broadcast_all(tensors)
    where = where_operation(name)
    if problem is not None:
        return Outcome(None, (Problem(where, problem),))
    carriers = [bound.get(p) for p in op.elements]
    element = join_elements([t.element for t in carriers if isinstance(t, TensorType)])
    dtypes = {t.dtype for t in tensors}
    plain = all(isinstance(n, int) or n is None for n in numbers) and "div" not in name
    dtype = dtypes.pop() if len(dtypes) == 1 and plain else None
    if dtype == "Bool" and any(n is not None for n in numbers):
        dtype = None  # `mask * 2` is an integer tensor
    jaxtyping = any(t.jaxtyping for t in tensors if not t.is_unknown)
    return _decided(TensorType(axes, element, dtype, jaxtyping))


def _broadcast_all(tensors: list[TensorType]) -> tuple[Axes | None, Mismatch | None]:
    """The broadcast axes of several tensors, or the first conflict (naming the
    tensors met so far and the one that conflicts)."""
    axes = tensors[0].axes
    shown = tensors[0]
    for other in tensors[1:]:
        if axes is None or other.axes is None:
            return None, None
        merged, problem = broadcast(axes, other.axes)
        if problem is not None:
            want, got = describe_tensor(shown), describe_tensor(other)
            return None, Mismatch(problem.code, problem.problem, want, got)
        axes = merged
        shown = TensorType(axes, join_elements([shown.element, other.element]))
    return axes, None


# -- axis order and rank ------------------------------------------------------------------


def pos(op: Op, bound: Bound, k: int, default: Arg = None) -> Arg:
    """The argument of the ``k``-th parameter."""
    return bound.get(op.params[k].lstrip("*"), default)


def _shape(value: Arg) -> Arg:
    """``x.permute(0, 2, 1)`` and ``x.permute((0, 2, 1))`` alike."""
    if isinstance(value, tuple) and len(value) == 1 and isinstance(value[0], tuple):
        return value[0]
    return value


def transpose_rule(name: str, op: Op, bound: Bound) -> Outcome:
    """transpose / swapaxes / swapdims: two dims swapped."""
    return on_axes(bound, lambda axes: transpose(axes, pos(op, bound, 1), pos(op, bound, 2)))


def permute_rule(name: str, op: Op, bound: Bound) -> Outcome:
    """permute: every dim, in a new order."""
    return on_axes(bound, lambda axes: permute(axes, _shape(pos(op, bound, 1))))


def movedim_rule(name: str, op: Op, bound: Bound) -> Outcome:
    """movedim / moveaxis: some dims moved, the others keep their order."""
    return on_axes(bound, lambda axes: movedim(axes, pos(op, bound, 1), pos(op, bound, 2)))


def matrix_transpose(name: str, op: Op, bound: Bound) -> Outcome:
    """``.mT`` / ``.mH``: the last two dims swapped."""
    return on_axes(bound, lambda axes: transpose(axes, -2, -1))


def reverse(name: str, op: Op, bound: Bound) -> Outcome:
    """``.T`` / ``.H`` (every dim, reversed) and ``.t()`` (rank 2 or less)."""

    def change(axes: Axes) -> Axes | None:
        rank = rank_of(axes)
        if rank is None or (name.endswith(".t") and rank > 2):
            return None
        return tuple(reversed(axes))

    return on_axes(bound, change)


RuleFunction = Callable[[str, Op, Bound], Outcome]

#: family name -> its rule (the families that change the rank are in
#: :mod:`.ops_shape_rules`)
RULES: dict[str, RuleFunction] = {
    "same": same,
    "type": type_,
    "unary": unary,
    "softmax": softmax,
    "binary": binary,
    "transpose": transpose_rule,
    "permute": permute_rule,
    "movedim": movedim_rule,
    "mT": matrix_transpose,
    "T": reverse,
}
