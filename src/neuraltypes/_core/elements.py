"""Element types: what the numbers in a tensor mean, and how two of them compare.

The rule lives in :func:`compare_elements`, over :class:`ElementInfo` (a class's
full name, its ancestors' full names and its parameters). The runtime builds an
``ElementInfo`` from a Python class; the mypy plugin builds one from mypy's view
of the class. Both get the same verdict.
"""

from __future__ import annotations

from abc import ABC
from collections.abc import Mapping
from typing import Any

from .record import record
from .results import NeuralTypeComparisonResult

__all__ = [
    "ElementType",
    "VoidType",
    "ElementInfo",
    "compare_elements",
    "element_info",
    "VOID_FULLNAME",
    "ELEMENT_FULLNAME",
]

ELEMENT_FULLNAME = "neuraltypes._core.elements.ElementType"
VOID_FULLNAME = "neuraltypes._core.elements.VoidType"


@record
class ElementInfo:
    """What the comparison needs to know about an element type.

    Attributes:
        name: the class's short name, for messages.
        ancestors: full names of the class and its ancestors, most specific first.
        params: the type parameters (``(("freq", 16000),)``), or None when unknown
            (the static checker cannot see constructor arguments); None values
            inside are wildcards.
        fields: NeMo's ``fields`` (a tuple of names) or None.
    """

    name: str
    ancestors: tuple[str, ...]
    params: tuple[tuple[str, object], ...] | None = ()
    fields: tuple[object, ...] | None = None

    @property
    def fullname(self) -> str:
        return self.ancestors[0]

    @property
    def is_void(self) -> bool:
        return VOID_FULLNAME in self.ancestors

    def describe(self) -> str:
        """``SpectrogramType`` or ``AudioSignal(freq=16000)``."""
        if not self.params:
            return self.name
        inner = ", ".join(f"{key}={value!r}" for key, value in self.params)
        return f"{self.name}({inner})"


def compare_elements(expected: ElementInfo, found: ElementInfo) -> NeuralTypeComparisonResult:
    """Compare the element a port declares (``expected``) with one it is given.

    SAME for the same class with matching parameters; LESS when ``expected`` is a
    subclass of ``found`` (the value is more general than the port wants);
    GREATER when ``found`` is a subclass of ``expected`` (more specific: accepted);
    INCOMPATIBLE for unrelated classes or differing ``fields``;
    SAME_TYPE_INCOMPATIBLE_PARAMS for the same class with other parameters. A
    VoidType port accepts any element (SAME); a VoidType value is not accepted by a
    port that wants a specific element.
    """
    if expected.is_void:
        return NeuralTypeComparisonResult.SAME
    if expected.fullname != found.fullname:
        if found.fullname in expected.ancestors:
            return NeuralTypeComparisonResult.LESS
        if expected.fullname in found.ancestors:
            return NeuralTypeComparisonResult.GREATER
        return NeuralTypeComparisonResult.INCOMPATIBLE
    if expected.params is not None and found.params is not None:
        mine, theirs = dict(expected.params), dict(found.params)
        if mine.keys() != theirs.keys():
            return NeuralTypeComparisonResult.SAME_TYPE_INCOMPATIBLE_PARAMS
        for key, value in mine.items():
            other = theirs[key]
            if value is not None and other is not None and value != other:
                return NeuralTypeComparisonResult.SAME_TYPE_INCOMPATIBLE_PARAMS
    if expected.fields != found.fields:
        return NeuralTypeComparisonResult.INCOMPATIBLE
    return NeuralTypeComparisonResult.SAME


def _fullname(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


_CLASS_INFO: dict[type, tuple[str, tuple[str, ...]]] = {}


def _class_info(cls: type) -> tuple[str, tuple[str, ...]]:
    found = _CLASS_INFO.get(cls)
    if found is None:
        ancestors = tuple(_fullname(base) for base in cls.__mro__ if base not in (ABC, object))
        found = _CLASS_INFO[cls] = (cls.__name__, ancestors)
    return found


def element_info(element: ElementType) -> ElementInfo:
    """The :class:`ElementInfo` of an element instance."""
    name, ancestors = _class_info(type(element))
    params = element.type_parameters
    fields = element.fields
    return ElementInfo(
        name,
        ancestors,
        tuple(params.items()) if params else (),
        tuple(fields) if fields is not None else None,
    )


class ElementType(ABC):
    """Base of all element types. Subclass it to add your own::

        class PitchType(ElementType):
            '''Fundamental frequency in Hz.'''

    A subclass is more specific than its parent: a ``MelSpectrogramType`` value is
    accepted where a ``SpectrogramType`` is declared, not the reverse.
    Parameterised elements override :attr:`type_parameters`.
    """

    def __repr__(self) -> str:
        return element_info(self).describe()

    def __str__(self) -> str:
        return repr(self)

    @property
    def type_parameters(self) -> Mapping[str, Any]:
        """Parameters that must match for two elements of one class to be the same
        (e.g. ``{"freq": 16000}``); None as a value matches anything."""
        return {}

    @property
    def fields(self) -> tuple[object, ...] | None:
        """Names of the parts of a structured element (e.g. ``("x", "y", "w", "h")``)."""
        return None

    def compare(self, second: ElementType) -> NeuralTypeComparisonResult:
        """Compare this (declared) element with ``second`` (given); see
        :func:`compare_elements`."""
        if not isinstance(second, ElementType):
            raise TypeError(
                f"{type(self).__name__}.compare() needs an ElementType instance, "
                f"got {type(second).__name__}"
            )
        return compare_elements(element_info(self), element_info(second))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ElementType):
            return NotImplemented
        return element_info(self) == element_info(other)

    def __hash__(self) -> int:
        return hash(element_info(self))


class VoidType(ElementType):
    """Any element at all. A port declaring VoidType accepts every element; a
    VoidType value is only accepted by VoidType ports."""
