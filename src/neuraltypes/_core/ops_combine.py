"""Rules that combine the axes of several tensors: ``cat``, ``stack``, ``matmul``,
``einsum``. Each function returns None where the result is not certain."""

from __future__ import annotations

from collections.abc import Sequence

from .axes import AxisType
from .ops_axes import Axes, anonymous, as_dim, broadcast, insert_index, locate, rank_of
from .ops_axes import resized as resized_axis

__all__ = ["cat", "einsum", "matmul", "stack"]


def _same(axes: Sequence[AxisType]) -> AxisType | None:
    """The axis several tensors share at one position, or None when they visibly
    differ (their kinds or fixed sizes)."""
    first = axes[0]
    for other in axes[1:]:
        if other == first:
            continue
        merged, problem = broadcast((first,), (other,))
        if problem is not None or merged is None or 1 in (first.size, other.size):
            return None
        first = merged[0]
    return first


def _aligned(all_axes: Sequence[Axes]) -> list[AxisType] | None:
    """The axes of tensors of one rank merged position by position."""
    rank = rank_of(all_axes[0])
    if rank is None or any(rank_of(axes) != rank for axes in all_axes):
        return None
    out = []
    for column in zip(*all_axes):
        axis = _same(column)
        if axis is None:
            return None
        out.append(axis)
    return out


def cat(all_axes: Sequence[Axes], dim: object) -> Axes | None:
    """``torch.cat``: tensors of one rank joined along ``dim`` (its size is the sum
    when all are fixed; its kind stays when all share it)."""
    d = as_dim(dim)
    if not all_axes or d is None:
        return None
    i = locate(all_axes[0], d)
    if i is None:
        return None
    rest = [axes[:i] + axes[i + 1 :] for axes in all_axes]
    merged = _aligned(rest)
    if merged is None:
        return None
    joined = [axes[i] for axes in all_axes]
    sizes = [axis.size for axis in joined]
    total = None if None in sizes else sum(s for s in sizes if s is not None)
    kinds = {axis.kind for axis in joined}
    axis = resized_axis(joined[0], total) if len(kinds) == 1 else anonymous(total)
    return tuple(merged[:i]) + (axis,) + tuple(merged[i:])


def stack(all_axes: Sequence[Axes], dim: object) -> Axes | None:
    """``torch.stack``: tensors of the same axes stacked along a new dim of size
    ``len(tensors)``."""
    d = as_dim(dim)
    if not all_axes or d is None:
        return None
    merged = _aligned(all_axes)
    if merged is None:
        return None
    at = insert_index(tuple(merged), d)
    if at is None:
        return None
    return tuple(merged[:at]) + (anonymous(len(all_axes)),) + tuple(merged[at:])


def matmul(left: Axes, right: Axes) -> Axes | None:
    """``left @ right``: the batch dims broadcast, the contracted dims go, the rows
    of ``left`` and the columns of ``right`` stay."""
    if not left or not right:
        return None
    l_vec, r_vec = rank_of(left) == 1, rank_of(right) == 1
    if l_vec and r_vec:
        return ()
    if r_vec:
        return left[:-1] if locate(left, -1) is not None else None
    if l_vec:
        return right[:-2] + right[-1:] if locate(right, -2) is not None else None
    if locate(left, -2) is None or locate(right, -2) is None:
        return None
    batch, problem = broadcast(left[:-2], right[:-2])
    if batch is None or problem is not None:
        return None
    return batch + (left[-2], right[-1])


# -- einsum ---------------------------------------------------------------------------


def _terms(equation: str) -> tuple[list[str], str] | None:
    """The input terms and the output term of an equation; the implicit output
    (letters used once, in alphabetical order) when it has no ``->``."""
    text = equation.replace(" ", "")
    inputs, arrow, output = text.partition("->")
    terms = inputs.split(",")
    for term in [*terms, output]:
        if term.replace("...", "").strip() and not term.replace("...", "").isalpha():
            return None
        if not term.replace("...", "").isascii() or term.count("...") > 1:
            return None
    if not arrow:
        letters = "".join(terms).replace("...", "")
        once = sorted(c for c in set(letters) if letters.count(c) == 1)
        dots = "..." if any("..." in t for t in terms) else ""
        output = dots + "".join(once)
    return terms, output


def _bind_term(term: str, axes: Axes, letters: dict[str, list[AxisType]]) -> Axes | None:
    """Record the axis under each letter of ``term``; return the axes ``...`` covers
    (``()`` without one), or None when the term does not fit ``axes``."""
    head, dots, tail = term.partition("...")
    middle: Axes = ()
    if not dots:
        if rank_of(axes) != len(head):
            return None
    else:
        if head and locate(axes, len(head) - 1) != len(head) - 1:
            return None
        if tail and locate(axes, -len(tail)) != len(axes) - len(tail):
            return None
        if len(head) + len(tail) > len(axes):
            return None
        middle = axes[len(head) : len(axes) - len(tail)]
    for letter, axis in zip(head, axes):
        letters.setdefault(letter, []).append(axis)
    for letter, axis in zip(tail, axes[len(axes) - len(tail) :]):
        letters.setdefault(letter, []).append(axis)
    return middle


def einsum(equation: object, operands: Sequence[Axes]) -> Axes | None:
    """``torch.einsum`` with a literal equation: each output letter's axis is the
    axis that letter names in the operands."""
    if not isinstance(equation, str):
        return None
    parsed = _terms(equation)
    if parsed is None or len(parsed[0]) != len(operands):
        return None
    terms, output = parsed
    letters: dict[str, list[AxisType]] = {}
    runs: Axes | None = None
    for term, axes in zip(terms, operands):
        middle = _bind_term(term, axes, letters)
        if middle is None:
            return None
        if "..." in term:
            runs, problem = (middle, None) if runs is None else broadcast(runs, middle)
            if runs is None or problem is not None:
                return None
    head, dots, tail = output.partition("...")
    if len(set(head + tail)) != len(head + tail) or (dots and runs is None):
        return None
    out: list[AxisType] = []
    for letter in head + tail:
        if letter not in letters:
            return None
        axis = _same_letter(letters[letter])
        if axis is None:
            return None
        out.append(axis)
    middle = runs if dots and runs is not None else ()
    return tuple(out[: len(head)]) + middle + tuple(out[len(head) :])


def _same_letter(axes: list[AxisType]) -> AxisType | None:
    merged: Axes | None = (axes[0],)
    for axis in axes[1:]:
        assert merged is not None
        merged, problem = broadcast(merged, (axis,))
        if merged is None or problem is not None:
            return None
    assert merged is not None
    return merged[0]
