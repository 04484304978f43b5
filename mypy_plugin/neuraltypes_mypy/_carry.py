"""How a neural type rides on a plain ``Tensor`` type: ``Instance.extra_attrs``.

Subtyping ignores ``extra_attrs``, so a neural tensor is a ``Tensor`` everywhere
and a plain ``Tensor`` is accepted wherever a neural one is declared (gradual). The
neural type is a JSON string in a ``LiteralType``, which mypy serialises into its
cache with the type. See MYPY_NOTES.md for why the alternatives fail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from mypy.types import (
    CallableType,
    ExtraAttrs,
    Instance,
    LiteralType,
    NoneType,
    ProperType,
    TupleType,
    Type,
    UnionType,
    get_proper_type,
)

from neuraltypes._core import VOID_FULLNAME, AxisType, ElementInfo, parse_axes

from ._names import TENSOR_NAMES

__all__ = [
    "KEY",
    "Neural",
    "neural_of",
    "with_neural",
    "fresh",
    "fresh_callable",
    "is_tensor",
]

KEY = "__neuraltypes_type__"
_VOID = ElementInfo("VoidType", (VOID_FULLNAME,), None)


@dataclass(frozen=True)
class Neural:
    """A neural type as the plugin sees it: the axis string (None: no axes given),
    whether it is jaxtyping style, and the element class (name + MRO full names;
    empty for VoidType)."""

    axes: str | None
    jaxtyping: bool
    element: tuple[str, ...]

    def encode(self) -> str:
        return json.dumps([self.axes, self.jaxtyping, list(self.element)])

    @property
    def parsed_axes(self) -> tuple[AxisType, ...] | None:
        return None if self.axes is None else parse_axes(self.axes, jaxtyping=self.jaxtyping)

    @property
    def element_info(self) -> ElementInfo:
        if not self.element:
            return _VOID
        return ElementInfo(self.element[0], self.element[1:], None)


@lru_cache(maxsize=4096)
def _decode(text: str) -> Neural | None:
    try:
        axes, jax, element = json.loads(text)
    except (ValueError, TypeError):
        return None
    if (axes is not None and not isinstance(axes, str)) or not isinstance(element, list):
        return None
    return Neural(axes, bool(jax), tuple(str(e) for e in element))


def is_tensor(typ: ProperType) -> bool:
    return isinstance(typ, Instance) and typ.type.fullname in TENSOR_NAMES


def neural_of(typ: Type | None) -> Neural | None:
    """The neural type carried by ``typ`` (also inside ``Optional[...]``), or None."""
    if typ is None:
        return None
    proper = get_proper_type(typ)
    if isinstance(proper, UnionType):
        items = [get_proper_type(t) for t in proper.items]
        rest = [t for t in items if not isinstance(t, NoneType)]
        if len(rest) != 1:
            return None
        proper = rest[0]
    if not isinstance(proper, Instance) or proper.extra_attrs is None:
        return None
    value = proper.extra_attrs.attrs.get(KEY)
    value = get_proper_type(value) if value is not None else None
    if isinstance(value, LiteralType) and isinstance(value.value, str):
        return _decode(value.value)
    return None


def with_neural(base: Instance, neural: Neural, str_type: Instance) -> Instance:
    """A copy of ``base`` carrying ``neural``."""
    copy = base.copy_modified()
    copy.extra_attrs = ExtraAttrs({KEY: LiteralType(neural.encode(), str_type)}, set(), None)
    return copy


def fresh_callable(sig: CallableType) -> CallableType:
    """:func:`fresh` for a signature."""
    return sig.copy_modified(
        arg_types=[fresh(t) for t in sig.arg_types], ret_type=fresh(sig.ret_type)
    )


def fresh(typ: Type, depth: int = 0) -> Type:
    """A copy of the neural-carrying parts of a signature or type.

    mypy's union simplification may erase ``extra_attrs`` in place; handing out
    copies keeps declarations intact. Only the shapes a signature uses are walked
    (no generic visitor: those crashed compiled mypy on real code).
    """
    if depth > 8:
        return typ
    if isinstance(typ, Instance):
        if typ.extra_attrs is not None and KEY in typ.extra_attrs.attrs:
            copy = typ.copy_modified()
            copy.extra_attrs = typ.extra_attrs.copy()
            return copy
        return typ
    if isinstance(typ, TupleType):
        return typ.copy_modified(items=[fresh(t, depth + 1) for t in typ.items])
    if isinstance(typ, UnionType):
        return UnionType([fresh(t, depth + 1) for t in typ.items], typ.line, typ.column)
    if isinstance(typ, CallableType):
        return typ.copy_modified(
            arg_types=[fresh(t, depth + 1) for t in typ.arg_types],
            ret_type=fresh(typ.ret_type, depth + 1),
        )
    return typ
