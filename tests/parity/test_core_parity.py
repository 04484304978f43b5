"""The parity table through the core's connection rule."""

from __future__ import annotations

import pytest

import neuraltypes.elements as elements
from neuraltypes import NeuralType
from neuraltypes._core import check_connection, coerce_axes

from .cases import CASES, Case, Side


def neural_type(side: Side) -> NeuralType:
    axes = coerce_axes(side.axes, jaxtyping=side.jaxtyping)
    if side.element is None:  # as an annotation that states no element reads
        return NeuralType.axes_only(axes)
    return NeuralType(axes, getattr(elements, side.element))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_core_verdict(case: Case) -> None:
    found = neural_type(case.producer)
    expected = neural_type(case.consumer)
    assert tuple(m.code for m in check_connection(found, expected)) == case.codes
