"""The size-binding rule over what annotations alone fix (the static side)."""

from __future__ import annotations

from neuraltypes._core import parse_axes
from neuraltypes._core.bindings import static_binding_problems
from neuraltypes._core.shapes import plan_ports


def problems(ports: list[tuple[str, str, str | None]]) -> list[tuple[int, str, str]]:
    plans = plan_ports(
        "f", [(name, parse_axes(declared, jaxtyping=True)) for name, declared, _ in ports]
    )
    given = [None if g is None else parse_axes(g, jaxtyping=True) for _, _, g in ports]
    found = static_binding_problems(list(zip(plans, given)))
    return [(i, p.code, p.problem) for i, p in found]


def test_a_name_fixed_to_two_sizes_in_one_call() -> None:
    assert problems([("x", "b d_model", "b 64"), ("y", "b d_model", "b 32")]) == [
        (
            1,
            "neural-size",
            'dim 1 (d_model) has size 32, but the size of d_model is 64 in port "x"',
        )
    ]


def test_agreeing_or_unknown_sizes_are_no_problem() -> None:
    assert problems([("x", "b d", "b 64"), ("y", "b d", "b 64")]) == []
    assert problems([("x", "b d", "b 64"), ("y", "b d", "b n")]) == []
    assert problems([("x", "b d", "b 64"), ("y", "b d", None)]) == []


def test_variadics_and_other_ranks_bind_nothing() -> None:
    assert problems([("x", "*b d", "3 64"), ("y", "*b d", "3 32")]) == []
    assert problems([("x", "b d", "b 64"), ("y", "b d", "b 1 32")]) == []


def test_broadcastable_size_one_fits() -> None:
    assert problems([("x", "b #d", "b 64"), ("y", "b #d", "b 1")]) == []
