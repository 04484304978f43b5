"""Reading the metadata of one neural annotation into a :class:`Neural`.

Shared by every place that reads annotations (the type-analyze hooks while mypy
analyses them, and ``_ports.py`` when it re-reads a declaration as written), so
that the same annotation always gives the same neural type. Axis strings are
validated with the core's own ``coerce_axes``, as the runtime does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mypy.nodes import TypeInfo
from mypy.types import RawExpressionType, Type, UnboundType

from neuraltypes._core import ELEMENT_FULLNAME, AxisSpecError, coerce_axes
from neuraltypes._core.dtypes import nested_category
from neuraltypes._core.spec_errors import (
    malformed_axis_string,
    two_axis_strings,
    two_element_types,
    unexpected_metadata,
)

from ._carry import Neural, neural
from ._names import JAXTYPING_NAMES

__all__ = [
    "Meta",
    "Lookup",
    "annotation_of",
    "element_of",
    "read_types",
    "is_jaxtyping_name",
    "dtype_named",
]

#: name as written -> the node it names (None when unknown)
Lookup = Callable[[str], object]


def is_jaxtyping_name(written: str) -> bool:
    """``Float``, ``jaxtyping.Float``, ``jt.Shaped``: jaxtyping's dtype forms, which
    static checkers see as ``typing.Annotated``."""
    return written.rpartition(".")[2] in JAXTYPING_NAMES


def dtype_named(written: str) -> str | None:
    """The dtype category a jaxtyping form names (``jt.Float32``: ``Float32``); None
    for ``Shaped`` (any dtype) and for other names."""
    name = written.rpartition(".")[2]
    return name if name in JAXTYPING_NAMES and name != "Shaped" else None


def element_of(node: object) -> str | None:
    """The full name of an element class (an ElementType subclass), or None if
    ``node`` is not one."""
    if isinstance(node, TypeInfo) and node.has_base(ELEMENT_FULLNAME):
        return node.fullname
    return None


class Meta:
    """Metadata items gathered from one annotation."""

    def __init__(self) -> None:
        self.axes: list[str] = []
        self.elements: list[str] = []  # full names
        self.opaque = False  # a call or a name we can't read statically: stay silent
        self.bad: list[str] = []
        self.dtype: str | None = None  # jaxtyping's dtype category (``Float``)
        #: the jaxtyping annotation this one extends (``Float[TimeSeries1d, "channel"]``)
        self.extended: Neural | None = None

    def add_named(self, node: object) -> None:
        """A name in the metadata (resolved to ``node``): an element class, or
        something the plugin can't read statically."""
        element = element_of(node)
        if element is None:
            self.opaque = True
        else:
            self.elements.append(element)

    def add(self, neural: Neural) -> None:
        """Metadata of an inner annotation (``Annotated[Spec, ...]`` flattens, as at
        run time)."""
        if neural.axes is not None:
            self.axes.append(neural.axes)
        if neural.element is not None:
            self.elements.append(neural.element)
        self.dtype = self.dtype or neural.dtype

    def add_inner(self, neural: Neural, outer_jaxtyping: bool) -> None:
        """The neural type of the annotated type itself (``Spec`` in
        ``Annotated[Spec, ...]``). A jaxtyping form around a jaxtyping type extends
        it, as jaxtyping does: ``Float[Float[Tensor, "time"], "channel"]`` is
        ``"channel time"`` (the outer axes first), of the dtypes both accept. Anything
        else flattens (:meth:`add`)."""
        if outer_jaxtyping and neural.jaxtyping and neural.axes is not None:
            self.extended = neural
            if neural.element is not None:
                self.elements.append(neural.element)
        else:
            self.add(neural)

    def neural(self, jaxtyping: bool) -> tuple[Neural | None, str | None]:
        """The neural type, or (None, an error message) / (None, None) to stay silent."""
        if self.opaque or (not self.axes and not self.elements):
            return None, None
        if self.bad:
            return None, unexpected_metadata(self.bad[0])
        if len(self.axes) > 1:
            return None, two_axis_strings(self.axes[0], self.axes[1])
        if len(self.elements) > 1:
            first, second = (name.rpartition(".")[2] for name in self.elements[:2])
            return None, two_element_types(first, second)
        axes = self.axes[0] if self.axes else None
        dtype = self.dtype
        if self.extended is not None:
            axes = self.extended.axes if axes is None else f"{axes.strip()} {self.extended.axes}"
            dtype = nested_category(dtype, self.extended.dtype)
        if axes is not None:
            try:
                coerce_axes(axes, jaxtyping=jaxtyping)  # the core's parser remembers it
            except AxisSpecError as err:
                return None, malformed_axis_string(err)
        element = self.elements[0] if self.elements else None
        return neural(axes, jaxtyping, element, dtype), None


def annotation_of(written: str, inner: Neural | None) -> tuple[Meta, bool]:
    """The metadata of ``written[T, ...]`` (``Annotated`` or a jaxtyping form) before
    its items are read: ``inner`` is the neural type T carries already (``Spec``,
    ``TimeSeries1d``); and whether the annotation is jaxtyping style."""
    jaxtyping = is_jaxtyping_name(written)
    meta = Meta()
    if inner is not None:
        meta.add_inner(inner, jaxtyping)
        jaxtyping = jaxtyping or inner.jaxtyping
    meta.dtype = dtype_named(written) or meta.dtype
    return meta, jaxtyping


def read_types(items: Sequence[Type], lookup: Lookup, meta: Meta | None = None) -> Meta:
    """The metadata of ``Annotated[T, *items]`` as mypy parsed it (unanalysed):
    ``RawExpressionType`` for strings and other literals (value None for a call),
    ``UnboundType`` for names and for one-word strings."""
    meta = meta or Meta()
    for item in items:
        if isinstance(item, RawExpressionType):
            value = item.literal_value
            if isinstance(value, str):
                meta.axes.append(value)
            elif value is None:
                meta.opaque = True  # e.g. AudioSignal(16000): arguments are gone
            else:
                meta.bad.append(repr(value))
        elif isinstance(item, UnboundType):
            if item.original_str_expr is not None:
                meta.axes.append(item.original_str_expr)
                continue
            meta.add_named(lookup(item.name))
        else:
            meta.opaque = True
    return meta
