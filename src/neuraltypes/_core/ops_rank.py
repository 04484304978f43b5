"""Rules that change the rank with literal arguments: ``unsqueeze``, ``squeeze``,
``flatten``, ``unflatten``, ``view``/``reshape``, reductions, indexing.

New or merged axes are anonymous (``_``) unless literal sizes decide them (``1``,
``80``); an axis that only changes size keeps its NeMo kind (a time axis cut
by a slice is still time). Each function returns None where the result is not
certain.
"""

from __future__ import annotations

from .axes import AxisType
from .kinds import AxisKind
from .ops_axes import Axes, anonymous, as_dim, as_dims, insert_index, is_int, locate, rank_of
from .ops_axes import resized as resized_axis
from .ops_model import NOT_LITERAL, SCALAR

__all__ = ["flatten", "index", "reduce", "reshape", "squeeze", "unflatten", "unsqueeze"]

_ONE = anonymous(1)


def unsqueeze(axes: Axes, dim: object) -> Axes | None:
    """A new size-1 axis at ``dim``."""
    d = as_dim(dim)
    at = None if d is None else insert_index(axes, d)
    return None if at is None else axes[:at] + (_ONE,) + axes[at:]


def _is_one(axis: AxisType) -> bool | None:
    """True: size 1; False: another size; None: unknown."""
    if axis.size is not None:
        return axis.size == 1
    if axis.kind is AxisKind.Singleton:
        return True
    return None


def squeeze(axes: Axes, dim: object = None) -> Axes | None:
    """The size-1 dims among ``dim`` removed (all of them when ``dim`` is None);
    not certain when one of them has an unknown size."""
    if dim is None:
        if rank_of(axes) is None:
            return None
        targets: list[int] = list(range(len(axes)))
    else:
        dims = as_dims(dim)
        if dims is None:
            return None
        found = [locate(axes, d) for d in dims]
        if any(i is None for i in found):
            return None
        targets = [i for i in found if i is not None]
    drop = set()
    for i in targets:
        one = _is_one(axes[i])
        if one is None:
            return None
        if one:
            drop.add(i)
    return tuple(axis for i, axis in enumerate(axes) if i not in drop)


def _product(axes: Axes) -> int | None:
    total = 1
    for axis in axes:
        if axis.size is None or axis.variadic:
            return None
        total *= axis.size
    return total


def flatten(axes: Axes, start_dim: object = 0, end_dim: object = -1) -> Axes | None:
    """Dims ``start_dim`` to ``end_dim`` merged into one (fixed size when all of
    them have one, else anonymous)."""
    if not axes:
        return (_ONE,) if start_dim in (0, -1) and end_dim in (0, -1) else None
    s, e = as_dim(start_dim), as_dim(end_dim)
    i = None if s is None else locate(axes, s)
    j = None if e is None else locate(axes, e)
    if i is None or j is None or i > j:
        return None
    if i == j:
        return axes
    return axes[:i] + (anonymous(_product(axes[i : j + 1])),) + axes[j + 1 :]


def _sizes(shape: object) -> tuple[int | None, ...] | None:
    """Literal sizes (-1 kept, None for a size that is not a literal), or None when
    not even the count is known."""
    if not isinstance(shape, tuple):
        return None
    out: list[int | None] = []
    for size in shape:
        if is_int(size):
            if size < -1:
                return None
            out.append(size)
        elif size is SCALAR or size is NOT_LITERAL:  # an int the call does not spell
            out.append(None)
        else:
            return None
    return tuple(out) if out.count(-1) <= 1 else None


def _new_axes(sizes: tuple[int | None, ...], total: int | None) -> Axes | None:
    """Anonymous axes for ``sizes``, a -1 worked out from ``total`` when it can be."""
    known = [s for s in sizes if s is not None and s != -1]
    missing: int | None = None
    if -1 in sizes and total is not None and None not in sizes:
        rest = 1
        for s in known:
            rest *= s
        if rest == 0 or total % rest:
            return None
        missing = total // rest
    elif total is not None and None not in sizes and -1 not in sizes:
        product = 1
        for s in known:
            product *= s
        if product != total:
            return None  # torch raises: not ours to decide
    return tuple(anonymous(missing if s == -1 else s) for s in sizes)


def unflatten(axes: Axes, dim: object, sizes: object) -> Axes | None:
    """Dim ``dim`` split into ``len(sizes)`` axes."""
    d, wanted = as_dim(dim), _sizes(sizes)
    i = None if d is None else locate(axes, d)
    if i is None or not wanted:
        return None
    new = _new_axes(wanted, axes[i].size)
    return None if new is None else axes[:i] + new + axes[i + 1 :]


def reshape(axes: Axes, shape: object) -> Axes | None:
    """``view``/``reshape`` to ``shape``: one anonymous axis per entry."""
    wanted = _sizes(shape)
    if wanted is None:
        return None
    return _new_axes(wanted, _product(axes))


def reduce(axes: Axes, dim: object, keepdim: object) -> Axes | None:
    """``dim`` (None: every dim) reduced: removed, or size 1 with ``keepdim``."""
    if not isinstance(keepdim, bool):
        return None
    if dim is None:
        if rank_of(axes) is None:
            return None
        return tuple(_ONE for _ in axes) if keepdim else ()
    dims = as_dims(dim)
    if not dims:
        return None  # an empty tuple means "all dims" in some releases only
    found = {locate(axes, d) for d in dims}
    if None in found or len(found) != len(dims):
        return None
    if keepdim:
        return tuple(_ONE if i in found else axis for i, axis in enumerate(axes))
    return tuple(axis for i, axis in enumerate(axes) if i not in found)


# -- indexing -------------------------------------------------------------------------


def _takes_axis(item: object) -> bool | None:
    """Whether an index item uses up one axis (int, slice), none (None), or is not
    understood (None)."""
    if is_int(item) or item is SCALAR or isinstance(item, slice):
        return True
    if item is None:
        return False
    return None


def _apply(item: object, axis: AxisType | None) -> tuple[AxisType, ...]:
    if item is None:
        return (_ONE,)
    if isinstance(item, slice):
        assert axis is not None
        return (_sliced(axis, item),)
    return ()


def _sliced(axis: AxisType, part: slice) -> AxisType:
    if part.start in (None, 0) and part.stop is None and part.step in (None, 1):
        return axis
    literal = all(b is None or is_int(b) for b in (part.start, part.stop, part.step))
    if axis.size is not None and literal and (part.step is None or part.step > 0):
        return resized_axis(axis, len(range(axis.size)[part]))
    return resized_axis(axis)


def index(axes: Axes, key: object) -> Axes | None:
    """``x[key]`` for basic indexing: ints (and :data:`SCALAR`) drop an axis, slices
    keep it (resized), None adds a size-1 axis, ``...`` stands for the axes no
    other item uses. A tensor or list in the key (advanced indexing): None."""
    items = key if isinstance(key, tuple) else (key,)
    if sum(item is Ellipsis for item in items) > 1:
        return None
    cut = items.index(Ellipsis) if Ellipsis in items else len(items)
    head, tail = items[:cut], items[cut + 1 :]
    uses = [_takes_axis(item) for item in head + tail]
    if None in uses:
        return None
    n_head = sum(1 for item in head if _takes_axis(item))
    n_tail = sum(1 for item in tail if _takes_axis(item))
    if n_head and locate(axes, n_head - 1) != n_head - 1:
        return None
    if n_tail and locate(axes, -n_tail) != len(axes) - n_tail:
        return None
    if n_head + n_tail > len(axes):
        return None
    out: list[AxisType] = []
    pos = 0
    for item in head:
        out.extend(_apply(item, axes[pos] if _takes_axis(item) else None))
        pos += 1 if _takes_axis(item) else 0
    middle = axes[n_head : len(axes) - n_tail]
    out.extend(middle)
    pos = len(axes) - n_tail
    for item in tail:
        out.extend(_apply(item, axes[pos] if _takes_axis(item) else None))
        pos += 1 if _takes_axis(item) else 0
    return tuple(out)
