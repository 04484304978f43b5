"""The wrapper ``@typecheck()`` returns, generated once per decorated function.

Why generated: the wrapper takes exactly the decorated function's parameters (so
Python binds positional and keyword arguments in C, with no ``*args``/``**kwargs``
repacking), and the common case (plain tensor ports, simple axes) is checked by
straight-line code with every index and size a constant. That is what keeps a
checked call within about a microsecond of a plain one.

The generated code is built from the checker's data only: parameter names (Python
identifiers, from the function's own signature), integer dims, ranks and sizes.
Everything else (port types, dtypes, defaults, the rules) is passed in the
namespace, never written into the source; axis strings are never part of it.

Every call's inputs are tested *before* the call: a call with a wrong input never
runs the function. The fast path only *accepts*: each test is a condition under
which the core's rule (``check_shape``, ``check_connection`` via the tag cache)
accepts too, and any doubt leaves the call to the reference checker
(:mod:`.checker`), which decides and words every error. The source has four
parts, each named for what it tests:

``checks off``
    the plain call (or, with an argument missing or unknown, the call as if
    undecorated, for Python to word the error);
``fast path applies``
    a class the fast path was made for, no extra arguments, not tracing, and each
    input's tag none or the one its port accepted last;
``input shapes``
    where every port is a required tensor, the guard of the inputs (:mod:`.guards`),
    else (or when it rejects) ``inputs_fit``, generated Python tests that return
    the sizes the inputs bind (``B``), or None;
``outputs``
    after the call: the declared number of values; an input handed back goes to
    the reference checker (it is relabelled on a new view, see
    :meth:`.CallChecker.check_outputs`) unless it already has the output's type;
    the guard of the outputs (only after the inputs' guard accepted: both come
    from one call, so they agree on ``B``), else ``outputs_fit``; then each
    output's tag. Outputs the Python tests accepted make new guards.

Generated for ``forward(self, x: Annotated[Tensor, "B D T", SpectrogramType]) ->
Annotated[Tensor, "B", LengthsType]`` (tests/runtime/golden/example_forward.txt,
which a test compares with what is generated, and with this text)::

    def forward(self, x=__nt_MISSING, *__nt_extra, **__nt_kw):
        if __nt_compiling() or not (__nt_mode := __nt_modes()[__nt_global_bits[0]]):
            # checks off (or torch.compile is tracing): the plain call
            if __nt_extra or __nt_kw or x is __nt_MISSING:
                # an argument missing or unknown: the call as if undecorated
                return __nt_call_unchecked(self, (x,), __nt_extra, __nt_kw)
            return __nt_fn(self, x)
        # the fast path applies: a class it was made for, no extra arguments,
        # each input's tag none or the one its port accepted last
        if (
            (type(self) is __nt_first_class or type(self) in __nt_classes)
            and not __nt_extra
            and not __nt_kw
            and ((__nt_tag := getattr(x, 'neural_type', None)) is __nt_in_port0.accepted
                or __nt_tag is None or __nt_mode != __nt_FULL)
        ):
            # input shapes, before the call (the Python tests read shapes, which
            # torch.jit.trace would record: the reference skips checks while it traces)
            __nt_in_guard, __nt_out_guard, __nt_sizes = __nt_guards[0]
            try:
                __nt_guarded = not x.is_nested and __nt_in_guard(x)
            except AttributeError:  # an input that is not a tensor
                __nt_guarded = False
            if __nt_guarded or (
                not __nt_tracing() and (__nt_sizes := __nt_inputs_fit(x)) is not None
            ):
                __nt_returned = __nt_fn(self, x)
                __nt_out0 = __nt_returned
                # an input handed back: relabelled on a view (by the reference checker),
                # unless it already carries the output's type
                if (
                    __nt_out0 is x
                    and getattr(__nt_out0, 'neural_type', None) is not __nt_out_type0
                ):
                    return __nt_check_outputs(
                        __nt_mode, self, (x,), __nt_extra, __nt_kw, __nt_returned
                    )
                # output shapes: their guard, if the inputs' guard accepted
                try:
                    __nt_guarded = (
                        __nt_guarded
                        and not __nt_out0.is_nested
                        and __nt_out_guard(__nt_out0)
                    )
                except AttributeError:  # an output that is not a tensor
                    __nt_guarded = False
                if not __nt_guarded:
                    if __nt_tracing() or not __nt_outputs_fit(__nt_sizes, __nt_out0):
                        return __nt_check_outputs(
                            __nt_mode, self, (x,), __nt_extra, __nt_kw, __nt_returned
                        )
                    # guards made from this call, for the next ones
                    __nt_renew((x,), (__nt_out0,), __nt_sizes)
                # output tags
                __nt_tag = __nt_out0.__dict__.setdefault('neural_type', __nt_out_type0)
                if __nt_tag is not __nt_out_type0:
                    if (
                        __nt_tag is not __nt_out_port0.accepted
                        and __nt_tag is not None
                        and __nt_mode == __nt_FULL
                    ):
                        return __nt_check_outputs(
                            __nt_mode, self, (x,), __nt_extra, __nt_kw, __nt_returned
                        )
                    __nt_out0.neural_type = __nt_out_type0
                return __nt_returned
        # the reference checker: every other call (and the first of each class)
        __nt_checker = __nt_checker_for(self)
        __nt_sizes = __nt_checker.check_inputs(__nt_mode, self, (x,), __nt_extra, __nt_kw)
        __nt_returned = __nt_fn(self, x)
        __nt_arguments = ((x,), __nt_extra, __nt_kw)
        return __nt_checker.check_outputs(
            __nt_mode, self, __nt_returned, __nt_sizes, __nt_arguments
        )

    def __nt_inputs_fit(x):
        # the sizes the inputs bind, or None where one does not fit its port
        if not isinstance(x, __nt_Tensor) or x.is_nested: return None
        try: __nt_dim0, __nt_free, __nt_free = x.shape
        except ValueError: return None
        __nt_size0 = __nt_dim0
        return (__nt_size0,)

    def __nt_outputs_fit(__nt_sizes, __nt_out0):
        # whether the outputs fit their ports, with the sizes the inputs bound
        __nt_size0, = __nt_sizes
        if not isinstance(__nt_out0, __nt_Tensor) or __nt_out0.is_nested: return False
        try: __nt_dim0, = __nt_out0.shape
        except ValueError: return False
        if __nt_dim0 != __nt_size0: return False
        return True
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any

import torch

from . import switches
from .checker import MISSING, CallChecker, PortState, tracing
from .guards import AVAILABLE, GuardPair
from .ports import Signature

__all__ = ["fast_eligible", "guardable", "wrapper_source"]

_KINDS = inspect.Parameter

#: what every generated wrapper reads besides its own function's data
_SHARED: dict[str, Any] = {
    "MISSING": MISSING,
    "compiling": torch.compiler.is_dynamo_compiling,
    "modes": switches.SCOPE.get,
    "global_bits": switches.GLOBAL,
    "tracing": tracing,
    "FULL": switches.FULL,
    "Tensor": torch.Tensor,
}


def _simple(state: PortState) -> bool:
    plan = state.plan
    if state.port.type.depth or (state.port.index is None and not state.output):
        return False
    if plan is None:
        return True
    return (
        plan.variadic is None
        and not plan.exprs
        and not any(b for _, _, b in plan.fixed)
        and not any(b for _, _, b in plan.binds)
    )


def fast_eligible(checker: CallChecker) -> bool:
    """Whether every port of ``checker`` can be accepted by straight-line code."""
    states = [*checker.inputs, *(s for s in checker.outputs if s is not None)]
    return all(_simple(s) for s in states)


def guardable(checker: CallChecker) -> bool:
    """Whether the fast path can test its tensors with guards: every port a
    required tensor with axes (a guard pins the rank)."""
    states = [*checker.inputs, *(s for s in checker.outputs if s is not None)]
    return AVAILABLE and all(s.plan is not None and not s.port.optional for s in states)


def _tuple(names: list[str]) -> str:
    return f"({', '.join(names)}{',' if len(names) == 1 else ''})"


#: the longest line the generated code is wrapped to (the docstring's example fits)
WIDTH = 90


@dataclass
class _Source:
    """Lines of generated source, and the namespace entries they read."""

    p: str  # the prefix of every name the code adds (``__nt_``)
    lines: list[str] = field(default_factory=list)
    ns: dict[str, Any] = field(default_factory=dict)
    sizes: dict[str, str] = field(default_factory=dict)  # binding key -> local
    maybe: set[str] = field(default_factory=set)  # sizes only an Optional port bound yet
    unbound: list[str] = field(default_factory=list)  # such sizes, first bound here

    def add(self, depth: int, text: str) -> None:
        """``text`` (one or more lines) at ``depth`` levels of indentation."""
        self.lines += ["    " * depth + line for line in text.split("\n")]

    def when(self, depth: int, conditions: list[str], then: str | None = None) -> None:
        """``if a and b:``, one condition a line where that is too long (a
        condition may span lines itself), then ``then`` one level deeper."""
        self.add(depth, f"if {self.all_of(depth, conditions)}:")
        if then is not None:
            self.add(depth + 1, then)

    def all_of(self, depth: int, conditions: list[str]) -> str:
        """``a and b``, or ``(a\n and b\n)`` where that is too long."""
        one = " and ".join(conditions)
        if len(conditions) == 1 or ("\n" not in one and 4 * depth + len(one) < WIDTH - 4):
            return one
        parts = [c.replace("\n", "\n    ") for c in conditions]
        return "(\n    " + "\n    and ".join(parts) + "\n)"

    def name(self, key: str, value: object) -> str:
        """The namespace name ``{p}key``, holding ``value``."""
        self.ns[self.p + key] = value
        return self.p + key


@dataclass(frozen=True)
class _Call:
    """How the wrapper spells one call: its signature, the call of the function,
    and the arguments handed to the checker."""

    params: str  # the wrapper's parameter list
    call: str  # the function called with the wrapper's arguments
    receiver: str  # ``self``, or None for a plain function
    values: str  # the named parameters' values, as a tuple
    extra: str  # the ``*args`` tuple (the function's, or the wrapper's own)
    kw: str  # the ``**kwargs`` dict (likewise)
    ours: tuple[str, ...]  # ``*args``/``**kwargs`` the function does not take
    required: tuple[str, ...]  # parameters without a default

    @property
    def rest(self) -> str:
        """The call's arguments as the checker takes them."""
        return f"{self.receiver}, {self.values}, {self.extra}, {self.kw}"


def _spell(sig: Signature, src: _Source) -> _Call:
    p, params = src.p, list(sig.params)
    parts: list[str] = [sig.receiver] if sig.receiver else []
    star = f"*{sig.var_pos}" if sig.var_pos else f"*{p}extra"
    for i, param in enumerate(params):
        if param.kind is _KINDS.KEYWORD_ONLY and star not in parts:
            parts.append(star)
        if param.default is _KINDS.empty:
            parts.append(f"{param.name}={p}MISSING")
        else:
            parts.append(f"{param.name}={src.name(f'default{i}', param.default)}")
        if param.kind is _KINDS.POSITIONAL_ONLY and (
            i + 1 == len(params) or params[i + 1].kind is not _KINDS.POSITIONAL_ONLY
        ):
            parts.append("/")
    if star not in parts:
        parts.append(star)
    parts.append(f"**{sig.var_kw}" if sig.var_kw else f"**{p}kw")
    args = [sig.receiver] if sig.receiver else []
    args += [q.name for q in params if q.kind is not _KINDS.KEYWORD_ONLY]
    if sig.var_pos:
        args.append(f"*{sig.var_pos}")
    args += [f"{q.name}={q.name}" for q in params if q.kind is _KINDS.KEYWORD_ONLY]
    if sig.var_kw:
        args.append(f"**{sig.var_kw}")
    extra, kw = sig.var_pos or f"{p}extra", sig.var_kw or f"{p}kw"
    return _Call(
        params=", ".join(parts),
        call=f"{p}fn({', '.join(args)})",
        receiver=sig.receiver or "None",
        values=_tuple([q.name for q in params]),
        extra=extra,
        kw=kw,
        ours=tuple(v for v, real in ((extra, sig.var_pos), (kw, sig.var_kw)) if not real),
        required=tuple(q.name for q in params if q.default is _KINDS.empty),
    )


def wrapper_source(
    name: str,
    sig: Signature,
    checker: CallChecker | None,
    prefix: str,
    guards: GuardPair | None = None,
) -> tuple[str, dict[str, Any]]:
    """The source of the wrapper (and of its helpers ``inputs_fit``/``outputs_fit``)
    and the namespace entries it reads.

    With ``checker`` None (ports not known yet), or ports the fast path can't test,
    every checked call goes to the reference checker. ``guards`` is the
    :class:`.GuardPair` of a checker whose ports are :func:`guardable` (None:
    Python tests only).
    """
    src = _Source(prefix)
    p = prefix
    for key, value in _SHARED.items():
        src.name(key, value)
    call = _spell(sig, src)
    fast = checker is not None and fast_eligible(checker)
    src.add(0, f"def {name}({call.params}):")
    _checks_off(src, call)
    if checker is not None and fast:
        _fast_path(src, sig, call, checker, guards)
    src.add(1, "# the reference checker: every other call (and the first of each class)")
    src.add(1, f"{p}checker = {p}checker_for({call.receiver})")
    src.add(1, f"{p}sizes = {p}checker.check_inputs({p}mode, {call.rest})")
    src.add(1, f"{p}returned = {call.call}")
    src.add(1, f"{p}arguments = ({call.values}, {call.extra}, {call.kw})")
    outputs = f"{p}mode, {call.receiver}, {p}returned, {p}sizes, {p}arguments"
    src.add(1, f"return {p}checker.check_outputs(\n    {outputs}\n)")
    if checker is not None and fast:
        _fit_helpers(src, sig, checker)
    return "\n".join(src.lines) + "\n", src.ns


def _checks_off(src: _Source, call: _Call) -> None:
    p = src.p
    src.add(1, f"if {p}compiling() or not ({p}mode := {p}modes()[{p}global_bits[0]]):")
    src.add(2, "# checks off (or torch.compile is tracing): the plain call")
    doubts = [*call.ours, *(f"{q} is {p}MISSING" for q in call.required)]
    if doubts:
        src.add(2, f"if {' or '.join(doubts)}:")
        src.add(3, "# an argument missing or unknown: the call as if undecorated")
        src.add(3, f"return {p}call_unchecked({call.rest})")
    src.add(2, f"return {call.call}")


def _fast_path(
    src: _Source, sig: Signature, call: _Call, checker: CallChecker, guards: GuardPair | None
) -> None:
    p = src.p
    inputs = [sig.params[s.port.index].name for s in checker.inputs if s.port.index is not None]
    applies = [f"(type({sig.receiver}) is {p}first_class or type({sig.receiver}) in {p}classes)"]
    applies = applies if sig.receiver else []
    applies += [f"not {call.extra}", f"not {call.kw}"]
    ported = {s.port.index for s in checker.inputs}
    applies += [  # a required parameter that is not a port: the reference words its absence
        f"{q.name} is not {p}MISSING"
        for i, q in enumerate(sig.params)
        if q.default is _KINDS.empty and i not in ported
    ]
    for i, (state, var) in enumerate(zip(checker.inputs, inputs)):
        accepted = f"{src.name(f'in_port{i}', state)}.accepted"
        tag = f"({p}tag := getattr({var}, 'neural_type', None))"
        applies.append(f"({tag} is {accepted}\n    or {p}tag is None or {p}mode != {p}FULL)")
    src.add(1, "# the fast path applies: a class it was made for, no extra arguments,")
    src.add(1, "# each input's tag none or the one its port accepted last")
    src.when(1, applies)
    src.add(2, "# input shapes, before the call (the Python tests read shapes, which")
    src.add(2, "# torch.jit.trace would record: the reference skips checks while it traces)")
    fit = f"not {p}tracing() and ({p}sizes := {p}inputs_fit({', '.join(inputs)})) is not None"
    if guards is not None:
        src.name("guards", guards.pair)
        src.add(2, f"{p}in_guard, {p}out_guard, {p}sizes = {p}guards[0]")
        _guarded(src, 2, f"{p}in_guard", inputs, "an input")
        src.add(2, f"if {p}guarded or (\n    {fit}\n):")
    else:
        src.when(2, [fit])
    src.add(3, f"{p}returned = {call.call}")
    _outputs(src, sig, call, checker, inputs, guards)


def _guarded(src: _Source, depth: int, guard: str, names: list[str], what: str) -> None:
    """``guarded = guard(*names)``, after testing that none is a nested tensor (the
    guard would abort the process on a strided one: see :mod:`.guards`); an object
    without ``is_nested`` is no tensor, and the guard would reject it."""
    p = src.p
    nested = " or ".join(f"{v}.is_nested" for v in names)
    nested = f"({nested})" if len(names) > 1 else nested
    tests = [f"not {nested}"] if names else []  # (a function with no input port)
    tests.append(f"{guard}({', '.join(names)})")
    if what == "an output":
        tests.insert(0, f"{p}guarded")
    src.add(depth, "try:")
    src.add(depth + 1, f"{p}guarded = {src.all_of(depth + 1, tests)}")
    src.add(depth, f"except AttributeError:  # {what} that is not a tensor")
    src.add(depth + 1, f"{p}guarded = False")


def _outputs(
    src: _Source,
    sig: Signature,
    call: _Call,
    checker: CallChecker,
    inputs: list[str],
    guards: GuardPair | None,
) -> None:
    p = src.p
    fail = f"return {p}check_outputs(\n    {p}mode, {call.rest}, {p}returned\n)"
    outs = [f"{p}out{j}" if s is not None else f"{p}free" for j, s in enumerate(checker.outputs)]
    ported = [(v, s) for v, s in zip(outs, checker.outputs) if s is not None]
    if not ported:
        src.add(3, f"return {p}returned")
        return
    if checker.ports.arity is None:
        src.add(3, f"{outs[0]} = {p}returned")
    else:
        src.add(3, "# outputs: a tuple of as many as declared")
        src.when(3, [f"not isinstance({p}returned, tuple)"], fail)
        src.add(3, f"try: {', '.join(outs)}{',' * (len(outs) == 1)} = {p}returned")
        src.add(3, "except ValueError:")
        src.add(4, fail)
    src.add(3, "# an input handed back: relabelled on a view (by the reference checker),")
    src.add(3, "# unless it already carries the output's type")
    params = [q.name for q in sig.params]
    for j, (var, state) in enumerate(ported):
        out_type = src.name(f"out_type{j}", state.port.type.leaf)
        if params:
            handed = " or ".join(f"{var} is {q}" for q in params)
            handed = f"({handed})" if len(params) > 1 else handed
            tag = f"getattr({var}, 'neural_type', None) is not {out_type}"
            src.when(3, [handed, tag], fail)
    names = [v for v, _ in ported]
    fits = f"{p}outputs_fit({p}sizes, {', '.join(names)})"
    if guards is not None:
        src.add(3, "# output shapes: their guard, if the inputs' guard accepted")
        _guarded(src, 3, f"{p}out_guard", names, "an output")
        src.add(3, f"if not {p}guarded:")
        src.when(4, [f"{p}tracing() or not {fits}"], fail)
        src.name("renew", guards.renew)
        src.add(4, "# guards made from this call, for the next ones")
        src.add(4, f"{p}renew({_tuple(inputs)}, {_tuple(names)}, {p}sizes)")
    else:
        src.add(3, "# output shapes")
        src.when(3, [f"{p}tracing() or not {fits}"], fail)
    _output_tags(src, ported, fail)
    src.add(3, f"return {p}returned")


def _output_tags(src: _Source, ported: list[tuple[str, PortState]], fail: str) -> None:
    """Each output tagged with its port's type: a new tensor in one step (it has no
    tag yet); one tagged by an inner module keeps a tag its port accepted last."""
    p = src.p
    src.add(3, "# output tags")
    for j, (var, state) in enumerate(ported):
        depth = 3
        if state.port.optional:
            src.add(depth, f"if {var} is not None:")
            depth += 1
        out_type, out_port = f"{p}out_type{j}", src.name(f"out_port{j}", state)
        src.add(depth, f"{p}tag = {var}.__dict__.setdefault('neural_type', {out_type})")
        src.add(depth, f"if {p}tag is not {out_type}:")
        doubt = [f"{p}tag is not {out_port}.accepted", f"{p}tag is not None"]
        src.when(depth + 1, [*doubt, f"{p}mode == {p}FULL"], fail)
        src.add(depth + 1, f"{var}.neural_type = {out_type}")


def _fit_helpers(src: _Source, sig: Signature, checker: CallChecker) -> None:
    """``inputs_fit(inputs)``: the sizes the inputs bind, or None where one does
    not fit its port; ``outputs_fit(sizes, outputs)``: whether the outputs fit."""
    p = src.p
    inputs = [
        (sig.params[s.port.index].name, s) for s in checker.inputs if s.port.index is not None
    ]
    outputs = [(f"{p}out{j}", s) for j, s in enumerate(checker.outputs) if s is not None]
    src.add(0, "")
    src.add(0, f"def {p}inputs_fit({', '.join(v for v, _ in inputs)}):")
    src.add(1, "# the sizes the inputs bind, or None where one does not fit its port")
    start = len(src.lines)
    for i, (var, state) in enumerate(inputs):
        _port_tests(src, var, state, f"in_dtypes{i}", "return None")
    bound = list(src.sizes.values())
    _init_unbound(src, start)
    src.add(1, f"return {_tuple(bound)}")
    if not outputs:
        return
    src.add(0, "")
    src.add(0, f"def {p}outputs_fit({p}sizes, {', '.join(v for v, _ in outputs)}):")
    src.add(1, "# whether the outputs fit their ports, with the sizes the inputs bound")
    if bound:
        src.add(1, f"{', '.join(bound)}{',' * (len(bound) == 1)} = {p}sizes")
    start = len(src.lines)
    for j, (var, state) in enumerate(outputs):
        _port_tests(src, var, state, f"out_dtypes{j}", "return False")
    _init_unbound(src, start)
    src.add(1, "return True")


def _init_unbound(src: _Source, at: int) -> None:
    """Sizes first bound by an Optional port start unbound (-1: no size is)."""
    if src.unbound:
        src.lines.insert(at, "    " + " = ".join([*src.unbound, "-1"]))
        src.unbound.clear()


def _port_tests(src: _Source, var: str, state: PortState, dtypes: str, fail: str) -> None:
    """One port: a tensor (not nested where its shape is read), its dtype, then its
    rank, fixed sizes and bindings, as the core planned them."""
    p, depth = src.p, 1
    if state.port.optional:
        src.add(depth, f"if {var} is not None:")
        depth += 1
    nested = f" or {var}.is_nested" if state.plan is not None else ""
    src.add(depth, f"if not isinstance({var}, {p}Tensor){nested}: {fail}")
    if state.port.type.dtypes is not None:
        src.add(depth, f"if {var}.dtype not in {src.name(dtypes, state.port.type.dtypes)}: {fail}")
    plan = state.plan
    if plan is None:
        return
    if not plan.fixed and not plan.binds:
        src.add(depth, f"if {var}.ndim != {plan.rank}: {fail}")
        return
    used = {dim for dim, _, _ in (*plan.fixed, *plan.binds)}
    dims = [f"{p}dim{d}" if d in used else f"{p}free" for d in range(plan.rank)]
    src.add(depth, f"try: {', '.join(dims)}{',' * (len(dims) == 1)} = {var}.shape")
    src.add(depth, f"except ValueError: {fail}")
    for dim, fixed, _ in plan.fixed:
        src.add(depth, f"if {p}dim{dim} != {fixed}: {fail}")
    for dim, key, _ in plan.binds:
        size = src.sizes.get(key)
        if size is None:  # the first port to bind it
            size = src.sizes[key] = f"{p}size{len(src.sizes)}"
            src.add(depth, f"{size} = {p}dim{dim}")
            if state.port.optional:
                src.maybe.add(size)
                src.unbound.append(size)
        elif size in src.maybe:
            src.add(depth, f"if {size} < 0: {size} = {p}dim{dim}")
            src.add(depth, f"elif {p}dim{dim} != {size}: {fail}")
            if not state.port.optional:
                src.maybe.discard(size)  # bound from here on
        else:
            src.add(depth, f"if {p}dim{dim} != {size}: {fail}")
