"""Axis arithmetic of the propagation rules: locating dims, broadcasting, axis order.

Every function returns None where the result is not certain (a dim that is not a
literal int, a dim that falls inside a variadic run, a rank the rule needs but a
variadic axis hides); the rule then gives the call no neural type.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeGuard

from .axes import AxisType
from .compare import AxesOutcome, compare_axes
from .errors import NEURAL_AXES, NEURAL_SIZE, Mismatch
from .kinds import AxisKind

__all__ = [
    "Axes",
    "anonymous",
    "as_dim",
    "as_int",
    "is_int",
    "as_dims",
    "broadcast",
    "insert_index",
    "locate",
    "movedim",
    "permute",
    "rank_of",
    "resized",
    "transpose",
]

Axes = tuple[AxisType, ...]


def anonymous(size: int | None = None, kind: AxisKind | None = None) -> AxisType:
    """A new axis: ``_``, a fixed size (``1``), or a kind with a size (``T=5``)."""
    return AxisType(kind, size)


def resized(axis: AxisType, size: int | None = None) -> AxisType:
    """``axis`` after an operation changed its size: its kind stays (a NeMo kind
    keeps its meaning through ops), its name and size do not (a jaxtyping name is a
    size variable, and the size is no longer that one)."""
    if axis.size == size and axis.name is None and axis.expr is None and not axis.broadcast:
        return axis
    kind = axis.kind if isinstance(axis.kind, AxisKind) else None
    return AxisType(kind, size)


def is_int(value: object) -> TypeGuard[int]:
    """A literal int (a bool is not one)."""
    return isinstance(value, int) and not isinstance(value, bool)


def as_int(value: object) -> int | None:
    """A literal int (a dim, a size), or None."""
    return value if is_int(value) else None


as_dim = as_int


def as_dims(value: object) -> tuple[int, ...] | None:
    """A literal int or tuple of ints, as a tuple; None otherwise."""
    if is_int(value):
        return (value,)
    if isinstance(value, tuple) and all(is_int(v) for v in value):
        return tuple(v for v in value if is_int(v))
    return None


def rank_of(axes: Axes) -> int | None:
    """The number of axes, or None when a variadic run hides it."""
    return None if any(axis.variadic for axis in axes) else len(axes)


def _variadic(axes: Axes) -> int | None:
    return next((i for i, axis in enumerate(axes) if axis.variadic), None)


def locate(axes: Axes, dim: int) -> int | None:
    """The index in ``axes`` of tensor dim ``dim`` (negative: from the end), or None
    when it is out of range or falls inside a variadic run."""
    v = _variadic(axes)
    if v is None:
        return dim % len(axes) if -len(axes) <= dim < len(axes) else None
    if dim >= 0:
        return dim if dim < v else None
    return len(axes) + dim if -dim <= len(axes) - v - 1 else None


def insert_index(axes: Axes, dim: int) -> int | None:
    """Where a new axis goes so that it becomes dim ``dim`` of a tensor one rank
    higher (``unsqueeze``, ``stack``), or None when that is not certain."""
    v = _variadic(axes)
    if v is None:
        rank = len(axes) + 1
        return dim % rank if -rank <= dim < rank else None
    if dim >= 0:
        return dim if dim <= v else None
    return len(axes) + 1 + dim if -dim <= len(axes) - v else None


def transpose(axes: Axes, dim0: object, dim1: object) -> Axes | None:
    """``axes`` with two dims swapped."""
    d0, d1 = as_dim(dim0), as_dim(dim1)
    i = None if d0 is None else locate(axes, d0)
    j = None if d1 is None else locate(axes, d1)
    if i is None or j is None:
        return None
    out = list(axes)
    out[i], out[j] = out[j], out[i]
    return tuple(out)


def _normalized(dims: Sequence[int], rank: int) -> tuple[int, ...] | None:
    if any(not -rank <= d < rank for d in dims):
        return None
    out = tuple(d % rank for d in dims)
    return out if len(set(out)) == len(out) else None


def permute(axes: Axes, dims: object) -> Axes | None:
    """``axes`` in the order ``dims`` (a permutation of all dims)."""
    order = as_dims(dims)
    rank = rank_of(axes)
    if order is None or rank is None or len(order) != rank:
        return None
    perm = _normalized(order, rank)
    return None if perm is None else tuple(axes[i] for i in perm)


def movedim(axes: Axes, source: object, destination: object) -> Axes | None:
    """``torch.movedim``: the ``source`` dims moved to ``destination``, the others
    keeping their order."""
    src, dst, rank = as_dims(source), as_dims(destination), rank_of(axes)
    if src is None or dst is None or rank is None or len(src) != len(dst):
        return None
    src_n, dst_n = _normalized(src, rank), _normalized(dst, rank)
    if src_n is None or dst_n is None:
        return None
    out: list[AxisType | None] = [None] * rank
    for s, d in zip(src_n, dst_n):
        out[d] = axes[s]
    rest = iter(axes[i] for i in range(rank) if i not in src_n)
    return tuple(axis if axis is not None else next(rest) for axis in out)


# -- broadcasting ---------------------------------------------------------------------

_ANY_AXIS = AxisType(None)
_RUN = AxisType(None, variadic=True)


def _is_one(axis: AxisType) -> bool:
    return axis.size == 1 or axis.kind is AxisKind.Singleton


def _merge(left: AxisType, right: AxisType) -> AxisType:
    """The result axis where two aligned axes meet (they do not conflict)."""
    if left == right or _is_one(right):
        return left
    if _is_one(left):
        return right
    if left.broadcast != right.broadcast:
        return right if left.broadcast else left
    kind = left.kind if left.kind not in (None, AxisKind.Any) else right.kind
    size = left.size if left.size is not None else right.size
    for axis in (left, right):
        if axis.kind == kind and axis.size == size:
            return axis
    return AxisType(kind, size)


def _conflict(left: AxisType, right: AxisType, after: int) -> Mismatch | None:
    """Why two aligned axes cannot broadcast (``after`` dims follow them), in the
    wording of :func:`compare_axes`; None when they can."""
    if _is_one(left) or _is_one(right) or AxisKind.Any in (left.kind, right.kind):
        return None
    pad = (_ANY_AXIS,) * after
    verdict = compare_axes((_RUN, left, *pad), (_RUN, right, *pad), gradual=True)
    if verdict.outcome is AxesOutcome.SAME:
        return None
    code = NEURAL_SIZE if verdict.outcome is AxesOutcome.SIZES else NEURAL_AXES
    return Mismatch(code, f"axes do not broadcast: {verdict.detail}", "", "")


def broadcast(left: Axes, right: Axes) -> tuple[Axes | None, Mismatch | None]:
    """The axes of ``left op right`` under torch's broadcasting (aligned from the
    right; a size-1 or singleton axis stretches), or the conflict that makes it
    fail. The conflict's ``expected`` and ``found`` are left for the caller to
    fill in. (None, None): not certain (both sides have a variadic run, or the
    other side reaches into one)."""
    vl, vr = _variadic(left), _variadic(right)
    if vl is not None and vr is not None:
        return None, None
    n = min(len(left), len(right))
    if vl is not None and len(right) > len(left) - vl - 1:
        return None, None
    if vr is not None and len(left) > len(right) - vr - 1:
        return None, None
    merged: list[AxisType] = []
    for k in range(1, n + 1):
        a, b = left[-k], right[-k]
        problem = _conflict(a, b, k - 1)
        if problem is not None:
            return None, problem
        merged.append(_merge(a, b))
    longer = left if len(left) >= len(right) else right
    return longer[: len(longer) - n] + tuple(reversed(merged)), None
