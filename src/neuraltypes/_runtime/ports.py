"""The data the runtime keeps about a function: its parameters and its ports."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import torch

from .._core import AxisKind, AxisType, BinOp, ElementType, NeuralType, Num, Var

__all__ = [
    "PORTS_STATE",
    "Param",
    "Port",
    "PortType",
    "Ports",
    "Signature",
    "allow_loading",
    "display_name",
    "intern",
    "port_type",
]

#: the attribute where a module keeps a token that is renewed whenever one of its
#: attributes is assigned; NeMo-style ports read under another token are read again
PORTS_STATE: Final = "_neuraltypes_ports_state"

#: (type, its axes as spelled) -> the one object for it: equal types spelled apart
#: ("B T D" and "B T C": C is D) stay apart, so each is shown as it was written
_INTERNED: dict[tuple[NeuralType, str | None], NeuralType] = {}
_LOADABLE: set[type] = set()


def allow_loading(classes: list[type]) -> None:
    """Let ``torch.load`` (``weights_only=True``, its default) rebuild tags made of
    ``classes``: a saved output keeps its ``neural_type``."""
    new: list[Any] = [cls for cls in classes if cls not in _LOADABLE]
    if new:
        _LOADABLE.update(new)
        torch.serialization.add_safe_globals(new)


def _with_subclasses(cls: type) -> list[type]:
    found = [cls]
    direct: list[type] = cls.__subclasses__()
    for sub in direct:
        found += _with_subclasses(sub)
    return found


# what a tag is made of, and every element class defined so far (the standard ones);
# an element class defined later is added when a port first declares it (intern)
allow_loading([NeuralType, AxisType, AxisKind, Num, Var, BinOp, *_with_subclasses(ElementType)])


def intern(ntype: NeuralType) -> NeuralType:
    """One object per distinct type, so that a tag is usually the very object the
    next port declares and the check is an identity test. The type's element class
    becomes loadable (:func:`allow_loading`)."""
    key = (ntype, ntype.axis_string)
    found = _INTERNED.get(key)
    if found is None:
        found = _INTERNED[key] = ntype
        allow_loading([type(ntype.elements_type)])
    return found


@dataclass(frozen=True)
class PortType:
    """A port's type as the checker uses it.

    ``ntype`` is the declared type (list axes included); ``leaf`` the type of each
    tensor in it (list axes removed, interned); ``depth`` the number of list levels;
    ``dtypes``/``dtype_label`` a jaxtyping dtype constraint (``Float``), if any.
    """

    ntype: NeuralType
    leaf: NeuralType
    depth: int = 0
    dtypes: frozenset[torch.dtype] | None = None
    dtype_label: str | None = None


def port_type(ntype: NeuralType) -> PortType:
    """The :class:`PortType` of a NeMo-style type (leading ``is_list`` axes: lists)."""
    axes = ntype.axes or ()
    depth = 0
    while depth < len(axes) and axes[depth].is_list:
        depth += 1
    if depth == 0:
        return PortType(ntype, intern(ntype))
    leaf = ntype.with_parts(axes[depth:])
    return PortType(ntype, intern(leaf), depth)


@dataclass(frozen=True)
class Port:
    """One port: its name, type, whether it may be omitted or None, and where its
    value is (inputs: index among the parameters, None for ``**kwargs``; outputs:
    index in the returned tuple)."""

    name: str
    type: PortType
    optional: bool
    index: int | None


@dataclass(frozen=True)
class Ports:
    """The ports of one call. ``arity`` is None for a single returned value, else
    the length of the returned tuple; ``outputs`` has one entry per returned value
    (None where a value is not a port)."""

    inputs: tuple[Port, ...]
    outputs: tuple[Port | None, ...]
    arity: int | None

    @property
    def output_ports(self) -> tuple[Port, ...]:
        return tuple(p for p in self.outputs if p is not None)


@dataclass(frozen=True)
class Param:
    name: str
    kind: inspect._ParameterKind
    default: Any  # inspect.Parameter.empty when required


@dataclass(frozen=True)
class Signature:
    """A function's parameters: the receiver (``self``/``cls``) apart, the named
    parameters in order, and the names of ``*args``/``**kwargs`` if any."""

    receiver: str | None
    params: tuple[Param, ...]
    var_pos: str | None
    var_kw: str | None

    @staticmethod
    def of(fn: Callable[..., Any]) -> Signature:
        params = list(inspect.signature(fn).parameters.values())
        receiver = None
        if params and params[0].name in ("self", "cls") and params[0].kind <= 1:
            receiver = params.pop(0).name
        kinds = inspect.Parameter
        return Signature(
            receiver,
            tuple(
                Param(p.name, p.kind, p.default)
                for p in params
                if p.kind not in (kinds.VAR_POSITIONAL, kinds.VAR_KEYWORD)
            ),
            next((p.name for p in params if p.kind is kinds.VAR_POSITIONAL), None),
            next((p.name for p in params if p.kind is kinds.VAR_KEYWORD), None),
        )

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)


def display_name(fn: Callable[..., Any]) -> str:
    """``Encoder.forward`` for a method, ``pad`` for a function (no ``<locals>``)."""
    return fn.__qualname__.rsplit("<locals>.", 1)[-1]
