"""Immutable value classes, written out by hand.

The core's value types (axes, verdicts, mismatches, plans) were frozen
dataclasses; generating a dataclass's methods costs about half a millisecond of
import time each, and the mypy plugin imports the core on every cold run. A
:class:`Record` subclass lists its fields in ``__slots__`` and spells out its
``__init__`` and :meth:`Record._key`; equality, hashing, ``repr``, copying and
pickling come from here, with the behaviour of a frozen dataclass.
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["Record", "FrozenError", "set_field"]

#: how an ``__init__`` sets a field of a frozen record
set_field: Final = object.__setattr__


class FrozenError(AttributeError):
    """Assignment to a field of an immutable value (as ``dataclasses.FrozenInstanceError``)."""


class Record:
    """Base of the core's immutable value classes."""

    __slots__ = ()

    def _key(self) -> tuple[Any, ...]:
        """The fields that equality and hashing compare."""
        raise NotImplementedError

    def _args(self) -> tuple[Any, ...]:
        """The constructor's arguments, in order (for copies and pickles)."""
        return self._key()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        names: tuple[str, ...] = self.__slots__
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__name__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenError(f"cannot assign to field {name!r} of {type(self).__name__}")

    def __delattr__(self, name: str) -> None:
        raise FrozenError(f"cannot delete field {name!r} of {type(self).__name__}")

    def __reduce__(self) -> tuple[type[Record], tuple[Any, ...]]:
        return (type(self), self._args())
