"""Reading ports out of a function: its signature and its annotations.

``Annotated[Tensor, "B D T", SpectrogramType]``, ``Annotated[Tensor, NeuralType(...)]``,
jaxtyping's ``Float[Tensor, "b t d"]``, ``Optional[...]`` (an optional port),
``list[...]``/``Sequence[...]``/``tuple[..., ...]`` (nested lists of tensors) and
``tuple[...]``/``NamedTuple`` returns (several output ports). Axis strings are
parsed by the core's grammar, never evaluated; ``typing.get_type_hints`` resolves
the annotation expressions themselves, as Python does.
"""

from __future__ import annotations

import collections.abc
import inspect
import types
import typing
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Union

import torch

from .._core import (
    NEURAL_SPEC,
    AxisKind,
    AxisSpecError,
    AxisType,
    ElementType,
    NeuralType,
    NeuralTypeError,
    coerce_axes,
    coerce_element,
)
from .._core.spec_errors import (
    malformed_axis_string,
    metadata_not_on_tensor,
    two_axis_strings,
    two_element_types,
    unexpected_metadata,
)
from .ports import Port, Ports, PortType, Signature, intern, port_type

__all__ = ["function_ports", "mapping_ports", "read_annotation"]

_CONTAINERS = (list, tuple, collections.abc.Sequence, collections.abc.MutableSequence)
#: generic forms whose arguments are not values the function takes or returns: a
#: neural type inside them is no port and needs no check (a callback's signature)
_NOT_VALUES: tuple[object, ...] = (collections.abc.Callable, type)


def _spec_error(owner: str, port: str, reason: str) -> NeuralTypeError:
    return NeuralTypeError(f'{owner} port "{port}": {reason}', code=NEURAL_SPEC)


def _is_tensor_class(base: object) -> bool:
    return isinstance(base, type) and issubclass(base, torch.Tensor)


def _is_element(item: object) -> bool:
    return isinstance(item, ElementType) or (
        isinstance(item, type) and issubclass(item, ElementType)
    )


def _show(item: object) -> str:
    """A metadata item in a message: a class by name, a small value by repr, anything
    else by its type (never a tensor's values)."""
    if isinstance(item, type):
        return item.__name__
    if isinstance(item, (ElementType, NeuralType, str, int, float, bool)):
        return repr(item)
    return f"a {type(item).__name__}"


def _jaxtyping_parts(cls: object) -> tuple[str, object, object] | None:
    """(dim_str, array_type, dtypes) of a jaxtyping array annotation, else None."""
    dim_str = getattr(cls, "dim_str", None)
    if not isinstance(cls, type) or not isinstance(dim_str, str):
        return None
    if not hasattr(cls, "array_type"):
        return None
    return dim_str, cls.array_type, getattr(cls, "dtypes", None)


def _dtypes(names: object) -> frozenset[torch.dtype] | None:
    if not isinstance(names, (tuple, list)):
        return None  # jaxtyping's Shaped: any dtype
    found = (getattr(torch, name, None) for name in names if isinstance(name, str))
    return frozenset(d for d in found if isinstance(d, torch.dtype))


def _make(
    owner: str,
    port: str,
    axes: object,
    element: object,
    *,
    jaxtyping: bool = False,
    dtypes: frozenset[torch.dtype] | None = None,
    label: str | None = None,
) -> PortType:
    try:
        coerced = coerce_axes(axes, jaxtyping=jaxtyping)
        if element is None:  # an annotation that states no element: unknown, not VoidType
            ntype = intern(NeuralType.axes_only(coerced))
        else:
            ntype = intern(NeuralType(coerced, coerce_element(element)))
    except AxisSpecError as err:
        raise _spec_error(owner, port, malformed_axis_string(err)) from None
    except ValueError as err:
        raise _spec_error(owner, port, str(err)) from None
    return PortType(ntype, ntype, 0, dtypes, label)


def _from_jaxtyping(cls: type, owner: str, port: str, element: object = None) -> PortType:
    parts = _jaxtyping_parts(cls)
    assert parts is not None
    dim_str, array_type, names = parts
    if not _is_tensor_class(array_type):
        kind = getattr(array_type, "__name__", repr(array_type))
        raise _spec_error(owner, port, f"jaxtyping annotation over {kind}, not torch.Tensor")
    label = cls.__name__.split("[", 1)[0]
    dtypes = _dtypes(names)
    return _make(owner, port, dim_str, element, jaxtyping=True, dtypes=dtypes, label=label)


def _from_annotated(
    base: object, metadata: tuple[object, ...], owner: str, port: str
) -> PortType | None:
    ours = [m for m in metadata if isinstance(m, (str, NeuralType)) or _is_element(m)]
    jax = _jaxtyping_parts(base)
    if not _is_tensor_class(base) and jax is None:
        if ours:
            shown = getattr(base, "__name__", repr(base))
            raise _spec_error(owner, port, metadata_not_on_tensor(shown))
        return None  # someone else's Annotated[...]
    # the axis string so far (a jaxtyping annotation's own comes first)
    axes: str | None = jax[0] if jax is not None else None
    element: object = None
    for item in metadata:
        if isinstance(item, NeuralType):
            if len(metadata) != 1 or jax is not None:
                raise _spec_error(owner, port, "a NeuralType must be the only metadata")
            return port_type(intern(item))
        if isinstance(item, str):
            if axes is not None:
                raise _spec_error(owner, port, two_axis_strings(axes, item))
            axes = item
        elif _is_element(item):
            if element is not None:
                raise _spec_error(owner, port, two_element_types(_show(element), _show(item)))
            element = item
        else:
            raise _spec_error(owner, port, unexpected_metadata(_show(item)))
    if jax is not None:
        assert isinstance(base, type)
        return _from_jaxtyping(base, owner, port, element)
    return _make(owner, port, axes, element)


def _nested(inner: PortType) -> PortType:
    head = AxisType(AxisKind.Any, is_list=True)
    full = inner.ntype.axes
    ntype = inner.ntype.with_parts((head, *full) if full is not None else None)
    return PortType(ntype, inner.leaf, inner.depth + 1, inner.dtypes, inner.dtype_label)


def read_annotation(annotation: object, owner: str, port: str) -> tuple[PortType, bool] | None:
    """The port type an annotation declares and whether it is ``Optional``; None
    for an annotation that declares no neural type (``int``, plain ``Tensor``)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        found = _from_annotated(
            annotation.__origin__,  # type: ignore[attr-defined]
            annotation.__metadata__,  # type: ignore[attr-defined]
            owner,
            port,
        )
        return None if found is None else (found, False)
    if origin is Union or origin is types.UnionType:
        args = typing.get_args(annotation)
        members = [a for a in args if a is not type(None)]
        if len(members) == 1 and len(args) == 2:
            inner = read_annotation(members[0], owner, port)
            return None if inner is None else (inner[0], True)
        return None  # a Union of several types: not checked at run time
    args = typing.get_args(annotation)
    fixed_tuple = origin is tuple and not _is_variadic_tuple(args)
    if origin in _CONTAINERS and not fixed_tuple:
        inner = read_annotation(args[0], owner, port) if args else None
        return None if inner is None else (_nested(inner[0]), False)
    if _jaxtyping_parts(annotation) is not None:
        assert isinstance(annotation, type)
        return _from_jaxtyping(annotation, owner, port), False
    if origin not in _NOT_VALUES and any(_mentions_neural(arg) for arg in args):
        raise _spec_error(
            owner,
            port,
            f"neural types inside {_origin_name(origin)}[...] are not checked at run time; "
            "a port is a tensor or a list of them (list, Sequence, tuple[X, ...]), maybe "
            "Optional, and a return value may also be a flat tuple or NamedTuple of ports",
        )
    return None


def _is_variadic_tuple(args: tuple[object, ...]) -> bool:
    return len(args) == 2 and args[1] is Ellipsis


def _origin_name(origin: object) -> str:
    return str(getattr(origin, "__name__", origin))


def _mentions_neural(annotation: object) -> bool:
    """Whether an annotation holds neural type metadata anywhere inside."""
    if isinstance(annotation, (list, tuple)):  # Callable's parameter list
        return any(_mentions_neural(item) for item in annotation)
    if typing.get_origin(annotation) is Annotated:
        base = annotation.__origin__  # type: ignore[attr-defined]
        metadata = annotation.__metadata__  # type: ignore[attr-defined]
        if any(isinstance(m, (str, NeuralType)) or _is_element(m) for m in metadata):
            return True
        return _mentions_neural(base)
    if _jaxtyping_parts(annotation) is not None:
        return True
    return any(_mentions_neural(arg) for arg in typing.get_args(annotation))


def _hints(fn: Callable[..., Any], owner: str) -> dict[str, Any]:
    """The annotations, resolved. NameError (a name defined later) propagates so the
    caller can try again on the first call."""
    try:
        return typing.get_type_hints(fn, include_extras=True)
    except NameError:
        raise
    except Exception as err:
        raise NeuralTypeError(
            f"{owner}: can't read the annotations ({type(err).__name__}: {err})", code=NEURAL_SPEC
        ) from None


def _output_ports(annotation: object, owner: str) -> tuple[tuple[Port | None, ...], int | None]:
    if annotation is None or annotation is type(None):
        return (), None
    fields: list[tuple[str, object]] | None = None
    if typing.get_origin(annotation) is tuple:
        items = typing.get_args(annotation)
        if not (len(items) == 2 and items[1] is Ellipsis):
            fields = [(f"output_{i}", item) for i, item in enumerate(items)]
    elif isinstance(annotation, type) and issubclass(annotation, tuple):
        names = getattr(annotation, "_fields", None)
        if names is not None:  # a NamedTuple: its field names name the ports
            hints = typing.get_type_hints(annotation, include_extras=True)
            fields = [(name, hints.get(name)) for name in names]
    if fields is None:
        found = read_annotation(annotation, owner, "output")
        return ((), None) if found is None else ((Port("output", found[0], found[1], 0),), None)
    ports = []
    for i, (name, item) in enumerate(fields):
        found = read_annotation(item, owner, name)
        ports.append(None if found is None else Port(name, found[0], found[1], i))
    if all(p is None for p in ports):
        return (), None
    return tuple(ports), len(ports)


def function_ports(fn: Callable[..., Any], sig: Signature, owner: str) -> Ports:
    """Ports from the annotations of ``fn``. A parameter whose default is None is
    optional. Raises NeuralTypeError (neural-spec) for malformed annotations, and
    NameError while a name in them is not defined yet."""
    hints = _hints(fn, owner)
    inputs = []
    for index, param in enumerate(sig.params):
        found = read_annotation(hints.get(param.name), owner, param.name)
        if found is not None:
            optional = found[1] or param.default is None
            inputs.append(Port(param.name, found[0], optional, index))
    outputs, arity = _output_ports(hints.get("return"), owner)
    return Ports(tuple(inputs), outputs, arity)


def mapping_ports(
    input_types: Mapping[str, NeuralType] | None,
    output_types: Mapping[str, NeuralType] | None,
    sig: Signature,
    owner: str,
) -> Ports:
    """Ports from NeMo-style mappings (``input_types``/``output_types``). An input
    port takes the parameter of its name, or a keyword of ``**kwargs``."""
    positions = {name: i for i, name in enumerate(sig.names)}
    inputs = []
    for name, ntype in _entries(input_types, owner, "input_types"):
        index = positions.get(name)
        if index is None and sig.var_kw is None:
            raise NeuralTypeError(
                f'{owner}: input_types names port "{name}", which is not a parameter '
                f"({', '.join(sig.names) or 'none'})",
                code=NEURAL_SPEC,
            )
        default = sig.params[index].default if index is not None else inspect.Parameter.empty
        inputs.append(Port(name, port_type(ntype), ntype.optional or default is None, index))
    outputs = tuple(
        Port(name, port_type(ntype), ntype.optional, i)
        for i, (name, ntype) in enumerate(_entries(output_types, owner, "output_types"))
    )
    return Ports(tuple(inputs), outputs, len(outputs) if len(outputs) > 1 else None)


def _entries(
    types_: Mapping[str, NeuralType] | None, owner: str, what: str
) -> list[tuple[str, NeuralType]]:
    if types_ is None:
        return []
    if not isinstance(types_, Mapping):
        raise NeuralTypeError(
            f"{owner}: {what} must map port names to NeuralType, got {type(types_).__name__}",
            code=NEURAL_SPEC,
        )
    for name, ntype in types_.items():
        if not isinstance(ntype, NeuralType):
            raise NeuralTypeError(
                f'{owner} port "{name}": {what} entry must be a NeuralType, got '
                f"{type(ntype).__name__}",
                code=NEURAL_SPEC,
            )
    return list(types_.items())
