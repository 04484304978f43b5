"""How a neural type rides on a plain ``Tensor`` type: ``Instance.extra_attrs``.

Subtyping ignores ``extra_attrs``, so a neural tensor is a ``Tensor`` everywhere
and a plain ``Tensor`` is accepted wherever a neural one is declared (gradual). The
neural type is a JSON string in a ``LiteralType``, which mypy serialises into its
cache with the type. See MYPY_NOTES.md for why the alternatives fail.

mypy may drop ``extra_attrs`` *in place* on a type object it shares with a
declaration (union simplification inside a function body sets the attribute to
None), so the plugin never trusts a declaration's objects to still carry theirs:
a declared Tensor port that carries none is re-read from the annotation as written
(``_ports.py``), and every type a hook hands back to mypy is a new object
(:func:`overlay`). The ``ExtraAttrs`` object itself is never changed once made
(mypy copies one before adding to it, and ``copy_modified`` shares it), so new
objects share it (``BuildState.carrier``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Union

from mypy.types import (
    Instance,
    LiteralType,
    NoneType,
    ProperType,
    TupleType,
    Type,
    TypeAliasType,
    UnionType,
    get_proper_type,
)

from ._names import TENSOR_NAMES

if TYPE_CHECKING:
    from neuraltypes._core import AxisType

    from ._state import BuildState

__all__ = [
    "KEY",
    "Neural",
    "neural",
    "decode",
    "RetPort",
    "neural_of",
    "ret_port_of",
    "with_neural",
    "without_neural",
    "overlay",
    "overlay_ret",
    "is_tensor",
    "fresh",
    "as_proper",
    "str_type",
]

#: ``builtins.str`` (from the API at hand), for a literal: asked only when one is made
StrType = Callable[[], Instance]


def str_type(ctx: Any) -> StrType:
    """``builtins.str`` from the checker's API of a hook's context (signature,
    function, method and attribute hooks)."""
    return lambda: ctx.api.named_generic_type("builtins.str", [])


#: the ``extra_attrs`` entry that holds the neural type: not an identifier, so no
#: attribute access in user code (``x.some_name``) can reach it
KEY = "<neural type>"


class _Unparsed:
    """A neural type's axes not parsed yet."""


_UNPARSED = _Unparsed()


class Neural:
    """A neural type as the plugin sees it: the axis string (None: no axes given),
    whether it is jaxtyping style, the element class's full name (None when the
    annotation states none: unknown), and jaxtyping's dtype category (``Float``,
    ``Int64``; None: not stated, or ``Shaped``). The element's bases are not part of
    it: they are read from the class when a connection is checked
    (``BuildState.element_info``), so an edit of the class is seen. Immutable; equal
    when the four parts are.

    (A plain class: a dataclass costs a millisecond of import time on every cold
    mypy run.)
    """

    __slots__ = ("axes", "jaxtyping", "element", "dtype", "_key", "_hash", "_parsed")

    def __init__(
        self, axes: str | None, jaxtyping: bool, element: str | None, dtype: str | None = None
    ) -> None:
        self.axes = axes
        self.jaxtyping = jaxtyping
        self.element = element
        self.dtype = dtype
        self._key = (axes, jaxtyping, element, dtype)
        self._hash = hash(self._key)  # verdicts are remembered by pairs of these
        self._parsed: tuple[AxisType, ...] | None | _Unparsed = _UNPARSED

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Neural) and self._key == other._key

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"Neural({self.axes!r}, {self.jaxtyping!r}, {self.element!r}, {self.dtype!r})"

    def parsed_axes(self) -> tuple[AxisType, ...] | None:
        """The axes as the core reads them (None: the annotation gives none)."""
        if isinstance(self._parsed, _Unparsed):  # parsed when first asked
            from neuraltypes._core import coerce_axes  # (the rules, imported when needed)

            axes = self.axes
            self._parsed = None if axes is None else coerce_axes(axes, jaxtyping=self.jaxtyping)
        return self._parsed

    def encode(self) -> str:
        """The text carried in mypy's types (and so in its cache): the dtype is a
        fourth item, only when there is one."""
        parts = [self.axes, self.jaxtyping, self.element]
        return json.dumps(parts if self.dtype is None else [*parts, self.dtype])


#: A return port: one neural type, a tuple of them (None: a plain item), or None.
RetPort = Union[Neural, tuple[Union[Neural, None], ...], None]


# Interning: pure functions of their arguments, so their caches are no build state
# (they hold no mypy objects and give the same answer in every build).


def neural(
    axes: str | None, jaxtyping: bool, element: str | None, dtype: str | None = None
) -> Neural:
    """The one :class:`Neural` object for these parts (so that comparing two neural
    types is mostly an identity test)."""
    return _interned(axes, jaxtyping, element, dtype)  # (lru_cache keys on the call's form)


@lru_cache(maxsize=4096)
def _interned(axes: str | None, jaxtyping: bool, element: str | None, dtype: str | None) -> Neural:
    return Neural(axes, jaxtyping, element, dtype)


@lru_cache(maxsize=4096)
def decode(text: str) -> Neural | None:
    """The neural type a carried text encodes (None: not one of ours)."""
    try:
        axes, jax, element, *dtype = json.loads(text)
    except (ValueError, TypeError):
        return None
    if (
        (axes is not None and not isinstance(axes, str))
        or (element is not None and not isinstance(element, str))
        or (dtype and (len(dtype) > 1 or not isinstance(dtype[0], str)))
    ):
        return None
    return neural(axes, bool(jax), element, dtype[0] if dtype else None)


def as_proper(typ: Type) -> ProperType | None:
    """``get_proper_type`` that never asserts: wrappers that are not types of values
    (``Required[...]`` in a TypedDict, ...) give None."""
    if isinstance(typ, ProperType):
        return typ
    if isinstance(typ, TypeAliasType):
        return get_proper_type(typ)
    return None


def is_tensor(typ: ProperType | None) -> bool:
    return isinstance(typ, Instance) and typ.type.fullname in TENSOR_NAMES


def neural_of(typ: Type | None) -> Neural | None:
    """The neural type carried by ``typ`` (also inside ``Optional[...]``), or None."""
    inst = as_proper(typ) if typ is not None else None
    if isinstance(inst, UnionType):  # Optional[Spec]: its one non-None item
        rest = [t for t in map(as_proper, inst.items) if not isinstance(t, NoneType)]
        inst = rest[0] if len(rest) == 1 else None
    if not isinstance(inst, Instance) or inst.extra_attrs is None:
        return None
    return _carried(inst.extra_attrs.attrs.get(KEY))


def _carried(value: Type | None) -> Neural | None:
    """The neural type in an ``extra_attrs`` entry (a literal, maybe behind an alias)."""
    proper = as_proper(value) if value is not None else None
    if isinstance(proper, LiteralType) and isinstance(proper.value, str):
        return decode(proper.value)
    return None


def ret_port_of(typ: Type) -> RetPort:
    """The return port an analysed return type carries."""
    proper = as_proper(typ)
    if isinstance(proper, TupleType):
        items = tuple(neural_of(t) for t in proper.items)
        return items if any(items) else None
    return neural_of(proper)


def with_neural(
    state: BuildState, base: Instance, neural: Neural | None, str_type: StrType
) -> Instance:
    """A new copy of ``base`` carrying ``neural`` (or nothing); ``str_type`` gives
    ``builtins.str``, for the literal, when one must be made."""
    if neural is None:
        return without_neural(base)
    copy = base.copy_modified()
    copy.extra_attrs = state.carrier(neural, str_type)
    return copy


def without_neural(base: Instance) -> Instance:
    """A new copy of ``base`` that carries no neural type."""
    copy = base.copy_modified()
    copy.extra_attrs = None
    return copy


def overlay(state: BuildState, typ: Type, neural: Neural | None, str_type: StrType) -> Type:
    """``typ`` as a new object whose Tensor part (also inside ``Optional``) carries
    ``neural`` (``str_type`` gives ``builtins.str``, for the literal, when one must be
    made). Types without a Tensor part come back unchanged."""
    proper = as_proper(typ)
    if isinstance(proper, Instance):
        if not is_tensor(proper):
            return typ
        carried = neural_of(proper)
        if neural is not None and (carried is neural or carried == neural):
            return proper.copy_modified()  # shares the (never mutated) ExtraAttrs
        return with_neural(state, proper, neural, str_type)
    if isinstance(proper, UnionType):
        items = [overlay(state, t, neural, str_type) for t in proper.items]
        return UnionType(items, proper.line, proper.column)
    return typ


def fresh(typ: Type) -> Type:
    """A new copy of the neural-carrying parts of a return type (a Tensor, a tuple of
    them, ``Optional``), so that mypy mutating what a hook hands it cannot reach the
    plugin's own copy."""
    if isinstance(typ, Instance):
        return typ if typ.extra_attrs is None else typ.copy_modified()
    if isinstance(typ, TupleType):
        return typ.copy_modified(items=[fresh(item) for item in typ.items])
    if isinstance(typ, UnionType):
        return UnionType([fresh(t) for t in typ.items], typ.line, typ.column)
    return typ


def overlay_ret(state: BuildState, typ: Type, port: RetPort, str_type: StrType) -> Type:
    """A new return type carrying ``port`` (see :func:`overlay`)."""
    proper = as_proper(typ)
    if isinstance(proper, TupleType):
        items = port if isinstance(port, tuple) else (None,) * len(proper.items)
        if len(items) != len(proper.items):
            return typ
        return proper.copy_modified(
            items=[overlay(state, t, n, str_type) for t, n in zip(proper.items, items)]
        )
    if isinstance(port, tuple):
        return typ
    return overlay(state, typ, port, str_type)
