"""The shape and size-binding rule of one call (used by the runtime)."""

from __future__ import annotations

import pytest

from neuraltypes._core import (
    ShapeProblem,
    ShapeSpecError,
    check_shape,
    parse_axes,
    plan_port,
    plan_ports,
)


def run(
    ports: list[tuple[str, str, tuple[int, ...]]], jaxtyping: bool = False
) -> ShapeProblem | None:
    plans = plan_ports("M.forward", [(n, parse_axes(a, jaxtyping=jaxtyping)) for n, a, _ in ports])
    env: dict[str, tuple[object, str]] = {}
    for plan, (_, _, shape) in zip(plans, ports):
        problem = check_shape(plan, shape, env)
        if problem is not None:
            return problem
    return None


def test_rank() -> None:
    assert run([("x", "B D T", (2, 3))]) == ShapeProblem(
        "neural-axes", '2 dims where 3 ("B D T") are expected'
    )
    assert run([("x", "B ... T", (2,))]) == ShapeProblem(
        "neural-axes", '1 dim where at least 2 ("B ... T") are expected'
    )
    assert run([("x", "B ... T", (2, 3, 4, 5))]) is None


def test_fixed_sizes() -> None:
    assert run([("x", "B D=80 T", (2, 64, 5))]) == ShapeProblem(
        "neural-size", "dim 1 (D=80) has size 64, expected 80"
    )
    assert run([("x", "B 3", (2, 3))]) is None
    assert run([("x", "... 3", (7, 2, 4))]) == ShapeProblem(
        "neural-size", "dim 2 (3) has size 4, expected 3"
    )


def test_batch_binds_across_ports() -> None:
    assert run([("audio", "B D T", (4, 80, 100)), ("length", "B", (3,))]) == ShapeProblem(
        "neural-size", 'dim 0 (B) has size 3, but the batch size is 4 in port "audio"'
    )
    assert run([("audio", "B D T", (4, 80, 100)), ("length", "N", (4,))]) is None


def test_kind_letters_do_not_bind() -> None:
    # an encoder maps D=80 to D=512, T to T//4: plain kind letters don't bind
    assert run([("x", "B D T", (4, 80, 100)), ("out", "B D T", (4, 512, 25))]) is None


def test_named_axes_bind() -> None:
    assert run([("q", "b n d", (2, 5, 8)), ("k", "b m d", (2, 7, 16))], jaxtyping=True) == (
        ShapeProblem("neural-size", 'dim 2 (d) has size 16, but the size of d is 8 in port "q"')
    )
    assert run([("x", "B T_enc D", (2, 5, 8)), ("y", "B T_enc", (2, 6))]) == ShapeProblem(
        "neural-size", 'dim 1 (T_enc) has size 6, but the size of T_enc is 5 in port "x"'
    )


def test_repeated_name_within_a_port() -> None:
    assert run([("m", "n n", (3, 4))], jaxtyping=True) == ShapeProblem(
        "neural-size", "dim 1 (n) has size 4, but the size of n is 3 earlier in this port"
    )
    assert run([("m", "D D", (3, 4))]) is None  # NeMo kinds don't bind


def test_broadcast() -> None:
    assert run([("a", "n", (5,)), ("b", "#n", (1,))], jaxtyping=True) is None
    assert run([("a", "n", (5,)), ("b", "#n", (4,))], jaxtyping=True) is not None


def test_variadic_binds_its_run() -> None:
    assert run([("a", "*b d", (2, 3, 8)), ("c", "*b", (2, 3))], jaxtyping=True) is None
    assert run([("a", "*b d", (2, 3, 8)), ("c", "*b", (2, 4))], jaxtyping=True) == ShapeProblem(
        "neural-size", '*b covers sizes (2, 4), but (2, 3) in port "a"'
    )


def test_expressions() -> None:
    assert run([("x", "b d", (2, 8)), ("y", "b d+1", (2, 9))], jaxtyping=True) is None
    assert run([("x", "b d", (2, 8)), ("y", "b d//2", (2, 5))], jaxtyping=True) == ShapeProblem(
        "neural-size", "dim 1 (d//2) has size 5, expected 4"
    )


def test_expression_needs_an_earlier_binding() -> None:
    with pytest.raises(ShapeSpecError) as info:
        plan_ports("Net.forward", [("x", parse_axes("b k+1", jaxtyping=True))])
    assert str(info.value) == (
        'Net.forward port "x": size expression "k+1" uses k, which no earlier axis binds; '
        "name it in an earlier port"
    )


def test_plan_is_precomputed() -> None:
    plan = plan_port("x", parse_axes("B D=80 *rest T_enc"))
    assert plan.rank == 3
    assert plan.variadic == 2
    assert plan.fixed == ((1, 80, False),)
    assert plan.binds == ((0, "B", False), (-1, "T_enc", False))
    assert plan.var_key == "rest"
