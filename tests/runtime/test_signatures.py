"""The wrapper takes exactly the decorated function's parameters: positional-only,
keyword-only, ``*args``, ``**kwargs``, defaults. With checks off a call behaves as
the undecorated function's, errors included; with checks on, argument errors are
NeuralTypeErrors."""

import inspect
from typing import Any

import pytest
import torch

from neuraltypes import typecheck

from .models import Lens, Spec, error, lens, spec


def original(x: Spec, /, n: Lens, *rest: int, scale: float = 1.0, m: Lens, **opts: int) -> Spec:
    return x * scale + len(rest) + len(opts) + n.sum() * 0 + m.sum() * 0


checked = typecheck()(original)
X, N = spec(), lens()

CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((X, N), {"m": N}),
    ((X, N, 1, 2), {"m": N, "scale": 2.0, "k": 3}),
    ((X,), {"n": N, "m": N}),
    ((), {"x": X, "n": N, "m": N}),  # x is positional-only: it lands in **opts
    ((X, N), {}),  # m missing
    ((X,), {"m": N}),  # n missing
    ((), {}),
]


def outcome(fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> object:
    try:
        result = fn(*args, **kwargs)
    except TypeError as err:
        return (type(err).__name__, str(err))
    return tuple(result.shape), float(result.sum())


@pytest.mark.parametrize("args, kwargs", CALLS)
def test_with_checks_off_a_call_is_the_plain_call(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    with typecheck.disable_checks():
        assert outcome(checked, args, kwargs) == outcome(original, args, kwargs)


def test_with_checks_on() -> None:
    assert checked(X, N, 1, 2, m=N, k=3).neural_type is not None
    assert str(error(lambda: checked(X, N))) == (
        'original port "m": required port is missing (expected "B" LengthsType)'
    )
    assert str(error(lambda: checked(x=X, n=N, m=N))) == (
        'original port "x": required port is missing (expected "B D T" SpectrogramType)'
    )
    assert str(error(lambda: checked(X, N, m=lens(1, 2, 3)))).startswith(
        'original port "m": dim 0 (B) has size 3, but the batch size is 2 in port "x"'
    )


def test_positional_only_given_by_keyword_without_kwargs() -> None:
    @typecheck()
    def only(x: Spec, /) -> Spec:
        return x

    assert only(X).shape == X.shape
    assert str(error(lambda: only(x=X))) == 'only: argument "x" is positional-only'
    with typecheck.disable_checks(), pytest.raises(TypeError) as info:
        only(x=X)
    assert "positional-only arguments passed as keyword arguments: 'x'" in str(info.value)


def test_keyword_only_ports_and_defaults_are_kept() -> None:
    @typecheck()
    def kw(*, a: Spec, b: Lens | None = None, factor: float = 2.0) -> Spec:
        return a * factor

    assert torch.equal(kw(a=X), X * 2)
    assert inspect.signature(kw) == inspect.signature(kw.__wrapped__)  # type: ignore[attr-defined]
    assert [p.default for p in inspect.signature(kw).parameters.values()][1:] == [None, 2.0]
    assert str(error(lambda: kw(X))) == "kw: takes 0 positional arguments (none), got 1"
