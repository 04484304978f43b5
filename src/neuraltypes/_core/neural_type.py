"""``NeuralType``: axes plus an element type, and NeMo's comparison of two of them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .axes import AxisType
from .elements import ElementType, VoidType
from .errors import NeuralTypeError, render_mismatches
from .parse import AxisSpecError, parse_axes, parse_axis_token, render_axes
from .results import NeuralTypeComparisonResult
from .verdict import check_connection, combine_results, describe_parts, where_port

#: ``combine_results`` and ``describe_parts`` live in ``verdict`` (this module uses
#: them); they are named here too for the modules that import them from here.
__all__ = ["NeuralType", "coerce_element", "coerce_axes", "combine_results", "describe_parts"]

_KIND_LETTERS = frozenset("BNTDCWHS")


def coerce_element(element: object) -> ElementType:
    """An element instance from an instance, a class (instantiated with no
    arguments) or None (VoidType)."""
    if element is None:
        return VoidType()
    if isinstance(element, ElementType):
        return element
    if isinstance(element, type) and issubclass(element, ElementType):
        try:
            return element()
        except TypeError as exc:
            raise ValueError(
                f"element type {element.__name__} needs arguments ({exc}); "
                f"pass an instance such as {element.__name__}(...)"
            ) from None
    raise ValueError(
        "elements_type must be an ElementType subclass or instance (e.g. SpectrogramType "
        f"or AudioSignal(freq=16000)), got {element!r}"
    )


def coerce_axes(axes: object, *, jaxtyping: bool = False) -> tuple[AxisType, ...] | None:
    """Axes from the forms NeMo and neuraltypes accept.

    - None: unspecified axes;
    - an axis string with spaces (``"B D T"``), or one token (``"batch"``);
    - a string of kind letters (``"BT"``, NeMo's short form): one axis per letter;
    - a tuple or list of tokens (``("B", "T_enc", "D=80")``) and/or AxisType objects.
    """
    if axes is None:
        return None
    if isinstance(axes, str):
        if len(axes) > 1 and " " not in axes and set(axes) <= _KIND_LETTERS:
            return tuple(parse_axis_token(letter) for letter in axes)
        return parse_axes(axes, jaxtyping=jaxtyping)
    if not isinstance(axes, Iterable):
        raise ValueError(
            f"axes must be an axis string, a tuple of axis names or AxisType objects, or None; "
            f"got {type(axes).__name__}"
        )
    result: list[AxisType] = []
    for axis in axes:
        if isinstance(axis, AxisType):
            result.append(axis)
        elif isinstance(axis, str):
            result.append(parse_axis_token(axis, jaxtyping=jaxtyping))
        else:
            raise ValueError(
                f"each axis must be a str or an AxisType instance, got {axis!r} in {axes!r}"
            )
    _check_lists_first(result)
    if sum(axis.variadic for axis in result) > 1:
        raise AxisSpecError(render_axes(tuple(result)), "only one variadic axis is allowed")
    return tuple(result)


def _check_lists_first(axes: list[AxisType]) -> None:
    seen_tensor_axis = False
    for axis in axes:
        if not axis.is_list:
            seen_tensor_axis = True
        elif seen_tensor_axis:
            raise ValueError(
                f"list axis {axis!r} comes after a tensor axis in {axes!r}: all list axes "
                "must come first"
            )


class NeuralType:
    """The type of a tensor: its axes and what its elements mean.

    Args:
        axes: ``"B D T"``, ``("B", "D", "T")``, a tuple of :class:`AxisType`, or None
            for unspecified axes.
        elements_type: an element class (``SpectrogramType``) or instance
            (``AudioSignal(freq=16000)``); VoidType (anything) when omitted.
        optional: the port may be omitted or given None.

    ``declared.compare(given)`` returns a :class:`NeuralTypeComparisonResult`; a
    given value is accepted when it is SAME or GREATER. Types are hashable and
    ``==`` is structural equality.

    :meth:`axes_only` makes a type whose element is **unknown** (what an annotation
    that states no element, such as a jaxtyping one, declares): connections check
    its axes only. Its ``elements_type`` is VoidType, so :meth:`compare` gives
    NeMo's results for it.
    """

    __slots__ = ("axes", "elements_type", "optional", "element_known", "__weakref__")

    axes: tuple[AxisType, ...] | None
    elements_type: ElementType
    optional: bool
    #: False for :meth:`axes_only` types: the element is unknown, not VoidType
    element_known: bool

    def __init__(
        self, axes: Any = None, elements_type: Any = None, optional: bool = False
    ) -> None:
        self.elements_type = coerce_element(elements_type)
        self.axes = coerce_axes(axes)
        self.optional = bool(optional)
        self.element_known = True

    @classmethod
    def axes_only(cls, axes: Any, optional: bool = False) -> NeuralType:
        """A type with these axes and an unknown element."""
        made = cls(axes, None, optional)
        made.element_known = False
        return made

    def with_parts(self, axes: Any, optional: bool | None = None) -> NeuralType:
        """This type's element (known or not) with other axes (and optionality)."""
        made = NeuralType(
            axes, self.elements_type, self.optional if optional is None else optional
        )
        made.element_known = self.element_known
        return made

    @property
    def axis_string(self) -> str | None:
        """The axes as an axis string (``"B D T"``), or None when unspecified."""
        return None if self.axes is None else render_axes(self.axes)

    def describe(self) -> str:
        """Short text for messages: ``"B D T" SpectrogramType`` (``"B D T"`` when the
        element is unknown)."""
        return describe_parts(self.axes, repr(self.elements_type) if self.element_known else None)

    def compare(self, second: NeuralType) -> NeuralTypeComparisonResult:
        """Compare this declared type with a given one, as NeMo does.

        NeMo's results, with its bugs fixed: ``any`` matches one axis only, and a
        transposition must be a true permutation of the axes.
        """
        return self.compare_with(second, gradual=False)

    def compare_with(self, second: NeuralType, *, gradual: bool) -> NeuralTypeComparisonResult:
        """:meth:`compare`; with ``gradual`` a given axis of unknown size does not
        conflict with a declared fixed size (the rule for connections)."""
        if not isinstance(second, NeuralType):
            raise TypeError(f"can only compare a NeuralType with a NeuralType, got {second!r}")
        element = self.elements_type.compare(second.elements_type)
        void = isinstance(self.elements_type, VoidType)
        return combine_results(element, void, self.axes, second.axes, gradual=gradual)

    def compare_and_raise_error(
        self, parent_type_name: str, port_name: str, second_object: NeuralType
    ) -> None:
        """Raise :class:`NeuralTypeError` unless ``second_object`` fits this port."""
        problems = check_connection(second_object, self, gradual=False)
        if problems:
            where = where_port(parent_type_name, port_name)
            raise NeuralTypeError(render_mismatches(where, problems), problems)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NeuralType):
            return NotImplemented
        return (
            self.axes == other.axes
            and self.elements_type == other.elements_type
            and self.optional == other.optional
            and self.element_known == other.element_known
        )

    def __hash__(self) -> int:
        return hash((self.axes, self.elements_type, self.optional, self.element_known))

    def __repr__(self) -> str:
        axes = "None" if self.axes is None else repr(render_axes(self.axes))
        extra = ", optional=True" if self.optional else ""
        if not self.element_known:
            return f"NeuralType.axes_only({axes}{extra})"
        return f"NeuralType({axes}, {self.elements_type!r}{extra})"

    def __str__(self) -> str:
        axes = "None" if self.axes is None else f"({', '.join(map(repr, self.axes))})"
        element = repr(self.elements_type) if self.element_known else "unknown"
        return f"axes: {axes}; elements_type: {element}"
