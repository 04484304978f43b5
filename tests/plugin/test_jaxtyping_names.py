"""The jaxtyping forms the plugin recognises by name (``_names``, which imports
nothing so that loading the plugin stays cheap) are the core's dtype categories
and ``Shaped``: the two lists can't drift apart."""

from __future__ import annotations

from neuraltypes._core.dtypes import DTYPE_CATEGORIES
from neuraltypes_mypy._names import JAXTYPING_NAMES


def test_the_plugins_jaxtyping_names_are_the_cores_dtype_categories() -> None:
    assert JAXTYPING_NAMES == {"Shaped", *DTYPE_CATEGORIES}
