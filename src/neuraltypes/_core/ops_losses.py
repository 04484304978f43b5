"""Ports of torch's layers and losses: what a call of them must be given.

A port is a list of axis strings, one per accepted rank (``"T B C"`` batched,
``"T C"`` unbatched), and an element class or None (not checked). A value is
checked against the string of its rank, with the connection rule of
:func:`check_parts` and its wording; a value whose axes or element is unknown is
not checked for that part.
"""

from __future__ import annotations

from collections.abc import Mapping

from .axes import AxisType
from .dtypes import DTYPE_CATEGORIES, category_dtypes
from .elements import ELEMENT_FULLNAME, VOID_FULLNAME, ElementInfo
from .neural_type import coerce_axes
from .ops_axes import Axes, rank_of
from .ops_elements import LOGPROBS, LOSS
from .ops_model import (
    NOT_DECIDED,
    Arg,
    Element,
    Outcome,
    Problem,
    TensorType,
    describe_tensor,
    element_info_of,
)
from .ops_rules import Bound, Op, known_tensor
from .parse import parse_axes
from .record import record
from .verdict import check_parts, where_port

__all__ = ["CLASS_TARGETS", "LOSSES", "Port", "check_loss", "check_port", "loss_rule"]

_VOID = ElementInfo("VoidType", (VOID_FULLNAME, ELEMENT_FULLNAME), None)


@record
class Port:
    """One input of a layer or loss.

    Attributes:
        name: torch's parameter name.
        axes: the axis strings it accepts, one per rank (the first is the usual
            one, and the one a value of another rank is reported against); ``()``:
            axes not checked.
        element: the element class it wants, or None (not checked).
    """

    name: str
    axes: tuple[str, ...] = ()
    element: Element | None = None


def _choose(alternatives: tuple[Axes, ...], found: Axes | None) -> Axes | None:
    """The alternative for a value of ``found``'s rank (the first when none fits)."""
    if not alternatives:
        return None
    rank = None if found is None else rank_of(found)
    for axes in alternatives:
        fixed = rank_of(axes)
        if rank is not None and (rank == fixed or (fixed is None and rank >= len(axes) - 1)):
            return axes
    return alternatives[0]


def check_port(
    where: str, value: Arg, alternatives: tuple[Axes, ...], element: Element | None
) -> tuple[Problem, ...]:
    """The problems of giving ``value`` to a port (none for a plain tensor)."""
    tensor = known_tensor(value)
    if tensor is None:
        return ()
    expected = _choose(alternatives, tensor.axes)
    both_axes = expected is not None and tensor.axes is not None
    found_axes = tensor.axes if both_axes else None
    expected_axes = expected if both_axes else None
    both_elements = element is not None and tensor.element is not None
    found_info = element_info_of(tensor.element) if tensor.element and both_elements else _VOID
    want_info = element_info_of(element) if element and both_elements else _VOID
    mismatches = check_parts(found_axes, found_info, expected_axes, want_info)
    want = describe_tensor(TensorType(expected, element))
    got = describe_tensor(tensor)
    if not mismatches:
        return ()
    first, *others = [m.__class__(m.code, m.problem, want, got, m.hint) for m in mismatches]
    return (Problem(where, first, tuple(others)),)  # one error per value


def check_ports(owner: str, ports: tuple[Port, ...], bound: Bound) -> tuple[Problem, ...]:
    """Every port's problems, in order."""
    problems: list[Problem] = []
    for port in ports:
        alternatives = tuple(parse_axes(text) for text in port.axes)
        problems += check_port(
            where_port(owner, port.name), bound.get(port.name), alternatives, port.element
        )
    return tuple(problems)


_LENGTHS = ("B", "")
#: loss -> its ports (the lengths and targets are checked for rank only)
LOSSES: dict[str, tuple[Port, ...]] = {
    "ctc": (
        Port("log_probs", ("T B C", "T C"), LOGPROBS),
        Port("targets"),
        Port("input_lengths", _LENGTHS),
        Port("target_lengths", _LENGTHS),
    ),
    "nll": (Port("input", ("B C ...", "C"), LOGPROBS), Port("target")),
    "cross_entropy": (Port("input", ("B C ...", "C")), Port("target")),
}


#: loss -> the rank its class target must have (checked for rank only): class
#: indices have the input's axes but the class axis; cross-entropy also takes class
#: probabilities of the input's rank, unless the target's dtype is an integer one
CLASS_TARGETS: dict[str, str] = {
    "nll": "one axis less than the input",
    "cross_entropy": "one axis less than the input, or as many when not of an integer dtype",
}


def check_loss(owner: str, kind: str, bound: Bound) -> tuple[Problem, ...]:
    """A loss's ports (:data:`LOSSES`), then a class target's rank (:data:`CLASS_TARGETS`)."""
    problems = check_ports(owner, LOSSES[kind], bound)
    if kind in CLASS_TARGETS and not problems:
        problems += _target_rank(owner, kind, bound)
    return problems


def _target_rank(owner: str, kind: str, bound: Bound) -> tuple[Problem, ...]:
    """The class target's rank against the input's: class indices have one axis
    less (no class axis); a cross-entropy target that may be floating may also be
    probabilities, of the input's rank. Unknown ranks are not checked."""
    tensor, target = known_tensor(bound.get("input")), known_tensor(bound.get("target"))
    if tensor is None or target is None or tensor.axes is None or target.axes is None:
        return ()
    rank = rank_of(tensor.axes)
    if not rank or rank_of(target.axes) is None:
        return ()
    ranks = [rank - 1]
    dtypes = category_dtypes(target.dtype)
    if kind == "cross_entropy" and (dtypes is None or dtypes & DTYPE_CATEGORIES["Inexact"]):
        ranks.append(rank)
    alternatives = tuple(tuple(AxisType(None) for _ in range(r)) for r in ranks)
    return check_port(where_port(owner, "target"), target, alternatives, None)


def _reduction(bound: Mapping[str, Arg]) -> Arg:
    """The literal reduction, or None when the legacy arguments leave it unclear."""
    if bound.get("size_average") is not None or bound.get("reduce") is not None:
        return None
    return bound.get("reduction", "mean")


def loss_result(kind: str, bound: Bound, init: Bound | None) -> TensorType | None:
    """A scalar LossType for a literal ``mean``/``sum`` reduction; a per-sample
    ``"B"`` one for CTC with ``none``."""
    settings = bound if init is None else init
    reduction = _reduction(settings)
    if reduction in ("mean", "sum"):
        return TensorType((), LOSS)
    if reduction == "none" and kind == "ctc":
        log_probs = known_tensor(bound.get("log_probs"))
        jaxtyping = log_probs is not None and log_probs.jaxtyping
        return TensorType(coerce_axes("B"), LOSS, None, jaxtyping)
    return None


def loss_rule(name: str, op: Op, bound: Bound) -> Outcome:
    """``F.ctc_loss`` / ``F.nll_loss`` / ``F.cross_entropy``: the ports checked, the
    loss as the reduction says."""
    kind = op.variant or ""
    ports = LOSSES.get(kind)
    if ports is None:
        return NOT_DECIDED
    problems = check_loss(name, kind, bound)
    return Outcome(loss_result(kind, bound, None), problems)
