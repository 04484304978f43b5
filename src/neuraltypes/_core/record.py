"""Immutable value classes: frozen dataclasses with slots.

``@record`` on a class with annotated fields makes it a
``dataclass(frozen=True, slots=True)``: an ``__init__`` taking the fields in order,
equality and hashing by the fields (a field declared ``field(compare=False)`` is left
out), and a ``repr`` naming them. On top of the dataclass:

- assigning or deleting a field raises :class:`FrozenError`, which names the class;
- copies and pickles rebuild a value by calling the class with its fields: a
  ``__post_init__`` check runs again, and a pickle (a tensor's tag saved with a
  checkpoint) holds the class and its field values, in the form versions before
  this module wrote too.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Final, TypeVar

__all__ = ["record", "FrozenError", "set_field"]

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Any:  # what type checkers read, nothing at run time
        return lambda decorator: decorator


_T = TypeVar("_T")

#: how a ``__post_init__`` sets a field of a frozen record
set_field: Final = object.__setattr__


class FrozenError(dataclasses.FrozenInstanceError):
    """Assignment to a field of an immutable value."""


def _refuse_assignment(self: object, name: str, value: object) -> None:
    raise FrozenError(f"cannot assign to field {name!r} of {type(self).__name__}")


def _refuse_deletion(self: object, name: str) -> None:
    raise FrozenError(f"cannot delete field {name!r} of {type(self).__name__}")


def _reduce(self: Any) -> tuple[type, tuple[Any, ...]]:
    return (type(self), tuple(getattr(self, f.name) for f in dataclasses.fields(self)))


#: set on each record after the dataclass is made (a frozen dataclass refuses a
#: class body that defines ``__setattr__`` or ``__delattr__``)
_ADDED: Final = {
    "__setattr__": _refuse_assignment,
    "__delattr__": _refuse_deletion,
    "__reduce__": _reduce,
}


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: type[_T]) -> type[_T]:
    """Make ``cls`` an immutable value class (see the module's docstring)."""
    made = dataclasses.dataclass(frozen=True, slots=True)(cls)
    for name, method in _ADDED.items():
        setattr(made, name, method)
    return made
