"""The rule families that change the rank or combine tensors."""

from __future__ import annotations

from . import ops_combine, ops_rank
from .ops_axes import Axes
from .ops_elements import join_elements, meaning
from .ops_model import NOT_DECIDED, SCALAR, Arg, Outcome, TensorType
from .ops_rules import Bound, Op, binary, known_tensor, on_axes, on_class_axis, pos

__all__ = ["SHAPE_RULES"]


def _shape(values: Arg) -> Arg:
    """``x.view(2, -1)``, ``x.view((2, -1))`` and ``x.view(-1)`` alike: the shape as
    a tuple, or the argument itself when it is not one."""
    if not isinstance(values, tuple):
        return values
    if len(values) == 1:
        only = values[0]
        if isinstance(only, tuple):
            return only
        return (only,) if isinstance(only, int) or only is SCALAR else only
    return values


def unsqueeze(name: str, op: Op, bound: Bound) -> Outcome:
    return on_axes(bound, lambda axes: ops_rank.unsqueeze(axes, bound.get("dim")))


def squeeze(name: str, op: Op, bound: Bound) -> Outcome:
    return on_axes(bound, lambda axes: ops_rank.squeeze(axes, bound.get("dim")))


def flatten(name: str, op: Op, bound: Bound) -> Outcome:
    start, end = bound.get("start_dim", 0), bound.get("end_dim", -1)
    return on_axes(bound, lambda axes: ops_rank.flatten(axes, start, end))


def unflatten(name: str, op: Op, bound: Bound) -> Outcome:
    dim, sizes = bound.get("dim"), bound.get("sizes")
    return on_axes(bound, lambda axes: ops_rank.unflatten(axes, dim, sizes))


def reshape(name: str, op: Op, bound: Bound) -> Outcome:
    shape = _shape(pos(op, bound, 1))
    return on_axes(bound, lambda axes: ops_rank.reshape(axes, shape))


def index(name: str, op: Op, bound: Bound) -> Outcome:
    key = bound.get("key")
    return on_axes(bound, lambda axes: ops_rank.index(axes, key))


def _reduced(tensor: TensorType, bound: Bound, op: Op) -> Axes | None:
    if tensor.axes is None:
        return None
    if "dim" not in bound and op.variant == "dim required":
        return None
    dim = bound.get("dim")
    if dim == () and op.variant == "all if empty":
        dim = None
    return ops_rank.reduce(tensor.axes, dim, bound.get("keepdim", False))


def reduce(name: str, op: Op, bound: Bound) -> Outcome:
    """A reduction: ``dim`` removed (size 1 with ``keepdim``); the element by the
    meaning table (the mean of a loss is a loss), else unknown."""
    tensor = known_tensor(bound.get("input"))
    if tensor is None:
        return NOT_DECIDED
    axes = _reduced(tensor, bound, op)
    if axes is None:
        return NOT_DECIDED
    element = meaning(op.meaning, tensor.element) if op.meaning else None
    dtype = tensor.dtype if op.keep else None
    return Outcome(tensor.replace(axes, element, dtype))


def argmax(name: str, op: Op, bound: Bound) -> Outcome:
    """argmax / argmin: indices, ``dim`` reduced (None: one index into the flat
    tensor); over the class axis of logits or probabilities, predictions."""
    tensor = known_tensor(bound.get("input"))
    if tensor is None or tensor.axes is None:
        return NOT_DECIDED
    dim, keepdim = bound.get("dim"), bound.get("keepdim", False)
    axes = () if dim is None and keepdim is False else ops_rank.reduce(tensor.axes, dim, keepdim)
    if axes is None:
        return NOT_DECIDED
    element = None
    if op.meaning and on_class_axis(tensor, dim):
        element = meaning(op.meaning, tensor.element)
    return Outcome(tensor.replace(axes, element, "Int64"))


def max_min(name: str, op: Op, bound: Bound) -> Outcome:
    """max / min: of everything (a scalar), along a dim (values and indices), or
    elementwise against another tensor."""
    tensor = known_tensor(bound.get("input"))
    dim = bound.get("dim", bound.get("other"))
    if isinstance(dim, TensorType):
        pair = Op("binary", op.params, operands=("input", "other"), elements=("input", "other"))
        return binary(name, pair, {"input": bound.get("input"), "other": dim})
    if tensor is None or tensor.axes is None or "keepdim" in bound and "dim" not in bound:
        return NOT_DECIDED
    element = meaning(op.meaning, tensor.element) if op.meaning else None
    if "dim" not in bound:
        return Outcome(tensor.replace((), element, tensor.dtype))
    axes = ops_rank.reduce(tensor.axes, dim, bound.get("keepdim", False))
    if axes is None or isinstance(dim, tuple):
        return NOT_DECIDED
    which = meaning("argmax", tensor.element) if on_class_axis(tensor, dim) else None
    values = tensor.replace(axes, element, tensor.dtype)
    return Outcome((values, tensor.replace(axes, which, "Int64")))


def _tensors(value: Arg) -> list[TensorType] | None:
    if not isinstance(value, tuple) or not value:
        return None
    if not all(isinstance(item, TensorType) for item in value):
        return None
    return [item for item in value if isinstance(item, TensorType)]


def _combined(tensors: list[TensorType], axes: Axes | None) -> Outcome:
    """The result of an op over several tensors: the element kept where they agree."""
    if axes is None and any(t.axes is not None for t in tensors):
        return NOT_DECIDED  # known axes the rule could not combine
    element = join_elements([t.element for t in tensors])
    dtypes = {t.dtype for t in tensors}
    dtype = dtypes.pop() if len(dtypes) == 1 else None
    if axes is None and element is None:
        return NOT_DECIDED
    return Outcome(TensorType(axes, element, dtype, any(t.jaxtyping for t in tensors)))


def cat_stack(name: str, op: Op, bound: Bound) -> Outcome:
    """cat / stack along a literal dim."""
    tensors = _tensors(bound.get("tensors"))
    if tensors is None or all(t.is_unknown for t in tensors):
        return NOT_DECIDED
    all_axes = [t.axes for t in tensors]
    if any(axes is None for axes in all_axes):
        return _combined(tensors, None)
    combine = ops_combine.stack if op.variant == "stack" else ops_combine.cat
    dim = bound.get("dim", 0)
    return _combined(tensors, combine([a for a in all_axes if a is not None], dim))


def matmul(name: str, op: Op, bound: Bound) -> Outcome:
    """matmul / ``@``: the rows of the left, the columns of the right; element unknown."""
    left, right = bound.get("input"), bound.get("other")
    if name.endswith("__rmatmul__"):
        left, right = right, left
    if not isinstance(left, TensorType) or not isinstance(right, TensorType):
        return NOT_DECIDED
    if left.axes is None or right.axes is None:
        return NOT_DECIDED
    axes = ops_combine.matmul(left.axes, right.axes)
    if axes is None:
        return NOT_DECIDED
    return Outcome(TensorType(axes, None, None, left.jaxtyping or right.jaxtyping))


def einsum(name: str, op: Op, bound: Bound) -> Outcome:
    """einsum with a literal equation: each output letter's axis; element unknown."""
    operands = bound.get("operands")
    if isinstance(operands, tuple) and len(operands) == 1 and isinstance(operands[0], tuple):
        operands = operands[0]  # einsum(equation, [a, b])
    tensors = _tensors(operands)
    if tensors is None or any(t.axes is None for t in tensors):
        return NOT_DECIDED
    axes = ops_combine.einsum(
        bound.get("equation"), [t.axes for t in tensors if t.axes is not None]
    )
    if axes is None:
        return NOT_DECIDED
    return Outcome(TensorType(axes, None, None, any(t.jaxtyping for t in tensors)))


#: family name -> its rule
SHAPE_RULES = {
    "unsqueeze": unsqueeze,
    "squeeze": squeeze,
    "flatten": flatten,
    "unflatten": unflatten,
    "reshape": reshape,
    "index": index,
    "reduce": reduce,
    "argmax": argmax,
    "max": max_min,
    "cat": cat_stack,
    "matmul": matmul,
    "einsum": einsum,
}
