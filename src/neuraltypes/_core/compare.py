"""Comparing the axes of a declared type with the axes of a given one."""

from __future__ import annotations

from collections import Counter
from enum import Enum

from .axes import AxisType
from .kinds import AxisKind
from .parse import render_axes
from .record import record

__all__ = ["AxesOutcome", "AxesVerdict", "compare_axes", "transpose_hint"]


class AxesOutcome(Enum):
    SAME = 0
    TRANSPOSED = 1  # the same axes in another order
    SIZES = 2  # the same axis kinds, a fixed size differs
    DIFFERENT = 3  # rank or kinds differ


@record
class AxesVerdict:
    """How two axis tuples compare, with a phrase saying where they differ.

    ``permutation[i]`` is, for a TRANSPOSED verdict, the index of the given axis
    that plays the part of declared axis ``i``.
    """

    outcome: AxesOutcome
    detail: str = ""
    permutation: tuple[int, ...] | None = None


_SAME = AxesVerdict(AxesOutcome.SAME)


def _size_differs(expected: AxisType, found: AxisType, gradual: bool) -> bool:
    if expected.size is None or expected.size == found.size:
        return False
    if found.size is None:
        return not gradual
    return not (expected.broadcast and found.size == 1)


def _kind_differs(expected: AxisType, found: AxisType) -> bool:
    if expected.is_list != found.is_list:
        return True
    if expected.kind is None or found.kind is None or expected.kind is AxisKind.Any:
        return False
    return expected.kind != found.kind


def _variadic_index(axes: tuple[AxisType, ...]) -> int | None:
    for index, axis in enumerate(axes):
        if axis.variadic:
            return index
    return None


def compare_axes(
    expected: tuple[AxisType, ...], found: tuple[AxisType, ...], *, gradual: bool
) -> AxesVerdict:
    """Compare declared axes with given ones.

    Kinds are compared position by position; an axis without a kind (a
    jaxtyping-style name, ``_``, a bare size) matches any axis, and ``any`` on the
    declared side accepts any kind. A fixed size on the declared side must match;
    with ``gradual`` a given axis of unknown size is accepted (the static checker
    and connections use this), without it (NeMo's ``compare``) it is not. A
    variadic axis (``...``, ``*name``) matches any run of axes.
    """
    ve, vf = _variadic_index(expected), _variadic_index(found)
    if ve is None and vf is None:
        if len(expected) != len(found):
            return AxesVerdict(
                AxesOutcome.DIFFERENT,
                f"{_axes(len(found))} where {len(expected)} are expected",
            )
        pairs = list(enumerate(zip(expected, found)))
    else:
        e_min = len(expected) - (ve is not None)
        f_min = len(found) - (vf is not None)
        if (ve is None and f_min > len(expected)) or (vf is None and e_min > len(found)):
            return AxesVerdict(
                AxesOutcome.DIFFERENT,
                f"too {'many' if ve is None else 'few'} axes for {_q(expected)}",
            )
        left = min(len(expected) if ve is None else ve, len(found) if vf is None else vf)
        right = min(
            len(expected) if ve is None else len(expected) - ve - 1,
            len(found) if vf is None else len(found) - vf - 1,
        )
        pairs = list(enumerate(zip(expected[:left], found[:left])))
        if right:
            tail = zip(expected[len(expected) - right :], found[len(found) - right :])
            pairs += [(-right + k, pair) for k, pair in enumerate(tail)]
    kind_bad = [(i, e, f) for i, (e, f) in pairs if _kind_differs(e, f)]
    if kind_bad:
        if ve is None and vf is None:
            transposed = _transposition(expected, found, gradual)
            if transposed is not None:
                return transposed
        i, e, f = kind_bad[0]
        return AxesVerdict(
            AxesOutcome.DIFFERENT,
            f"dim {i} is {f.token} where {e.token} is expected",
        )
    for i, (e, f) in pairs:
        if _size_differs(e, f, gradual):
            return AxesVerdict(AxesOutcome.SIZES, _size_phrase(i, e, f))
    return _SAME


def _size_phrase(index: int, expected: AxisType, found: AxisType) -> str:
    has = "unknown size" if found.size is None else f"size {found.size}"
    return f"dim {index} ({expected.token}) has {has}, expected {expected.size}"


def _transposition(
    expected: tuple[AxisType, ...], found: tuple[AxisType, ...], gradual: bool
) -> AxesVerdict | None:
    if any(a.kind is None for a in expected + found):
        return None
    if Counter(a.kind for a in expected) != Counter(a.kind for a in found):
        return None
    used: set[int] = set()
    permutation: list[int] = []
    for e in expected:
        j = next(j for j, f in enumerate(found) if j not in used and f.kind == e.kind)
        used.add(j)
        permutation.append(j)
    for i, j in enumerate(permutation):
        if _size_differs(expected[i], found[j], gradual):
            return AxesVerdict(
                AxesOutcome.SIZES,
                "axes are transposed, and " + _size_phrase(i, expected[i], found[j]),
            )
    return AxesVerdict(
        AxesOutcome.TRANSPOSED,
        "axes are transposed",
        tuple(permutation),
    )


def transpose_hint(permutation: tuple[int, ...]) -> str:
    """``did you mean .transpose(1, 2)?`` (or ``.permute(...)``) for a permutation."""
    moved = [i for i, j in enumerate(permutation) if i != j]
    if len(moved) == 2:
        return f"did you mean .transpose({moved[0]}, {moved[1]})?"
    return f"did you mean .permute({', '.join(map(str, permutation))})?"


def _q(axes: tuple[AxisType, ...]) -> str:
    return f'"{render_axes(axes)}"'


def _axes(n: int) -> str:
    return "1 axis" if n == 1 else f"{n} axes"
