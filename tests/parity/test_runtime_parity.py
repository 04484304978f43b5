"""The parity table through the runtime: a tensor produced (and tagged) by a checked
producer flows into a checked consumer; the error codes must be the table's.

Annotations are built as objects (``typing.Annotated[...]``, jaxtyping's
``Float[Tensor, ...]``), never from source text. A consumer side whose size
expressions use names it does not bind itself (``"B d+1 T"``) cannot stand alone
at run time (jaxtyping and the core's plan reject it: "name it in an earlier
port"); the consumer then gets an earlier port that binds those names to sizes
consistent with the tensor, so the connection itself is what gets checked.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Any

import pytest
import torch
from jaxtyping import Float
from torch import Tensor

import neuraltypes.elements as elements
from neuraltypes import NeuralTypeError, typecheck
from neuraltypes._core import binding_key, coerce_axes

from .cases import CASES, Case, Side, concrete_shape


def annotation(side: Side) -> Any:
    if side.jaxtyping:
        return Float[Tensor, side.axes]
    if side.element is None:
        return Annotated[Tensor, side.axes]
    return Annotated[Tensor, side.axes, getattr(elements, side.element)]


def free_names(side: Side) -> list[str]:
    """Names used by size expressions of ``side`` that no earlier axis of it binds."""
    bound: set[str] = set()
    free: list[str] = []
    for axis in coerce_axes(side.axes, jaxtyping=side.jaxtyping) or ():
        if axis.expr is not None:
            free += sorted(axis.expr.variables() - bound - set(free))
        key = binding_key(axis)
        if key is not None:
            bound.add(key)
    return free


def binding_sizes(side: Side, names: list[str], shape: tuple[int, ...]) -> tuple[int, ...]:
    """Sizes for ``names`` under which every expression axis of ``side`` has the size
    ``shape`` gives it (a small search: the table's expressions are tiny)."""
    axes = coerce_axes(side.axes, jaxtyping=side.jaxtyping) or ()
    for sizes in itertools.product(range(65), repeat=len(names)):
        env = dict(zip(names, sizes))
        if all(a.expr.evaluate(env) == n for a, n in zip(axes, shape) if a.expr is not None):
            return sizes
    raise AssertionError(f"no sizes for {names} fit {side.axes!r} with shape {shape}")


def make(fn: Any, annotations: dict[str, Any]) -> Any:
    fn.__annotations__ = annotations
    return typecheck()(fn)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_runtime_verdict(case: Case) -> None:
    shape = concrete_shape(case)
    assert not free_names(case.producer), "the producer side must stand alone"
    producer = make(lambda: torch.zeros(shape), {"return": annotation(case.producer)})
    names = free_names(case.consumer)
    if names:
        sizes = Float[Tensor, " ".join(names)]
        consumer = make(lambda sizes, x: None, {"sizes": sizes, "x": annotation(case.consumer)})
        binder = torch.zeros(binding_sizes(case.consumer, names, shape))
        call = lambda value: consumer(binder, value)  # noqa: E731
    else:
        consumer = make(lambda x: None, {"x": annotation(case.consumer)})
        call = consumer
    value = producer()
    assert value.neural_type is not None and tuple(value.shape) == shape
    try:
        call(value)
    except NeuralTypeError as err:
        assert err.code != "neural-spec" and err.mismatches, str(err)
        codes = tuple(m.code for m in err.mismatches)
    else:
        codes = ()
    assert codes == case.codes


def test_a_consumer_with_free_expression_names_is_a_spec_error_alone() -> None:
    case = next(c for c in CASES if free_names(c.consumer))
    with pytest.raises(NeuralTypeError) as info:
        make(lambda x: None, {"x": annotation(case.consumer)})
    assert info.value.code == "neural-spec"
    assert "which no earlier axis binds" in str(info.value)
