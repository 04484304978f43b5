"""jaxtyping's dtype categories, as the core knows them, and the static rule."""

from __future__ import annotations

import jaxtyping
import pytest

from neuraltypes._core.dtypes import (
    DTYPE_CATEGORIES,
    categories_conflict,
    category_dtypes,
    dtype_problem,
    nested_category,
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


def test_check_parts_reports_conflicting_categories_after_the_rest() -> None:
    from neuraltypes._core import Mismatch, check_parts, coerce_axes

    bt, btd = coerce_axes("b t", jaxtyping=True), coerce_axes("b t d", jaxtyping=True)
    dtype = Mismatch("neural-element", "dtype Float is not Int", '"b t"', '"b t", dtype Float')
    assert check_parts(bt, None, bt, None, found_dtype="Float", expected_dtype="Int") == (dtype,)
    wrong = check_parts(btd, None, bt, None, found_dtype="Float", expected_dtype="Int")
    assert [m.code for m in wrong] == ["neural-axes", "neural-element"]
    assert wrong[1].found == '"b t d", dtype Float'
    for found, expected in [
        ("Float", "Float32"),
        ("Int64", "Int"),
        ("Float", None),
        (None, "Int"),
    ]:
        assert check_parts(bt, None, bt, None, found_dtype=found, expected_dtype=expected) == ()


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        ("Float", None, "Float"),  # the inner annotation is Shaped: any dtype
        (None, "Float32", "Float32"),  # Shaped[Float32[...], ...]
        ("Float", "Float32", "Float32"),  # the narrower of the two
        ("Float32", "Float", "Float32"),
        ("Float", "Float", "Float"),
        ("Inexact", "Real", "Float"),  # the floats: the one category both accept
        ("Int", "Float", None),  # jaxtyping refuses it: no dtype checked
        ("Integer", "Int32", "Int32"),
        (None, None, None),
    ],
)
def test_a_nested_jaxtyping_dtype_is_what_both_accept(
    outer: str | None, inner: str | None, expected: str | None
) -> None:
    assert nested_category(outer, inner) == expected
