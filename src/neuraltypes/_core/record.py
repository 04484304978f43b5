"""Immutable value classes, declared by their fields as dataclasses are.

``@record`` on a class with annotated fields gives it, from that one list of
fields:

- ``__slots__`` (one per field);
- an ``__init__`` taking the fields in order, by position or by name (a field with
  a default may be left out), which then calls the class's ``__post_init__``, if it
  has one (a ``__post_init__`` that normalises a field sets it with
  :data:`set_field`);
- equality and hashing by the fields, a field declared ``field(compare=False)``
  left out; a record equals only records of its own class;
- a ``repr`` naming the fields (unless the class writes its own);
- assignment to a field or its deletion raise :class:`FrozenError`, which names the
  class;
- copies and pickles rebuild a value by calling the class with its fields, so a
  ``__post_init__`` check runs again (a pickle, e.g. a tensor's tag saved with a
  checkpoint, holds the class and its field values).

This is what ``dataclasses.dataclass(frozen=True, slots=True)`` gives, and type
checkers read it as such (``dataclass_transform``). It is not a dataclass because
of what a dataclass costs at import: ``dataclasses`` compiles the source text of
each method of each class, about 0.6 ms a class. The mypy plugin imports these
classes in every cold mypy run, where the 16 dataclasses were 77 M instructions,
2% of a cold run of the 200-module project of ``benchmarks/plugin_overhead.py``.
Here the methods are written once, for every record, and read the class's fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Final, TypeVar

__all__ = ["record", "field", "FrozenError", "set_field"]

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Any:  # what type checkers read, nothing at run time
        return lambda decorator: decorator


_T = TypeVar("_T")

#: how a ``__post_init__`` sets a field of a frozen record
set_field: Final = object.__setattr__

#: a field without a default
_REQUIRED: Final = object()


class FrozenError(AttributeError):
    """Assignment to a field of an immutable value."""


class _Field:
    """A field's options, as :func:`field` declares them."""

    __slots__ = ("default", "compare")

    def __init__(self, default: object, compare: bool) -> None:
        self.default = default
        self.compare = compare


def field(*, default: Any = _REQUIRED, compare: bool = True) -> Any:
    """A field's options in a record's class body: ``label: str | None =
    field(default=None, compare=False)`` is a field that equality and hashing leave
    out."""
    return _Field(default, compare)


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[_T]) -> type[_T]:
    """Make ``cls`` an immutable value class (see the module's docstring)."""
    namespace = dict(cls.__dict__)
    names: list[str] = []
    compared: list[str] = []
    defaults: dict[str, object] = {}
    for name in cls.__dict__.get("__annotations__", {}):
        declared = namespace.pop(name, _REQUIRED)
        options = declared if isinstance(declared, _Field) else _Field(declared, True)
        if options.default is not _REQUIRED:
            defaults[name] = options.default
        elif defaults:
            raise TypeError(
                f"{cls.__qualname__}: field {name!r} has no default but follows a field "
                "that has one"
            )
        names.append(name)
        if options.compare:
            compared.append(name)
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    namespace["__slots__"] = tuple(names)
    metaclass: type = type(cls)
    made: type[_T] = metaclass(cls.__name__, cls.__bases__, namespace)
    post_init = getattr(made, "__post_init__", None)
    methods = _methods(cls.__qualname__, tuple(names), tuple(compared), defaults, post_init)
    for name, method in methods.items():
        if name not in namespace or name in _ALWAYS:
            setattr(made, name, method)
    return made


#: methods set even when the class body has its own
_ALWAYS: Final = frozenset({"__setattr__", "__delattr__"})


def _methods(
    owner: str,
    names: tuple[str, ...],
    compared: tuple[str, ...],
    defaults: Mapping[str, object],
    post_init: Callable[[Any], None] | None,
) -> dict[str, Callable[..., Any]]:
    """The methods of a record with fields ``names`` (see the module's docstring)."""
    key = attrgetter(*compared) if compared else lambda _: ()
    count = len(names)

    def __init__(self: Any, *args: object, **kwargs: object) -> None:  # noqa: N807 - the method's name
        if kwargs or len(args) != count:
            args = _bind(owner, names, defaults, args, kwargs)
        for name, value in zip(names, args):
            set_field(self, name, value)
        if post_init is not None:
            post_init(self)

    def __eq__(self: Any, other: object) -> bool:  # noqa: N807 - the method's name
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(key(self) == key(other))

    def __hash__(self: Any) -> int:  # noqa: N807 - the method's name
        return hash(key(self))

    def __repr__(self: Any) -> str:  # noqa: N807 - the method's name
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({fields})"

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:  # noqa: N807 - the method's name
        return (type(self), tuple(getattr(self, name) for name in names))

    return {
        "__init__": __init__,
        "__eq__": __eq__,
        "__hash__": __hash__,
        "__repr__": __repr__,
        "__reduce__": __reduce__,
        "__setattr__": _refuse_assignment,
        "__delattr__": _refuse_deletion,
    }


def _bind(
    owner: str,
    names: tuple[str, ...],
    defaults: Mapping[str, object],
    args: tuple[object, ...],
    kwargs: dict[str, object],
) -> tuple[object, ...]:
    """The field values of a call ``owner(*args, **kwargs)``, in field order, as
    Python binds a function's arguments (and with its error messages)."""
    if len(args) > len(names):
        raise TypeError(
            f"{owner}() takes {len(names)} positional arguments but {len(args)} were given"
        )
    values = list(args)
    for name in kwargs:
        if name not in names:
            raise TypeError(f"{owner}() got an unexpected keyword argument {name!r}")
        if names.index(name) < len(args):
            raise TypeError(f"{owner}() got multiple values for argument {name!r}")
    for name in names[len(args) :]:
        if name in kwargs:
            values.append(kwargs[name])
        elif name in defaults:
            values.append(defaults[name])
        else:
            raise TypeError(f"{owner}() missing required argument: {name!r}")
    return tuple(values)


def _refuse_assignment(self: object, name: str, value: object) -> None:
    raise FrozenError(f"cannot assign to field {name!r} of {type(self).__name__}")


def _refuse_deletion(self: object, name: str) -> None:
    raise FrozenError(f"cannot delete field {name!r} of {type(self).__name__}")
