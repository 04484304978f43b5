"""The reference checker of one call: every rule comes from the core.

``check_connection`` for tagged values, ``plan_ports``/``check_shape`` for shapes
and size bindings, ``swapped_with`` for swapped arguments (:mod:`.swaps`),
``render_mismatches``/``where_port``/``where_return`` for the wording. It handles
every port form (nested lists, variadic axes, expressions, ``**kwargs`` ports) and
raises every error; the generated fast path (:mod:`.fastpath`) only accepts calls,
and hands anything else to this checker.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Sequence
from typing import Any, Final, NoReturn

import torch
from torch.fx import Proxy

from .._core import (
    NEURAL_ELEMENT,
    NEURAL_PORT,
    NEURAL_SPEC,
    Mismatch,
    NeuralType,
    NeuralTypeError,
    PortShape,
    ShapeSpecError,
    check_connection,
    check_shape,
    plan_ports,
    render_mismatches,
    where_port,
    where_return,
)
from .._core.dtypes import dtype_problem
from .ports import Port, Ports, PortType, Signature
from .swaps import swap_hint_at
from .switches import FULL

__all__ = ["MISSING", "CallChecker", "PortState", "declared", "found_text"]

Env = dict[str, tuple[object, str]]
#: a call's arguments: the named parameters' values, ``*args``, ``**kwargs``
Args = tuple[Sequence[Any], tuple[Any, ...], dict[str, Any]]
_compiling = torch.compiler.is_compiling
#: whether ``torch.jit.trace`` is recording (the checks read shapes, which a trace
#: would record; checks are skipped while tracing, as under ``torch.compile``)
tracing = torch._C._get_tracing_state
_Tensor: Final = torch.Tensor
_EMPTY: Final[Any] = inspect.Parameter.empty


class _Tracing(Exception):
    """Symbolic values (``torch.fx`` tracing): there is nothing to check."""


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


#: verdicts kept per port (distinct tags seen at one port; far more than a model makes)
VERDICTS_KEPT: Final = 64

#: the default the wrapper gives a required parameter, to tell "not passed" apart
MISSING: Final[Any] = _Missing()


class PortState:
    """One port, precomputed: its shape plan and its tag caches.

    ``accepted`` is the last tag accepted here (at first the port's own type): the
    fast path compares a tag with it by identity, and asks the reference checker
    only about another one. ``verdicts`` keeps the core's verdict per tag *value*
    (equal tags share one entry), at most :data:`VERDICTS_KEPT` of them: a program
    that makes ever new tags does not make the cache grow.
    """

    __slots__ = ("port", "plan", "accepted", "verdicts", "output")

    def __init__(self, port: Port, plan: PortShape | None, output: bool) -> None:
        self.port = port
        self.plan = plan
        self.output = output
        self.accepted: NeuralType = port.type.leaf
        self.verdicts: dict[NeuralType, tuple[Mismatch, ...]] = {}

    def verdict(self, tag: NeuralType) -> tuple[Mismatch, ...]:
        found = self.verdicts.get(tag)
        if found is None:
            if len(self.verdicts) >= VERDICTS_KEPT:
                self.verdicts.clear()  # rare (many distinct tags at one port): start over
            found = self.verdicts[tag] = check_connection(tag, self.port.type.leaf)
        return found

    def where(self, owner: str, path: str) -> str:
        return where_return(owner, path) if self.output else where_port(owner, path)


def declared(port: Port) -> str:
    """``"B D T" SpectrogramType``, or ``list of "B D T" SpectrogramType``."""
    return "list of " * port.type.depth + port.type.leaf.describe()


def found_text(value: torch.Tensor, tag: object, dtype: bool = False) -> str:
    """How a message shows a tensor: its tag and shape, never its values."""
    described = tag.describe() if isinstance(tag, NeuralType) else None
    if value.is_nested:  # (it has no .shape)
        text = f"{described}, a nested tensor" if described else "a nested tensor"
    else:
        shape = tuple(value.shape)
        text = f"{described}, shape {shape}" if described else f"a tensor of shape {shape}"
    return f"{text}, dtype {str(value.dtype).removeprefix('torch.')}" if dtype else text


class CallChecker:
    """Checks the inputs and outputs of calls to one function against its ports.

    Built once per port set (per class, or per instance for NeMo-style ports that
    depend on it); the owner's name is given per call, so classes that share a
    function and its ports share one checker and its caches.
    """

    def __init__(self, sig: Signature, ports: Ports, name: str, display: str) -> None:
        """``name``: the function's name (``forward``); ``display``: how messages name
        it when it is not called on an instance (``pad``, ``Encoder.forward``)."""
        self.sig = sig
        self.name = name
        self.display = display
        owner = display
        self.ports = ports
        self.param_names = frozenset(sig.names)
        shaped = [
            (p.name, p.type.leaf.axes)
            for p in (*ports.inputs, *ports.output_ports)
            if p.type.leaf.axes is not None
        ]
        try:
            plans = iter(plan_ports(owner, shaped))
        except ShapeSpecError as err:
            raise NeuralTypeError(str(err), code=NEURAL_SPEC) from None

        def state(port: Port, output: bool) -> PortState:
            return PortState(
                port, next(plans) if port.type.leaf.axes is not None else None, output
            )

        self.inputs = tuple(state(p, False) for p in ports.inputs)
        by_name = {p.name: state(p, True) for p in ports.output_ports}
        self.outputs = tuple(None if p is None else by_name[p.name] for p in ports.outputs)
        self.required = tuple((i, p.name) for i, p in enumerate(sig.params) if p.default is _EMPTY)

    def owner(self, receiver: object) -> str:
        """``Decoder.forward``: the class of the instance the call is on, and the method."""
        if receiver is None:
            return self.display
        cls = receiver if isinstance(receiver, type) else type(receiver)
        return f"{cls.__name__}.{self.name}"

    # -- inputs -------------------------------------------------------------------

    def check_inputs(
        self,
        mode: int,
        receiver: object,
        values: Sequence[Any],
        extra: tuple[Any, ...],
        kw: dict[str, Any],
    ) -> Env | None:
        """Check the arguments of one call; returns the sizes bound by them, or None
        while tracing (``torch.export``, ``torch.fx``, ``torch.jit.trace``), when
        nothing is checked."""
        if _compiling() or tracing():
            return None
        try:
            return self._inputs(mode, receiver, values, extra, kw)
        except _Tracing:
            return None

    def _inputs(
        self,
        mode: int,
        receiver: object,
        values: Sequence[Any],
        extra: tuple[Any, ...],
        kw: dict[str, Any],
    ) -> Env:
        if extra and self.sig.var_pos is None:
            self._too_many(self.owner(receiver), len(extra))
        if kw and self.sig.var_kw is None:
            self._unknown(self.owner(receiver), kw)
        env: Env = {}
        for state in self.inputs:
            port = state.port
            value = values[port.index] if port.index is not None else kw.get(port.name, MISSING)
            if value is MISSING or value is None:
                if port.optional:
                    continue
                what = "missing" if value is MISSING else "None"
                raise NeuralTypeError(
                    f"{state.where(self.owner(receiver), port.name)}: required port is {what} "
                    f"(expected {declared(port)})",
                    code=NEURAL_PORT,
                )
            self._value(state, value, env, mode, receiver, port.name, 0, call=(values, kw))
        for index, name in self.required:
            if values[index] is MISSING:
                owner = self.owner(receiver)
                raise NeuralTypeError(f'{owner}: missing argument "{name}"', code=NEURAL_PORT)
        return env

    def _too_many(self, owner: str, extra: int) -> None:
        names = [p.name for p in self.sig.params if p.kind <= 1]
        raise NeuralTypeError(
            f"{owner}: takes {len(names)} positional argument{'s' * (len(names) != 1)} "
            f"({', '.join(names) or 'none'}), got {len(names) + extra}",
            code=NEURAL_PORT,
        )

    def _unknown(self, owner: str, kw: dict[str, Any]) -> None:
        key = next(iter(kw))
        if key in self.param_names:
            raise NeuralTypeError(
                f'{owner}: argument "{key}" is positional-only', code=NEURAL_PORT
            )
        names = self.sig.names
        text = f'{owner}: unknown argument "{key}"; the arguments are {", ".join(names) or "none"}'
        close = difflib.get_close_matches(key, names, n=1)
        if close:
            text += f'; did you mean "{close[0]}"?'
        raise NeuralTypeError(text, code=NEURAL_PORT)

    # -- outputs ------------------------------------------------------------------

    def check_outputs(
        self, mode: int, receiver: object, result: Any, env: Env | None, args: Args
    ) -> Any:
        """Check what one call returned (``args``: its arguments), and return it
        tagged. An output that is one of the arguments (``nn.Identity``, dropout in
        eval mode, ``.float()`` of a float tensor) is the caller's own tensor: it is
        checked against the output port's shape, not its tag (the function's
        declaration relabels it), and returned as a new view of the same data, so
        that the caller's tensor keeps its tag (see :func:`_tagged`)."""
        if not self.ports.outputs or env is None:
            return result
        arity = self.ports.arity
        values: Sequence[Any] = (result,)
        if arity is not None:
            if not isinstance(result, (tuple, list)) or len(result) != arity:
                got = (
                    f"{len(result)} values"
                    if isinstance(result, (tuple, list))
                    else f"one value ({type(result).__name__})"
                )
                names = ", ".join(f"{p.name}" for p in self.ports.output_ports)
                raise NeuralTypeError(
                    f"{where_return(self.owner(receiver))}: returned {got}, expected {arity} "
                    f"({names})",
                    code=NEURAL_PORT,
                )
            values = result
        given = _tensor_ids(args)
        for state, value in zip(self.outputs, values):
            if state is None:
                continue
            if value is None:
                if state.port.optional:
                    continue
                raise NeuralTypeError(
                    f"{state.where(self.owner(receiver), state.port.name)}: expected a tensor "
                    f"({declared(state.port)}), got None",
                    code=NEURAL_PORT,
                )
            self._value(state, value, env, mode, receiver, state.port.name, 0, given)
        tagged = [
            value if state is None or value is None else _tagged(value, state.port.type, given)
            for state, value in zip(self.outputs, values)
        ]
        if arity is None:
            return tagged[0]
        if all(new is old for new, old in zip(tagged, values)):
            return result
        return _rebuilt(result, tagged)

    # -- one value ----------------------------------------------------------------

    def _value(
        self,
        state: PortState,
        value: Any,
        env: Env,
        mode: int,
        receiver: object,
        path: str,
        level: int,
        given: frozenset[int] = frozenset(),
        call: tuple[Sequence[Any], dict[str, Any]] | None = None,
    ) -> None:
        """Check one value at a port (``given``: the ids of the call's arguments; an
        output that is one of them is not tag-checked; ``call``: the call's named
        and keyword arguments, for an input, to tell swapped arguments)."""
        ptype = state.port.type
        if level < ptype.depth:
            if not isinstance(value, (list, tuple)):
                rest = "lists of " * (ptype.depth - level - 1)
                got = type(value).__name__
                self._port_error(state, receiver, path, f"expected a list of {rest}tensors ", got)
            for i, item in enumerate(value):
                self._value(state, item, env, mode, receiver, f"{path}[{i}]", level + 1, given)
            return
        if not isinstance(value, _Tensor):
            if isinstance(value, Proxy):
                raise _Tracing
            self._port_error(state, receiver, path, "expected a tensor ", type(value).__name__)
        if state.plan is not None and value.is_nested:
            got = "a nested tensor (it has no one shape to check)"
            self._port_error(state, receiver, path, "expected a tensor ", got)
        tag = getattr(value, "neural_type", None)
        if (
            mode == FULL
            and isinstance(tag, NeuralType)
            and tag is not state.accepted
            and id(value) not in given
        ):
            mismatches = state.verdict(tag)
            if mismatches:
                found = found_text(value, tag)
                shown = [
                    Mismatch(m.code, m.problem, m.expected, found, m.hint) for m in mismatches
                ]
                hint = None if call is None else swap_hint_at(self.inputs, state, tag, *call)
                self._raise(state, receiver, path, shown, hint)
            state.accepted = tag
        if ptype.dtypes is not None and value.dtype not in ptype.dtypes:
            dtype = str(value.dtype).removeprefix("torch.")
            problem = dtype_problem(dtype, str(ptype.dtype_label))
            found = found_text(value, tag, dtype=True)
            self._raise(state, receiver, path, [Mismatch(NEURAL_ELEMENT, problem, "", found)])
        if state.plan is not None:
            shape_problem = check_shape(state.plan, value.shape, env)
            if shape_problem is not None:
                code, problem = shape_problem.code, shape_problem.problem
                found = found_text(value, tag)
                self._raise(state, receiver, path, [Mismatch(code, problem, "", found)])

    def _port_error(
        self, state: PortState, receiver: object, path: str, wanted: str, got: str
    ) -> NoReturn:
        where = state.where(self.owner(receiver), path)
        described = state.port.type.leaf.describe()
        raise NeuralTypeError(f"{where}: {wanted}({described}), got {got}", code=NEURAL_PORT)

    def _raise(
        self,
        state: PortState,
        receiver: object,
        path: str,
        mismatches: list[Mismatch],
        hint: str | None = None,
    ) -> NoReturn:
        """Raise the mismatches as the core words them: one message (``hint``: about
        the whole call, such as swapped arguments)."""
        expected = state.port.type.leaf.describe()
        shown = [
            Mismatch(m.code, m.problem, m.expected or expected, m.found, m.hint)
            for m in mismatches
        ]
        where = state.where(self.owner(receiver), path)
        raise NeuralTypeError(render_mismatches(where, shown, hint), shown)


def _tensor_ids(args: Args) -> frozenset[int]:
    """The ids of the tensors among a call's arguments (in lists, tuples and dicts too)."""
    values, extra, kw = args
    found: set[int] = set()
    pending: list[Any] = [*values, *extra, *kw.values()]
    while pending:
        value = pending.pop()
        if isinstance(value, _Tensor):
            found.add(id(value))
        elif isinstance(value, (list, tuple)):
            pending.extend(value)
        elif isinstance(value, dict):
            pending.extend(value.values())
    return frozenset(found)


def _tagged(value: Any, ptype: PortType, given: frozenset[int], level: int = 0) -> Any:
    """``value`` (a checked output) tagged with the port's type. An argument of the
    call is relabelled on a new view (``x.view_as(x)``: same data, same autograd
    history), unless it already carries exactly that type; a tensor that has no
    views (sparse) is returned untagged. A list holding an argument is a new list."""
    if level < ptype.depth:
        items = [_tagged(item, ptype, given, level + 1) for item in value]
        if all(new is old for new, old in zip(items, value)):
            return value
        return tuple(items) if isinstance(value, tuple) else items
    if id(value) in given:
        if value.__dict__.get("neural_type") is ptype.leaf:
            return value
        try:
            value = value.view_as(value)
        except RuntimeError:
            return value
    value.neural_type = ptype.leaf
    return value


def _rebuilt(result: tuple[Any, ...] | list[Any], values: list[Any]) -> Any:
    """A returned tuple (a named tuple too) or list, with new values."""
    if type(result) is tuple or type(result) is list:
        return type(result)(values)
    return getattr(type(result), "_make", type(result))(values)
