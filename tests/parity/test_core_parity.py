"""The parity table through the core: the connection rule's mismatches, part by part
and as rendered, and the axis-string errors of the spec cases."""

from __future__ import annotations

import pytest

import neuraltypes.elements as elements
from neuraltypes import NeuralType
from neuraltypes._core import (
    AxisSpecError,
    check_connection,
    coerce_axes,
    render_mismatches,
    swap_hint,
    swapped_with,
    where_port,
)

from .cases import (
    CASES,
    SWAP_CASES,
    Case,
    Side,
    SwapCase,
    params,
    static_messages,
    static_swap_messages,
)
from .spec_cases import SPEC_CASES, SpecCase


def neural_type(side: Side) -> NeuralType:
    axes = coerce_axes(side.axes, jaxtyping=side.jaxtyping)
    if side.element is None:  # as an annotation that states no element reads
        return NeuralType.axes_only(axes)
    return NeuralType(axes, getattr(elements, side.element))


@pytest.mark.parametrize("case", params(CASES, "core"))
def test_core_verdict(case: Case) -> None:
    found = check_connection(neural_type(case.producer), neural_type(case.consumer))
    assert [(m.code, m.problem, m.expected, m.found, m.hint) for m in found] == [
        (s.code, s.problem, s.expected, s.found, s.hint) for s in case.said
    ]
    where = where_port(case.owner, "x")
    assert where == case.where
    assert [m.render(where) for m in found] == [f"{case.where}: {s.text}" for s in case.said]
    # the one message per argument every face gives
    one = [f"{render_mismatches(where, found)}  [{found[0].code}]"] if found else []
    assert one == static_messages(case)


@pytest.mark.parametrize("case", params(SWAP_CASES, "core"))
def test_core_swap(case: SwapCase) -> None:
    """The core's rule and words for a call of two ports: each argument's message,
    with the swap hint where the core finds one."""
    values = [neural_type(case.a), neural_type(case.b)]
    ports = [neural_type(case.x), neural_type(case.y)]

    def fits(argument: int, port: int) -> bool:
        return not check_connection(values[argument], ports[port])

    messages = []
    for index, name in enumerate("xy"):
        found = check_connection(values[index], ports[index])
        if found:
            partner = swapped_with(index, 2, fits)
            hint = None if partner is None else swap_hint("x", "y")
            where = where_port(case.owner, name)
            messages.append(f"{render_mismatches(where, found, hint)}  [{found[0].code}]")
    assert messages == static_swap_messages(case)


@pytest.mark.parametrize(
    "case", params(tuple(c for c in SPEC_CASES if c.axis_string is not None), "core")
)
def test_core_axis_string_error(case: SpecCase) -> None:
    assert case.axis_string is not None
    with pytest.raises(AxisSpecError) as info:
        coerce_axes(case.axis_string)
    assert f"malformed axis string: {info.value}" == case.reason
