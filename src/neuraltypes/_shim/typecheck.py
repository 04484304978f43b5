"""``@typecheck()``: check a method's neural types at call time, tag its outputs."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

import torch

from .._core import NEURAL_SPEC, NeuralType, NeuralTypeError
from . import switches
from .annotations import PortSpec, signature_ports
from .checker import SignatureChecker

__all__ = ["typecheck"]

F = TypeVar("F", bound=Callable[..., Any])
_is_compiling = torch.compiler.is_compiling
_checks_enabled = switches.checks_enabled
_INSTANCE_KEY = "_neuraltypes_checkers"


_BY_PROPERTIES: dict[type, bool] = {}


def _declared_by_properties(obj: object) -> bool:
    """True when ``obj``'s class declares ports with NeMo-style properties of its own
    (not the defaults that read ``forward``'s annotations). Cached per class."""
    cls = type(obj)
    known = _BY_PROPERTIES.get(cls)
    if known is None:
        from .modules import DERIVED_PROPERTIES

        known = any(
            (attr := inspect.getattr_static(cls, name, None)) is not None
            and attr not in DERIVED_PROPERTIES
            for name in ("input_types", "output_types")
        )
        _BY_PROPERTIES[cls] = known
    return known


def _ports_from_mapping(
    types: Mapping[str, NeuralType] | None, positions: dict[str, int], owner: str, kind: str
) -> list[PortSpec]:
    if types is None:
        return []
    if not isinstance(types, Mapping):
        raise NeuralTypeError(
            f"{owner}: {kind} must be a mapping of port name to NeuralType, got "
            f"{type(types).__name__}",
            code=NEURAL_SPEC,
        )
    ports = []
    for i, (name, ntype) in enumerate(types.items()):
        if not isinstance(ntype, NeuralType):
            raise NeuralTypeError(
                f'{owner} port "{name}": {kind} entry must be a NeuralType, got {ntype!r}',
                code=NEURAL_SPEC,
            )
        ports.append(PortSpec(name, ntype, positions.get(name, i) if kind == "input_types" else i))
    return ports


class typecheck:  # noqa: N801 - NeMo's name, used as a decorator
    """Check a method's (or function's) neural types on every call.

    ::

        class Encoder(NeuralModule):
            @typecheck()
            def forward(self, audio: Spec, length: Lens) -> tuple[Enc, Lens]: ...

    Ports come from ``input_types``/``output_types`` given here, else from the
    class's NeMo-style properties, else from the annotations. Per call it checks
    argument names, required ports, rank, fixed sizes, sizes bound across the call's
    ports, and the element type of inputs that carry a ``neural_type`` tag; outputs
    are tagged. Raises :class:`NeuralTypeError`. The checker is built once per
    function (per instance for property-declared ports), on the first call.
    """

    def __init__(
        self,
        input_types: Mapping[str, NeuralType] | None = None,
        output_types: Mapping[str, NeuralType] | None = None,
    ) -> None:
        self.input_types = input_types
        self.output_types = output_types

    def __call__(self, fn: F) -> F:
        if not callable(fn):
            raise TypeError(f"@typecheck() decorates a function, got {fn!r}")
        owner = fn.__qualname__
        params = list(inspect.signature(fn).parameters)
        is_method = bool(params) and params[0] in ("self", "cls")
        explicit = self.input_types is not None or self.output_types is not None
        shared: list[SignatureChecker] = []
        build = functools.partial(self._build, fn, owner, int(is_method))

        by_properties = _BY_PROPERTIES
        semantic_enabled = switches.semantic_enabled

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if _is_compiling() or not _checks_enabled():
                return fn(*args, **kwargs)
            per_instance = False
            if is_method and args and not explicit:
                per_instance = by_properties.get(type(args[0]))  # type: ignore[assignment]
                if per_instance is None:
                    per_instance = _declared_by_properties(args[0])
            if per_instance:
                checker = _instance_checker(args[0], fn, build)
            elif shared:
                checker = shared[0]
            else:
                checker = build(None)
                shared.append(checker)
            semantic = semantic_enabled()
            env = checker.check_inputs(args, kwargs, semantic)
            return checker.check_outputs(fn(*args, **kwargs), env, semantic)

        wrapper.__neuraltypes_typecheck__ = True  # type: ignore[attr-defined]
        return cast(F, wrapper)

    def _build(
        self, fn: Callable[..., Any], owner: str, offset: int, instance: object
    ) -> SignatureChecker:
        inputs, outputs, names, var_kw = signature_ports(fn, owner)
        sig = inspect.signature(fn)
        params = [p for p in sig.parameters.values() if p.name not in ("self", "cls")]
        required = frozenset(p.name for p in params if p.default is inspect.Parameter.empty)
        positions = {p.name: i for i, p in enumerate(params)}
        if self.input_types is not None or self.output_types is not None:
            if self.input_types is not None:
                inputs = _ports_from_mapping(self.input_types, positions, owner, "input_types")
            if self.output_types is not None:
                outputs = _ports_from_mapping(self.output_types, positions, owner, "output_types")
        elif instance is not None:
            inputs = _ports_from_mapping(
                getattr(instance, "input_types", None), positions, owner, "input_types"
            )
            outputs = _ports_from_mapping(
                getattr(instance, "output_types", None), positions, owner, "output_types"
            )
        return SignatureChecker(owner, inputs, outputs, names, var_kw, required, offset)

    # -- switches (per thread and task; nestable) -------------------------------

    @staticmethod
    def disable_checks() -> switches.Switch:
        """Turn all checks off for a block (context manager) or a function (decorator)."""
        return switches.disable_checks()

    @staticmethod
    def enable_checks() -> switches.Switch:
        """Turn checks on for a block, whatever the global switch says."""
        return switches.enable_checks()

    @staticmethod
    def disable_semantic_checks() -> switches.Switch:
        """Skip element-type (tag) checks for a block; shapes are still checked."""
        return switches.disable_semantic_checks()

    @staticmethod
    def enable_semantic_checks() -> switches.Switch:
        """Check element types for a block, whatever the global switch says."""
        return switches.enable_semantic_checks()

    @staticmethod
    def set_typecheck_enabled(enabled: bool = True) -> None:
        """The global default for all checks, in every thread."""
        switches.set_global("checks", enabled)

    @staticmethod
    def set_semantic_check_enabled(enabled: bool = True) -> None:
        """The global default for element-type checks, in every thread."""
        switches.set_global("semantic", enabled)

    @staticmethod
    def is_enabled() -> bool:
        """Whether checks run here and now."""
        return switches.checks_enabled()


def _instance_checker(
    obj: Any, fn: Callable[..., Any], build: Callable[[object], SignatureChecker]
) -> SignatureChecker:
    store = obj.__dict__.get(_INSTANCE_KEY)
    if store is None:
        store = {}
        object.__setattr__(obj, _INSTANCE_KEY, store)
    checker = store.get(fn)
    if checker is None:
        checker = store[fn] = build(obj)
    return cast(SignatureChecker, checker)
