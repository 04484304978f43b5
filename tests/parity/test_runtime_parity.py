"""The parity table through the runtime: a tensor produced (and tagged) by a checked
producer flows into a checked consumer; the message must be the table's, as the
runtime words it (:func:`.cases.runtime_message`). Spec cases are raised when the
function is decorated.

Annotations are built as objects (``typing.Annotated[...]``, jaxtyping's
``Float[Tensor, ...]``), never from source text. A consumer side whose size
expressions use names it does not bind itself (``"B d+1 T"``) cannot stand alone
at run time (jaxtyping and the core's plan reject it: "name it in an earlier
port"); the consumer then gets an earlier port that binds those names to sizes
consistent with the tensor, so the connection itself is what gets checked.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Annotated, Any

import pytest
import torch
from jaxtyping import Float
from torch import Tensor

import neuraltypes.elements as elements
from neuraltypes import NeuralModule, NeuralTypeError, typecheck
from neuraltypes._core import coerce_axes

from .cases import (
    CASES,
    INHERITED,
    SWAP_CASES,
    Case,
    Side,
    SwapCase,
    concrete_shape,
    free_names,
    params,
    runtime_message,
    runtime_swap_message,
)
from .spec_cases import SPEC_CASES, Element, SpecCase


def annotation(side: Side) -> Any:
    if side.jaxtyping:
        return Float[Tensor, side.axes]
    if side.element is None:
        return Annotated[Tensor, side.axes]
    return Annotated[Tensor, side.axes, getattr(elements, side.element)]


def binding_sizes(side: Side, names: list[str], shape: tuple[int, ...]) -> tuple[int, ...]:
    """Sizes for ``names`` under which every expression axis of ``side`` has the size
    ``shape`` gives it (a small search: the table's expressions are tiny)."""
    axes = coerce_axes(side.axes, jaxtyping=side.jaxtyping) or ()
    for sizes in itertools.product(range(65), repeat=len(names)):
        env = dict(zip(names, sizes))
        if all(a.expr.evaluate(env) == n for a, n in zip(axes, shape) if a.expr is not None):
            return sizes
    raise AssertionError(f"no sizes for {names} fit {side.axes!r} with shape {shape}")


def make(name: str, fn: Any, annotations: dict[str, Any]) -> Any:
    fn.__annotations__ = annotations
    fn.__name__ = fn.__qualname__ = name
    return typecheck()(fn)


def inherited_consumer(case: Case) -> Callable[[Tensor], object]:
    """An instance of ``Child_<id>``, whose ``forward`` is defined on ``Base_<id>``."""

    def forward(self: Any, x: Tensor) -> None:
        return None

    forward = make("forward", forward, {"x": annotation(case.consumer), "return": None})
    base = type(f"Base_{case.ident}", (NeuralModule,), {"forward": forward})
    child: Callable[[Tensor], object] = type(f"Child_{case.ident}", (base,), {})()
    return child


def consumer(case: Case, shape: tuple[int, ...]) -> Callable[[Tensor], object]:
    """A checked consumer of port ``x``, as the case reaches it."""
    names = free_names(case.consumer)
    if case.via == INHERITED:
        assert not names, "an inherited consumer must stand alone"
        return inherited_consumer(case)
    ann = {"x": annotation(case.consumer)}
    if not names:
        return make(case.owner, lambda x: None, ann)  # type: ignore[no-any-return]
    bound = make(
        case.owner, lambda sizes, x: None, {"sizes": Float[Tensor, " ".join(names)], **ann}
    )
    binder = torch.zeros(binding_sizes(case.consumer, names, shape))
    return lambda value: bound(binder, value)


@pytest.mark.parametrize("case", params(CASES, "runtime"))
def test_runtime_verdict(case: Case) -> None:
    shape = concrete_shape(case)
    assert not free_names(case.producer), "the producer side must stand alone"
    producer = make("produce", lambda: torch.zeros(shape), {"return": annotation(case.producer)})
    call = consumer(case, shape)
    value = producer()
    assert value.neural_type is not None and tuple(value.shape) == shape
    try:
        call(value)
    except NeuralTypeError as err:
        assert err.code == (case.codes[0] if case.codes else None), str(err)
        assert tuple(m.code for m in err.mismatches) == case.codes
        message: str | None = str(err)
    else:
        message = None
    assert message == runtime_message(case, shape)


@pytest.mark.parametrize("case", params(SWAP_CASES, "runtime"))
def test_runtime_swap(case: SwapCase) -> None:
    """The runtime raises at the first argument that does not fit, with the hint."""
    shapes = {
        "a": concrete_shape(Case("", case.a, case.x)),
        "b": concrete_shape(Case("", case.b, case.y)),
    }
    side = {"a": case.a, "b": case.b}
    a, b = (
        make(f"make_{v}", lambda s=shapes[v]: torch.zeros(s), {"return": annotation(side[v])})()
        for v in "ab"
    )
    ports = {"x": annotation(case.x), "y": annotation(case.y)}
    call = make(case.owner, lambda x, y: None, ports)
    with pytest.raises(NeuralTypeError) as info:
        call(a, b)
    said = case.x_said or case.y_said
    assert tuple(m.code for m in info.value.mismatches) == tuple(s.code for s in said)
    assert str(info.value) == runtime_swap_message(case, shapes["a" if case.x_said else "b"])


def spec_annotation(case: SpecCase) -> Any:
    if isinstance(case.base, str):
        base: Any = {"Tensor": Tensor, "int": int}[case.base]
    else:
        base = Float[Tensor, case.base.axes]
    items = [getattr(elements, i.name) if isinstance(i, Element) else i for i in case.metadata]
    parts = (base, *items)
    return Annotated[parts]


@pytest.mark.parametrize("case", params(SPEC_CASES, "runtime"))
def test_runtime_spec_error(case: SpecCase) -> None:
    with pytest.raises(NeuralTypeError) as info:
        make(case.owner, lambda x: None, {"x": spec_annotation(case)})
    assert (info.value.code, info.value.mismatches) == ("neural-spec", ())
    assert str(info.value) == f'{case.owner} port "x": {case.reason}'


def test_a_consumer_with_free_expression_names_is_a_spec_error_alone() -> None:
    case = next(c for c in CASES if free_names(c.consumer))
    with pytest.raises(NeuralTypeError) as info:
        make("alone", lambda x: None, {"x": annotation(case.consumer)})
    assert info.value.code == "neural-spec"
    assert str(info.value) == (
        'alone port "x": size expression "d+1" uses d, which no earlier axis binds; '
        "name it in an earlier port"
    )


def test_a_tag_is_shown_as_its_own_annotation_spells_it() -> None:
    def produce(axes: str) -> Tensor:
        fn = make("produce", lambda: torch.zeros(2, 3, 4), {"return": Annotated[Tensor, axes]})
        value: Tensor = fn()
        return value

    take = make("take", lambda x: None, {"x": Annotated[Tensor, "B D T", elements.LogitsType]})
    produce("B T C")
    with pytest.raises(NeuralTypeError) as info:
        take(produce("B T D"))
    assert str(info.value) == (
        'take port "x": axes are transposed (expected "B D T" LogitsType, '
        'found "B T D", shape (2, 3, 4)); did you mean .transpose(1, 2)?'
    )
