"""``@typecheck()``: check a method's neural types at call time, tag its outputs."""

from __future__ import annotations

import functools
import inspect
import keyword
import linecache
import threading
import types
import weakref
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar, cast

from .._core import NEURAL_SPEC, NeuralType, NeuralTypeError
from . import switches
from .annotations import function_ports, mapping_ports
from .checker import MISSING, CallChecker
from .fastpath import fast_eligible, guardable, wrapper_source
from .guards import GuardPair
from .ports import PORTS_STATE, Ports, Signature, display_name

__all__ = ["typecheck", "DERIVED_PROPERTIES", "ports_of"]

F = TypeVar("F", bound=Callable[..., Any])
_PER_INSTANCE: Final = object()
_KINDS = inspect.Parameter


#: the port properties that read annotations (NeuralModule's, Dataset's): a class
#: whose ``input_types``/``output_types`` is anything else declares its ports NeMo's
#: way, and those are read from each instance
DERIVED_PROPERTIES: set[object] = set()


def _by_properties(cls: type) -> bool:
    return any(
        (attr := inspect.getattr_static(cls, name, None)) is not None
        and attr not in DERIVED_PROPERTIES
        for name in ("input_types", "output_types")
    )


class _Checked:
    """The state behind one decorated function: its signature, its checkers (per
    port set; which one applies is decided once per class, or per instance for
    NeMo-style ports), and the generated wrapper."""

    def __init__(
        self,
        fn: Callable[..., Any],
        input_types: Mapping[str, NeuralType] | None,
        output_types: Mapping[str, NeuralType] | None,
    ) -> None:
        self.fn = fn
        self.sig = Signature.of(fn)
        self.display = display_name(fn)
        self.explicit = (input_types, output_types)
        self.lock = threading.RLock()
        self.ports: Ports | None = None
        self.checkers: dict[Ports, CallChecker] = {}
        self.by_class: dict[type, object] = {}
        # per instance with NeMo-style ports: its checker, and the PORTS_STATE token
        # it was read under (a module renews it when an attribute is assigned)
        self.instances: dict[int, tuple[weakref.ref[Any], CallChecker, object]] = {}
        self.fast: set[type] = set()
        # the checker the fast path is generated for: a function's own; for a method,
        # that of the first class it is called on (a Loss adds its output port)
        self.base: CallChecker | None = None
        self.guards: GuardPair | None = None  # the fast path's guards, where it has them
        own = None
        try:
            own = self.checker_of(self.own_ports())  # malformed annotations fail here
        except NameError:
            pass  # an annotation names something not defined yet: read on first call
        self.prefix = "__nt_"
        while any(name.startswith(self.prefix) for name in (*self.sig.names, "fn")):
            self.prefix = "_" + self.prefix
        hooks = {
            "fn": fn,
            "call_unchecked": self.raw,
            "checker_for": self.checker_for,
            "check_outputs": self.outputs,
            "first_class": None,  # the first class of the fast path (tested first)
            "classes": self.fast,  # every class of the fast path
        }
        self.ns: dict[str, Any] = {f"{self.prefix}{k}": v for k, v in hooks.items()}
        if self.sig.receiver is None:
            self.base = own
        self.wrapper = self.generate(self.base)
        functools.update_wrapper(self.wrapper, fn)
        self.wrapper.__neuraltypes__ = self  # type: ignore[attr-defined]

    # -- the generated wrapper ---------------------------------------------------

    def generate(self, checker: CallChecker | None) -> types.FunctionType:
        """A new wrapper: with a fast path for ``checker``, if its ports allow one.
        Its source is registered with ``linecache`` (tracebacks show its lines)."""
        # the function's own name where it is one (tracebacks say "in forward")
        name = self.fn.__name__
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith(self.prefix):
            name = f"{self.prefix}wrapper"
        if checker is not None and guardable(checker) and fast_eligible(checker):
            outputs = [s for s in checker.outputs if s is not None]
            self.guards = GuardPair(checker.inputs, outputs)
        source, entries = wrapper_source(name, self.sig, checker, self.prefix, self.guards)
        self.ns.update(entries)
        filename = f"<neuraltypes wrapper of {self.fn.__module__}.{self.fn.__qualname__}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), self.ns)  # noqa: S102 - see fastpath.py
        new = self.ns.pop(name)
        assert isinstance(new, types.FunctionType)
        return new

    def upgrade(self, checker: CallChecker) -> None:
        """The first checker chosen on a call: give the wrapper its fast path.

        The wrapper was returned at decoration and sits in the class already (and
        wherever users keep it), before its ports could be known: a method's ports
        depend on the class it is called on. So the new code replaces the wrapper's
        ``__code__`` instead of making a new function; both read the same namespace
        (``self.ns``), and the swap happens once per decorated function."""
        if self.base is None:
            self.base = checker
            if fast_eligible(checker):
                self.wrapper.__code__ = self.generate(checker).__code__

    # -- which checker applies ---------------------------------------------------

    def own_ports(self) -> Ports:
        """The ports the function declares: annotations, overridden by
        ``typecheck(input_types=..., output_types=...)``."""
        if self.ports is None:
            inputs, outputs = self.explicit
            found = (
                function_ports(self.fn, self.sig, self.display)
                if inputs is None or outputs is None
                else Ports((), (), None)
            )
            if inputs is not None or outputs is not None:
                given = mapping_ports(inputs, outputs, self.sig, self.display)
                found = Ports(
                    given.inputs if inputs is not None else found.inputs,
                    given.outputs if outputs is not None else found.outputs,
                    given.arity if outputs is not None else found.arity,
                )
            self.ports = found
        return self.ports

    def resolved_ports(self) -> Ports:
        try:
            return self.own_ports()
        except NameError as err:
            raise NeuralTypeError(
                f"{self.display}: can't resolve the annotations ({err})", code=NEURAL_SPEC
            ) from None

    def checker_of(self, ports: Ports) -> CallChecker:
        checker = self.checkers.get(ports)
        if checker is None:
            checker = CallChecker(self.sig, ports, self.fn.__name__, self.display)
            self.checkers[ports] = checker
        return checker

    def checker_for(self, receiver: object) -> CallChecker:
        """The checker of a call on ``receiver`` (None for a plain function)."""
        if self.sig.receiver is None:
            return self.base or self.first_checker()
        cls = type(receiver)
        found = self.by_class.get(cls)
        if found is None:
            with self.lock:
                found = self.by_class[cls] = self.class_checker(cls)
        if found is _PER_INSTANCE:
            return self.instance_checker(receiver)
        return cast(CallChecker, found)

    def first_checker(self) -> CallChecker:
        with self.lock:
            checker = self.checker_of(self.resolved_ports())
            self.upgrade(checker)
            return checker

    def class_checker(self, cls: type) -> object:
        inputs, outputs = self.explicit
        if (inputs is None or outputs is None) and _by_properties(cls):
            return _PER_INSTANCE
        ports = self.resolved_ports()
        defaults = getattr(cls, "_neuraltypes_default_outputs", None)
        if not ports.outputs and defaults and self.fn.__name__ == "forward":
            extra = mapping_ports(None, defaults, self.sig, self.display)
            ports = Ports(ports.inputs, extra.outputs, extra.arity)
        checker = self.checker_of(ports)
        self.upgrade(checker)
        if checker is self.base:
            self.fast.add(cls)
            if self.ns[f"{self.prefix}first_class"] is None:
                self.ns[f"{self.prefix}first_class"] = cls
        return checker

    def instance_checker(self, obj: Any) -> CallChecker:
        """The checker of an instance with NeMo-style ports: read on its first call,
        and again once an attribute of it was assigned (``m.time_major = True``)."""
        entry = self.instances.get(id(obj))
        state = getattr(obj, PORTS_STATE, None)
        if entry is not None and entry[0]() is obj and entry[2] is state:
            return entry[1]
        inputs, outputs = self.explicit
        owner = f"{type(obj).__name__}.{self.fn.__name__}"
        with self.lock:
            ports = mapping_ports(
                inputs if inputs is not None else obj.input_types,
                outputs if outputs is not None else obj.output_types,
                self.sig,
                owner,
            )
            checker = self.checker_of(ports)
            state = getattr(obj, PORTS_STATE, None)  # after the read: a property may assign
            key = id(obj)

            def forget(ref: weakref.ref[Any], key: int = key) -> None:
                if self.instances.get(key, (None,))[0] is ref:
                    del self.instances[key]

            try:
                self.instances[key] = (weakref.ref(obj, forget), checker, state)
            except TypeError:
                pass  # not weak-referenceable: read its ports on every call
        return checker

    # -- calls the fast path hands over ----------------------------------------

    def outputs(
        self,
        mode: int,
        receiver: object,
        values: tuple[Any, ...],
        extra: tuple[Any, ...],
        kw: dict[str, Any],
        result: Any,
    ) -> Any:
        """The outputs of a call the fast path made, where it doubts them: the
        reference checker decides (with the sizes the inputs bind) and tags them."""
        checker = self.checker_for(receiver)
        env = checker.check_inputs(mode, receiver, values, extra, kw)
        return checker.check_outputs(mode, receiver, result, env, (values, extra, kw))

    def raw(
        self, receiver: object, values: tuple[Any, ...], extra: tuple[Any, ...], kw: dict[str, Any]
    ) -> Any:
        """The call as if undecorated (checks off, an argument missing or unknown):
        Python itself reports what is wrong with it."""
        pos: list[Any] = [] if self.sig.receiver is None else [receiver]
        named: dict[str, Any] = {}
        positional = True
        for param, value in zip(self.sig.params, values):
            if value is MISSING:
                if param.kind is not _KINDS.KEYWORD_ONLY:
                    positional = False  # later ones by keyword: Python names what is missing
                continue
            if positional and param.kind is not _KINDS.KEYWORD_ONLY:
                pos.append(value)
            else:
                named[param.name] = value
        pos.extend(extra)
        return self.fn(*pos, **named, **kw)


class typecheck:  # noqa: N801 - NeMo's name, used as a decorator
    """Check a method's (or function's) neural types on every call.

    ::

        class Encoder(NeuralModule):
            @typecheck()
            def forward(self, audio: Spec, length: Lens) -> tuple[Enc, Lens]: ...

    Ports come from ``input_types``/``output_types`` given here, else from the
    class's NeMo-style properties, else from the annotations. Per call it checks
    argument names, required ports, rank, fixed sizes, sizes bound across the call's
    ports, and the element type of every input that carries a ``neural_type`` tag;
    outputs are checked and tagged. Raises :class:`NeuralTypeError`. The checker is
    built once (at decoration, or on the first call if an annotation names something
    defined later); under ``torch.compile`` the checks are skipped.
    """

    def __init__(
        self,
        input_types: Mapping[str, NeuralType] | None = None,
        output_types: Mapping[str, NeuralType] | None = None,
    ) -> None:
        if callable(input_types) and not isinstance(input_types, Mapping):
            raise TypeError("use @typecheck() with parentheses")
        self.input_types = input_types
        self.output_types = output_types

    def __call__(self, fn: F) -> F:
        if not isinstance(fn, types.FunctionType):
            raise TypeError(f"@typecheck() decorates a function, got {type(fn).__name__}")
        return cast(F, _Checked(fn, self.input_types, self.output_types).wrapper)

    # -- switches: per thread and task (contextvars), nestable -------------------

    @staticmethod
    def disable_checks() -> switches.Switch:
        """No checks in a block (``with``) or a function (decorator); the previous
        state comes back afterwards."""
        return switches.Switch(switches.CHECKS_BIT, False)

    @staticmethod
    def enable_checks() -> switches.Switch:
        """Checks in a block or function, whatever the global switch says."""
        return switches.Switch(switches.CHECKS_BIT, True)

    @staticmethod
    def disable_semantic_checks() -> switches.Switch:
        """No element-type checks in a block or function (shapes are still checked
        and outputs still tagged)."""
        return switches.Switch(switches.SEMANTIC_BIT, False)

    @staticmethod
    def enable_semantic_checks() -> switches.Switch:
        """Element-type checks in a block or function, whatever the global switch says."""
        return switches.Switch(switches.SEMANTIC_BIT, True)

    @staticmethod
    def set_typecheck_enabled(enabled: bool = True) -> None:
        """The global default for all checks, in every thread (scoped switches
        override it inside their blocks)."""
        switches.set_global(switches.CHECKS_BIT, enabled)

    @staticmethod
    def set_semantic_check_enabled(enabled: bool = True) -> None:
        """The global default for element-type checks, in every thread."""
        switches.set_global(switches.SEMANTIC_BIT, enabled)

    @staticmethod
    def is_enabled() -> bool:
        """Whether checks run here and now."""
        return switches.current_mode() != switches.OFF

    @staticmethod
    def is_semantic_enabled() -> bool:
        """Whether element types are checked here and now."""
        return switches.current_mode() == switches.FULL


def ports_of(fn: object) -> Ports | None:
    """The ports a function declares (its annotations, or typecheck's overrides),
    or None for a function without neural annotations that ``@typecheck()`` did
    not decorate and that has none."""
    state = getattr(fn, "__neuraltypes__", None)
    if isinstance(state, _Checked):
        return state.resolved_ports()
    if isinstance(fn, types.FunctionType):
        return function_ports(fn, Signature.of(fn), display_name(fn))
    return None
