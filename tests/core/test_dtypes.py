"""jaxtyping's dtype categories, as the core knows them, and the static rule."""

from __future__ import annotations

import jaxtyping
import pytest

from neuraltypes._core.dtypes import (
    DTYPE_CATEGORIES,
    categories_conflict,
    category_dtypes,
    dtype_problem,
)


@pytest.mark.parametrize("name", sorted(DTYPE_CATEGORIES))
def test_categories_are_jaxtypings(name: str) -> None:
    assert DTYPE_CATEGORIES[name] == frozenset(getattr(jaxtyping, name).dtypes)


def test_every_jaxtyping_category_with_a_dtype_list_is_known() -> None:
    names = [
        n
        for n in dir(jaxtyping)
        if isinstance(getattr(getattr(jaxtyping, n), "dtypes", None), tuple)
    ]
    assert sorted(set(names) - set(DTYPE_CATEGORIES)) == []


def test_shaped_and_unknown_categories_accept_any_dtype() -> None:
    assert category_dtypes("Shaped") is None
    assert category_dtypes(None) is None
    assert not categories_conflict("Shaped", "Int")
    assert not categories_conflict("Float", None)


@pytest.mark.parametrize(
    ("found", "expected", "conflict"),
    [
        ("Float", "Int", True),
        ("Int64", "Float", True),
        ("Bool", "Num", True),
        ("Float", "Float32", False),  # may fit: float32 is a Float
        ("Float32", "Float", False),
        ("Int", "Integer", False),
        ("Float", "Inexact", False),
        ("Complex64", "Real", True),
    ],
)
def test_a_conflict_is_no_shared_dtype(found: str, expected: str, conflict: bool) -> None:
    assert categories_conflict(found, expected) is conflict


def test_wording() -> None:
    assert dtype_problem("float32", "Int") == "dtype float32 is not Int"
    assert dtype_problem("Float", "Int") == "dtype Float is not Int"
