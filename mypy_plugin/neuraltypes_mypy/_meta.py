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

from ._carry import Neural, neural
from ._names import JAXTYPING_NAMES

__all__ = ["Meta", "Lookup", "element_of", "forget", "read_types", "is_jaxtyping_name"]

#: name as written -> the node it names (None when unknown)
Lookup = Callable[[str], object]

_NOT_IN_MRO = frozenset({"builtins.object", "abc.ABC"})

#: (axis string, jaxtyping) pairs the core accepted (a pure function of the two:
#: the same string in every annotation of a code base is validated once)
_WELL_FORMED: set[tuple[str, bool]] = set()


def is_jaxtyping_name(written: str) -> bool:
    """``Float``, ``jaxtyping.Float``, ``jt.Shaped``: jaxtyping's dtype forms, which
    static checkers see as ``typing.Annotated``."""
    return written.rpartition(".")[2] in JAXTYPING_NAMES


#: id of a class -> (the class, the MRO list it was read from, what it gives): the
#: same few classes are named in every annotation. mypy gives a class a new MRO
#: list when it computes it again (an edited class under the daemon), and the
#: entry then no longer matches.
_ELEMENTS: dict[int, tuple[TypeInfo, list[TypeInfo], tuple[str, ...] | None]] = {}


def forget() -> None:
    """Start a new build: drop the classes of an earlier one."""
    _ELEMENTS.clear()


def element_of(node: object) -> tuple[str, ...] | None:
    """An element class as (name, its MRO's full names), or None if ``node`` is not
    an ElementType subclass."""
    if not isinstance(node, TypeInfo):
        return None
    mro = node.mro
    hit = _ELEMENTS.get(id(node))
    if hit is not None and hit[0] is node and hit[1] is mro:
        return hit[2]
    found = (
        (node.name, *[base.fullname for base in mro if base.fullname not in _NOT_IN_MRO])
        if node.has_base(ELEMENT_FULLNAME)
        else None
    )
    _ELEMENTS[id(node)] = (node, mro, found)
    return found


class Meta:
    """Metadata items gathered from one annotation."""

    def __init__(self) -> None:
        self.axes: list[str] = []
        self.elements: list[tuple[str, ...]] = []
        self.opaque = False  # a call or a name we can't read statically: stay silent
        self.bad: list[str] = []

    def add(self, neural: Neural) -> None:
        """Metadata of an inner annotation (``Annotated[Spec, ...]`` flattens, as at
        run time)."""
        if neural.axes is not None:
            self.axes.append(neural.axes)
        if neural.element:
            self.elements.append(neural.element)

    def neural(self, jaxtyping: bool) -> tuple[Neural | None, str | None]:
        """The neural type, or (None, an error message) / (None, None) to stay silent."""
        if self.opaque or (not self.axes and not self.elements):
            return None, None
        if self.bad:
            return None, (
                f"unexpected metadata {self.bad[0]}: expected an axis string and an element type"
            )
        if len(self.axes) > 1:
            return None, f"two axis strings, {self.axes[0]!r} and {self.axes[1]!r}"
        if len(self.elements) > 1:
            first, second = self.elements[0][0], self.elements[1][0]
            return None, f"two element types, {first} and {second}"
        axes = self.axes[0] if self.axes else None
        if axes is not None and (axes, jaxtyping) not in _WELL_FORMED:
            try:
                coerce_axes(axes, jaxtyping=jaxtyping)
            except AxisSpecError as err:
                return None, f"malformed axis string: {err}"
            _WELL_FORMED.add((axes, jaxtyping))
        element = self.elements[0] if self.elements else ()
        return neural(axes, jaxtyping, element), None


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
            element = element_of(lookup(item.name))
            if element is not None:
                meta.elements.append(element)
            else:
                meta.opaque = True
        else:
            meta.opaque = True
    return meta
