"""The texts of malformed-annotation (``neural-spec``) errors, one function each.

The runtime (``_runtime/annotations.py``) and the mypy plugin (``_meta.py``,
``_read.py``) both read ``Annotated[Tensor, ...]`` metadata and refuse the same
mistakes; each message is made here, so the two say the same thing. The runtime
puts ``{owner} port "x": `` in front, the plugin ``neural type annotation: ``.
"""

from __future__ import annotations

from .parse import AxisSpecError
from .parse import _quote as quoted  # as AxisSpecError quotes: escaped, shortened

__all__ = [
    "malformed_axis_string",
    "two_axis_strings",
    "two_element_types",
    "metadata_not_on_tensor",
    "unexpected_metadata",
]


def malformed_axis_string(err: AxisSpecError) -> str:
    """An axis string the grammar refuses (``err`` says where and why)."""
    return f"malformed axis string: {err}"


def two_axis_strings(first: str, second: str) -> str:
    """Two axis strings in one annotation (a jaxtyping annotation's own counts),
    quoted as :class:`AxisSpecError` quotes them (control characters escaped, long
    strings shortened: a message is one line)."""
    return f"two axis strings, {quoted(first)} and {quoted(second)}"


def two_element_types(first: str, second: str) -> str:
    """Two element types in one annotation (named as written: ``SpectrogramType``)."""
    return f"two element types, {first} and {second}"


def metadata_not_on_tensor(base: str) -> str:
    """Neural type metadata on a type that is not a Tensor (``Annotated[int, "B"]``)."""
    return f"neural type metadata on {base}, not on a Tensor"


def unexpected_metadata(shown: str) -> str:
    """A metadata item that is neither an axis string nor an element type."""
    return (
        f"unexpected metadata {shown}: expected an axis string and an element type "
        "(an ElementType class or instance)"
    )
