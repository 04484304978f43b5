"""The connection rule: may a value of one neural type flow into a port of another?

``check_connection`` is what the mypy plugin reports and what the runtime raises;
both render the result with :func:`render_mismatches` (one message per value), so
they say the same thing. ``swapped_with`` is their rule for two swapped arguments.

This module works on the parts of a type (axes, element); ``neural_type`` builds on
it (``NeuralType.compare_and_raise_error``), never the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from .axes import AxisType
from .compare import AxesOutcome, compare_axes, transpose_hint
from .dtypes import categories_conflict, dtype_problem
from .elements import ElementInfo, ElementType, compare_elements, element_info
from .errors import NEURAL_AXES, NEURAL_ELEMENT, NEURAL_SIZE, Mismatch
from .parse import render_axes
from .results import NeuralTypeComparisonResult as R

__all__ = [
    "check_connection",
    "check_parts",
    "combine_results",
    "describe_parts",
    "element_problem",
    "reveal_text",
    "swap_hint",
    "swapped_with",
    "where_port",
    "where_return",
]


class TypeParts(Protocol):
    """What :func:`check_connection` reads of a type (a ``NeuralType``)."""

    @property
    def axes(self) -> tuple[AxisType, ...] | None: ...

    @property
    def elements_type(self) -> ElementType: ...

    @property
    def element_known(self) -> bool: ...


def describe_parts(axes: tuple[AxisType, ...] | None, element: str | None) -> str:
    """``"B D T" SpectrogramType``: how messages show a type (``"B D T"`` when its
    element is unknown: None)."""
    shown = "(unspecified axes)" if axes is None else f'"{render_axes(axes)}"'
    return shown if element is None else f"{shown} {element}"


def reveal_text(description: str | None) -> str:
    """What ``reveal_neural_type`` shows, in mypy and at run time, for a value whose
    neural type reads ``description`` (:func:`describe_parts`; None: it carries none)."""
    if description is None:
        return "Neural type is none (the value carries no neural type)"
    return f"Neural type is Tensor[{description}]"


def combine_results(
    element: R,
    expected_void: bool,
    expected_axes: tuple[AxisType, ...] | None,
    found_axes: tuple[AxisType, ...] | None,
    *,
    gradual: bool,
) -> R:
    """NeMo's comparison of two types from its parts: the element comparison, whether
    the declared element is VoidType, and both axis tuples (None: unspecified)."""
    if expected_axes is None:
        if expected_void:
            return R.SAME  # NeMo's "big void"
        if found_axes is None:
            return element
        return R.INCOMPATIBLE
    if found_axes is None:
        return R.INCOMPATIBLE
    outcome = compare_axes(expected_axes, found_axes, gradual=gradual).outcome
    if outcome is AxesOutcome.SAME:
        return element
    if element is not R.SAME:
        return R.INCOMPATIBLE
    if outcome is AxesOutcome.TRANSPOSED:
        return R.TRANSPOSE_SAME
    if outcome is AxesOutcome.SIZES:
        return R.DIM_INCOMPATIBLE
    return R.INCOMPATIBLE


def where_port(owner: str, port: str) -> str:
    """``Decoder.forward port "x"``: how messages name an input port."""
    return f'{owner} port "{port}"'


def where_return(owner: str, port: str | None = None) -> str:
    """``Encoder.forward return value "encoded"``: how messages name an output."""
    return f'{owner} return value "{port}"' if port else f"{owner} return value"


def swapped_with(index: int, count: int, fits: Callable[[int, int], bool]) -> int | None:
    """The argument that argument ``index`` of a call seems swapped with: of the
    call's ``count`` arguments, the first other one such that neither fits its own
    port and each fits the other's. ``fits(a, p)``: whether argument ``a``'s value
    fits argument ``p``'s port, by the connection rule (:func:`check_parts`)."""
    if fits(index, index):
        return None
    for other in range(count):
        if other != index and fits(index, other) and fits(other, index) and not fits(other, other):
            return other
    return None


def swap_hint(first: str, second: str) -> str:
    """The hint for two swapped arguments, naming their ports in the signature's
    order: ``arguments swapped? the values for "audio_signal" and "length" each
    fit the other's port``."""
    return f'arguments swapped? the values for "{first}" and "{second}" each fit the other\'s port'


def element_problem(expected: ElementInfo, found: ElementInfo) -> tuple[str, str | None] | None:
    """Why ``found`` does not fit ``expected`` (problem, hint), or None if it does."""
    result = compare_elements(expected, found)
    if result.accepted:
        return None
    problem = f"{found.describe()} is not {expected.describe()}"
    if found.is_void:
        return problem, (
            "a VoidType (unconstrained) value is accepted only where VoidType is declared"
        )
    if result is R.LESS:
        return problem, f"{found.name} is more general than {expected.name}"
    return problem, None


def check_connection(
    found: TypeParts, expected: TypeParts, *, gradual: bool = True
) -> tuple[Mismatch, ...]:
    """The reasons a value of type ``found`` does not fit a port declaring
    ``expected``; empty when it fits.

    An unknown element (:meth:`NeuralType.axes_only`) on either side is not
    checked. Otherwise it fits when ``expected.compare_with(found, gradual=...)`` is
    SAME or GREATER:
    the value's element is the declared one or more specific (VoidType declared
    accepts anything), its axes have the declared kinds in the declared order, and
    no fixed size differs. ``gradual`` (the default, used for connections) lets a
    given axis of unknown size meet a declared fixed size.
    """
    known = found.element_known and expected.element_known
    return check_parts(
        found.axes,
        element_info(found.elements_type) if found.element_known else None,
        expected.axes,
        element_info(expected.elements_type) if expected.element_known else None,
        element_result=expected.elements_type.compare(found.elements_type) if known else None,
        gradual=gradual,
    )


def check_parts(
    found_axes: tuple[AxisType, ...] | None,
    found_element: ElementInfo | None,
    expected_axes: tuple[AxisType, ...] | None,
    expected_element: ElementInfo | None,
    *,
    element_result: R | None = None,
    gradual: bool = True,
    found_dtype: str | None = None,
    expected_dtype: str | None = None,
) -> tuple[Mismatch, ...]:
    """:func:`check_connection` over the parts of two types, for callers that
    describe elements by :class:`ElementInfo` (the mypy plugin sees classes, not
    instances). ``element_result`` overrides the element comparison (the runtime
    passes ``ElementType.compare``'s, which a subclass may customise).

    An element of None is **unknown** (an annotation that states none, such as a
    jaxtyping one): only the axes are checked, and messages show the axes alone.
    That is not VoidType: a VoidType value fits only a VoidType port, as in NeMo.

    ``found_dtype`` and ``expected_dtype`` are jaxtyping dtype categories (``Float``,
    ``Int64``; None: not stated): a value whose category shares no dtype with the
    port's does not fit (:func:`categories_conflict`), reported after the rest, as
    the runtime checks a tensor's dtype after its type."""
    if found_element is None or expected_element is None:
        element_result = R.SAME
    elif element_result is None:
        element_result = compare_elements(expected_element, found_element)
    open_port = expected_element is None or expected_element.is_void
    verdict = combine_results(
        element_result, open_port, expected_axes, found_axes, gradual=gradual
    )
    dtype = _dtype_mismatch(
        found_axes, found_element, found_dtype, expected_axes, expected_element, expected_dtype
    )
    if verdict.accepted:
        return dtype
    want = describe_parts(expected_axes, _describe(expected_element))
    got = describe_parts(found_axes, _describe(found_element))
    out: list[Mismatch] = []
    elem = None
    if found_element is not None and expected_element is not None:
        elem = element_problem(expected_element, found_element)
    if elem is not None:
        out.append(Mismatch(NEURAL_ELEMENT, elem[0], want, got, elem[1]))
    if expected_axes is None or found_axes is None:
        if expected_axes is not found_axes:
            problem = (
                "the value has no declared axes"
                if found_axes is None
                else "the port declares no axes, the value has some"
            )
            out.append(Mismatch(NEURAL_AXES, problem, want, got))
    else:
        axes = compare_axes(expected_axes, found_axes, gradual=gradual)
        if axes.outcome is AxesOutcome.TRANSPOSED:
            assert axes.permutation is not None
            out.append(
                Mismatch(NEURAL_AXES, axes.detail, want, got, transpose_hint(axes.permutation))
            )
        elif axes.outcome is AxesOutcome.SIZES:
            out.append(Mismatch(NEURAL_SIZE, axes.detail, want, got))
        elif axes.outcome is AxesOutcome.DIFFERENT:
            out.append(Mismatch(NEURAL_AXES, axes.detail, want, got))
    if not out:  # e.g. a custom ElementType.compare said no
        out.append(Mismatch(NEURAL_ELEMENT, f"{got} does not fit {want}", want, got))
    return tuple(out) + dtype


def _dtype_mismatch(
    found_axes: tuple[AxisType, ...] | None,
    found_element: ElementInfo | None,
    found_dtype: str | None,
    expected_axes: tuple[AxisType, ...] | None,
    expected_element: ElementInfo | None,
    expected_dtype: str | None,
) -> tuple[Mismatch, ...]:
    """The dtype categories' mismatch, if they conflict (worded as at run time:
    the found type followed by its dtype)."""
    if found_dtype is None or not categories_conflict(found_dtype, expected_dtype):
        return ()
    assert expected_dtype is not None  # (a conflict needs both)
    want = describe_parts(expected_axes, _describe(expected_element))
    got = describe_parts(found_axes, _describe(found_element))
    problem = dtype_problem(found_dtype, expected_dtype)
    return (Mismatch(NEURAL_ELEMENT, problem, want, f"{got}, dtype {found_dtype}"),)


def _describe(element: ElementInfo | None) -> str | None:
    return None if element is None else element.describe()
