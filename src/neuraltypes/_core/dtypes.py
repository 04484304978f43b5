"""jaxtyping's dtype categories (``Float``, ``Int32``, ``Shaped``, ...) as sets of
dtype names, and the rule that says when a value's category cannot fit a port's.

At run time a tensor has one dtype, and the runtime checks it against the port's
category (``dtype float32 is not Int``). Statically a value has only the category
its annotation names; the plugin reports a mismatch only when the two categories
share no dtype (``Float`` where ``Int`` is declared), never when they merely
overlap (``Float`` where ``Float32`` is declared may well fit).

The names and sets are jaxtyping's (``tests/core/test_dtypes.py`` compares them
with jaxtyping's own, so they cannot drift).
"""

from __future__ import annotations

__all__ = [
    "DTYPE_CATEGORIES",
    "category_dtypes",
    "dtype_problem",
    "categories_conflict",
    "nested_category",
]

_UINTS = ("uint2", "uint4", "uint8", "uint16", "uint32", "uint64")
_INTS = ("int2", "int4", "int8", "int16", "int32", "int64")
_FLOATS = (
    "float4_e2m1fn",
    "float8_e4m3b11fnuz",
    "float8_e4m3fn",
    "float8_e4m3fnuz",
    "float8_e5m2",
    "float8_e5m2fnuz",
    "bfloat16",
    "float16",
    "float32",
    "float64",
)
_COMPLEXES = ("complex64", "complex128")

#: category -> the dtype names it accepts (``Shaped``: any dtype, so not listed)
DTYPE_CATEGORIES: dict[str, frozenset[str]] = {
    "Bool": frozenset({"bool", "bool_"}),
    "UInt": frozenset(_UINTS),
    "Int": frozenset(_INTS),
    "Integer": frozenset(_UINTS + _INTS),
    "Float": frozenset(_FLOATS),
    "Complex": frozenset(_COMPLEXES),
    "Inexact": frozenset(_FLOATS + _COMPLEXES),
    "Real": frozenset(_FLOATS + _UINTS + _INTS),
    "Num": frozenset(_UINTS + _INTS + _FLOATS + _COMPLEXES),
    "Key": frozenset({"prng_key"}),
    "BFloat16": frozenset({"bfloat16"}),
    "Float16": frozenset({"float16"}),
    "Float32": frozenset({"float32"}),
    "Float64": frozenset({"float64"}),
    "Float8e4m3b11fnuz": frozenset({"float8_e4m3b11fnuz"}),
    "Float8e4m3fn": frozenset({"float8_e4m3fn"}),
    "Float8e4m3fnuz": frozenset({"float8_e4m3fnuz"}),
    "Float8e5m2": frozenset({"float8_e5m2"}),
    "Float8e5m2fnuz": frozenset({"float8_e5m2fnuz"}),
    "Complex64": frozenset({"complex64"}),
    "Complex128": frozenset({"complex128"}),
    **{name.capitalize(): frozenset({name}) for name in _INTS},
    **{"UInt" + name[4:]: frozenset({name}) for name in _UINTS},
}


def category_dtypes(category: str | None) -> frozenset[str] | None:
    """The dtype names a category accepts; None for any dtype (``Shaped``), an
    unknown category or none."""
    return None if category is None else DTYPE_CATEGORIES.get(category)


def categories_conflict(found: str | None, expected: str | None) -> bool:
    """Whether no dtype of category ``found`` fits category ``expected``."""
    have, want = category_dtypes(found), category_dtypes(expected)
    return have is not None and want is not None and not (have & want)


def nested_category(outer: str | None, inner: str | None) -> str | None:
    """The dtype category of a jaxtyping annotation that extends another
    (``Float[Float32[Tensor, "t"], "c"]``): jaxtyping accepts the dtypes both
    accept. None (any dtype, as for ``Shaped``) when either accepts any, and when no
    category names exactly the dtypes both accept."""
    have, want = category_dtypes(outer), category_dtypes(inner)
    if have is None:
        return inner if want is not None else None
    if want is None:
        return outer
    both = have & want
    for name in (outer, inner, *DTYPE_CATEGORIES):
        if name is not None and DTYPE_CATEGORIES.get(name) == both:
            return name
    return None


def dtype_problem(found: str, expected: str) -> str:
    """The wording of a dtype mismatch, at run time (``found``: the tensor's dtype,
    ``float32``) and statically (``found``: the value's category, ``Float``)."""
    return f"dtype {found} is not {expected}"
