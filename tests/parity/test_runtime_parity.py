"""The parity table through the runtime: a tagged tensor flows into a checked port."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
import torch
from jaxtyping import Float
from torch import Tensor

import neuraltypes.elements as elements
from neuraltypes import NeuralTypeError, typecheck

from .cases import CASES, Case, Side, concrete_shape


def annotation(side: Side) -> Any:
    if side.jaxtyping:
        return Float[Tensor, side.axes]
    if side.element is None:
        return Annotated[Tensor, side.axes]
    return Annotated[Tensor, side.axes, getattr(elements, side.element)]


def make(fn: Any, annotations: dict[str, Any]) -> Any:
    fn.__annotations__ = annotations
    return typecheck()(fn)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_runtime_verdict(case: Case) -> None:
    shape = concrete_shape(case)
    producer = make(lambda: torch.zeros(shape), {"return": annotation(case.producer)})
    consumer = make(lambda x: None, {"x": annotation(case.consumer)})
    value = producer()
    try:
        consumer(value)
    except NeuralTypeError as err:
        codes = tuple(m.code for m in err.mismatches)
    else:
        codes = ()
    assert codes == case.codes
