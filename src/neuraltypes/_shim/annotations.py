"""Reading neural types out of Python annotations (run-time side of the syntax).

``Annotated[Tensor, "B D T", SpectrogramType]``, ``Annotated[Tensor, NeuralType(...)]``,
jaxtyping's ``Float[Tensor, "b t d"]``, ``Optional[...]``, ``list[...]`` and
``tuple[...]`` returns. Axis strings are parsed by the core's grammar, never
evaluated; ``typing.get_type_hints`` resolves only the annotation expressions
themselves, as Python does.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Union

import torch

from .._core import (
    NEURAL_SPEC,
    AxisSpecError,
    AxisType,
    ElementType,
    NeuralType,
    NeuralTypeError,
    coerce_axes,
    coerce_element,
)
from .._core.kinds import AxisKind

__all__ = ["PortSpec", "read_annotation", "signature_ports", "list_depth"]

_NONE_TYPES = (type(None), None)


@dataclass(frozen=True)
class PortSpec:
    """One port: its name, its type, and how values reach it."""

    name: str
    type: NeuralType
    position: int | None  # positional index among the call's arguments (None: keyword-only)


def list_depth(ntype: NeuralType) -> int:
    """How many leading list axes (NeMo's nested-list ports) the type has."""
    depth = 0
    for axis in ntype.axes or ():
        if not axis.is_list:
            break
        depth += 1
    return depth


def _spec_error(owner: str, port: str, reason: str) -> NeuralTypeError:
    return NeuralTypeError(f'{owner} port "{port}": {reason}', code=NEURAL_SPEC)


def _is_tensor_type(base: object) -> bool:
    return isinstance(base, type) and issubclass(base, torch.Tensor)


def _from_annotated(
    base: object, metadata: tuple[object, ...], owner: str, port: str
) -> NeuralType:
    if not _is_tensor_type(base):
        raise _spec_error(owner, port, f"neural type metadata is on {base!r}, not on a Tensor")
    axes: str | None = None
    element: object = None
    for item in metadata:
        if isinstance(item, NeuralType):
            if len(metadata) != 1:
                raise _spec_error(owner, port, "a NeuralType must be the only metadata")
            return item
        if isinstance(item, str):
            if axes is not None:
                raise _spec_error(owner, port, f"two axis strings, {axes!r} and {item!r}")
            axes = item
        elif isinstance(item, ElementType) or (
            isinstance(item, type) and issubclass(item, ElementType)
        ):
            if element is not None:
                raise _spec_error(owner, port, f"two element types, {element!r} and {item!r}")
            element = item
        else:
            raise _spec_error(
                owner,
                port,
                f"unexpected metadata {item!r}: expected an axis string and an element type",
            )
    try:
        return NeuralType(coerce_axes(axes) if axes is not None else None, coerce_element(element))
    except AxisSpecError as err:
        raise _spec_error(owner, port, f"malformed axis string: {err}") from None
    except ValueError as err:
        raise _spec_error(owner, port, str(err)) from None


def _jaxtyping_type(annotation: object, owner: str, port: str) -> NeuralType | None:
    dim_str = getattr(annotation, "dim_str", None)
    array_type = getattr(annotation, "array_type", None)
    if not isinstance(dim_str, str) or array_type is None:
        return None
    if not _is_tensor_type(array_type):
        return None
    try:
        return NeuralType(coerce_axes(dim_str, jaxtyping=True))
    except AxisSpecError as err:
        raise _spec_error(owner, port, f"malformed axis string: {err}") from None


def read_annotation(annotation: object, owner: str, port: str) -> NeuralType | None:
    """The neural type an annotation declares, or None for a non-neural one.

    ``Optional[X]`` gives X's type marked optional; ``list[X]`` gives X's type
    with a leading list axis.
    """
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _from_annotated(annotation.__origin__, annotation.__metadata__, owner, port)  # type: ignore[attr-defined]
    if origin is Union or (hasattr(types, "UnionType") and origin is types.UnionType):
        members = [a for a in typing.get_args(annotation) if a not in _NONE_TYPES]
        if len(members) == 1 and len(members) < len(typing.get_args(annotation)):
            inner = read_annotation(members[0], owner, port)
            if inner is not None:
                return NeuralType(inner.axes, inner.elements_type, optional=True)
        return None
    if origin is list:
        (item,) = typing.get_args(annotation) or (None,)
        inner = read_annotation(item, owner, port) if item is not None else None
        if inner is None:
            return None
        head = AxisType(AxisKind.Any, is_list=True)
        return NeuralType((head, *(inner.axes or ())), inner.elements_type, inner.optional)
    return _jaxtyping_type(annotation, owner, port)


def _hints(fn: Callable[..., Any], owner: str) -> dict[str, Any]:
    try:
        return typing.get_type_hints(fn, include_extras=True)
    except Exception as err:  # unresolvable forward reference, bad annotation
        raise NeuralTypeError(
            f"{owner}: can't read the annotations ({type(err).__name__}: {err})", code=NEURAL_SPEC
        ) from None


def signature_ports(
    fn: Callable[..., Any], owner: str
) -> tuple[list[PortSpec], list[PortSpec], list[str], bool]:
    """Input ports, output ports, all parameter names (for keyword checks), and
    whether the function takes ``**kwargs``. ``self``/``cls`` is left out."""
    hints = _hints(fn, owner)
    params = list(inspect.signature(fn).parameters.values())
    if params and params[0].name in ("self", "cls"):
        params = params[1:]
    inputs: list[PortSpec] = []
    names: list[str] = []
    var_kw = False
    for index, param in enumerate(params):
        if param.kind is param.VAR_KEYWORD:
            var_kw = True
            continue
        if param.kind is param.VAR_POSITIONAL:
            continue
        names.append(param.name)
        ntype = read_annotation(hints.get(param.name), owner, param.name)
        if ntype is None:
            continue
        if param.default is None and not ntype.optional:
            ntype = NeuralType(ntype.axes, ntype.elements_type, optional=True)
        position = None if param.kind is param.KEYWORD_ONLY else index
        inputs.append(PortSpec(param.name, ntype, position))
    return inputs, output_ports(hints.get("return"), owner), names, var_kw


def output_ports(annotation: object, owner: str) -> list[PortSpec]:
    """Output ports from a return annotation: one, or one per ``tuple[...]`` item
    (named ``output`` / ``output_0``, ``output_1``, ...)."""
    if annotation is None:
        return []
    if typing.get_origin(annotation) is tuple:
        items = typing.get_args(annotation)
        if Ellipsis in items:
            return []
        ports = []
        for i, item in enumerate(items):
            ntype = read_annotation(item, owner, f"output_{i}")
            ports.append(PortSpec(f"output_{i}", ntype or NeuralType(), i))
        return ports if any(p.type != NeuralType() for p in ports) else []
    ntype = read_annotation(annotation, owner, "output")
    return [] if ntype is None else [PortSpec("output", ntype, 0)]
