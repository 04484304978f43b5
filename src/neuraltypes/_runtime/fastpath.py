"""The wrapper ``@typecheck()`` returns, generated once per decorated function.

Why generated: the wrapper takes exactly the decorated function's parameters (so
Python binds positional and keyword arguments in C, with no ``*args``/``**kwargs``
repacking), and the common case (plain tensor ports, simple axes) is checked by
straight-line code with every index and size a constant. That is what keeps a
checked call within about a microsecond of a plain one.

The generated code is built from the checker's data only: parameter names (Python
identifiers, from the function's own signature), integer dims, ranks and sizes.
Everything else (port names, types, defaults, the rules) is passed in the
namespace, never written into the source; axis strings are never part of it.

The fast block only *accepts*: each test is a condition under which the core's
rule (``check_shape``, ``check_connection`` via the tag cache) accepts too, and any
doubt leaves it for the reference checker (:mod:`.checker`), which decides and
words every error. The rank, the fixed sizes and the size bindings it tests are
the core's plan (:class:`neuraltypes._core.PortShape`) of each port.

Where every port is a required tensor with axes, the inputs' tags are tested before
the call and all the call's tensors after it, with one guard (:mod:`.guards`) made
from the last call the Python tests accepted; a call the guard rejects gets those
tests, still after the call. A wrong input shape is then reported when the call
returns, or, where the call raises first (most likely because of it), instead of
the call's own exception: the same error, in the same words, as checking first.
"""

from __future__ import annotations

import inspect
from typing import Any

from .checker import CallChecker, PortState, tracing
from .guards import AVAILABLE, GuardSlot
from .ports import Signature

__all__ = ["fast_eligible", "guardable", "wrapper_source"]

_KINDS = inspect.Parameter


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


class _Emitter:
    def __init__(self, prefix: str) -> None:
        self.p = prefix
        self.lines: list[str] = []
        self.keys: dict[str, str] = {}  # binding key -> local variable
        self.status: dict[str, str] = {}  # local variable -> "bound" | "maybe"
        self.maybe = False

    def emit(self, depth: int, line: str) -> None:
        self.lines.append("    " * depth + line)

    def unpack(self, depth: int, names: list[str], value: str, fail: str) -> None:
        """``names = value``, with ``fail`` when ``value`` has another length."""
        self.emit(depth, f"try: {', '.join(names)}{',' if len(names) == 1 else ''} = {value}")
        self.emit(depth, f"except ValueError: {fail}")

    def shape(self, depth: int, var: str, state: PortState, fail: str, optional: bool) -> None:
        """The rank, fixed sizes and bindings of one port, as the core planned them.

        The sizes are unpacked from ``var.shape`` in one step (a wrong rank raises
        ``ValueError`` there); a size whose only use is a first binding is unpacked
        straight into its binding's local.
        """
        plan = state.plan
        p = self.p
        if plan is None:
            return
        if not plan.fixed and not plan.binds:
            self.emit(depth, f"if {var}.ndim != {plan.rank}: {fail}")
            return
        uses = [0] * plan.rank
        for dim, _, _ in (*plan.fixed, *plan.binds):
            uses[dim] += 1
        names = [f"{p}u" if not n else f"{p}z{dim}" for dim, n in enumerate(uses)]
        first = [f"{p}z{dim} != {size}" for dim, size, _ in plan.fixed]
        steps: list[str] = []  # statements after the first test, in order
        bound_here: set[str] = set()
        for dim, key, _ in plan.binds:
            local = self.keys.setdefault(key, f"{p}k{len(self.keys)}")
            status = self.status.get(local)
            size = names[dim]
            if status == "bound" and local not in bound_here:
                first.append(f"{size} != {local}")
            elif status == "bound":
                steps.append(f"if {size} != {local}: {fail}")
            elif status == "maybe":
                steps.append(f"if {local} < 0: {local} = {size}")
                steps.append(f"elif {size} != {local}: {fail}")
            elif uses[dim] == 1:
                names[dim] = local  # unpacked straight into the binding
            else:
                steps.append(f"{local} = {size}")
            if status != "bound":
                self.status[local] = "maybe" if optional else "bound"
                self.maybe |= optional and status is None
                bound_here.add(local)
        self.unpack(depth, names, f"{var}.shape", fail)
        if first:
            self.emit(depth, f"if {' or '.join(first)}: {fail}")
        for step in steps:
            self.emit(depth, step)


def wrapper_source(
    name: str,
    sig: Signature,
    checker: CallChecker | None,
    prefix: str,
    slot: GuardSlot | None = None,
) -> tuple[str, dict[str, Any]]:
    """The source of the wrapper and the namespace entries it needs.

    With ``checker`` None (ports not known yet) there is no fast block: every
    checked call goes to the reference checker. ``slot`` is the guard of the fast
    block, for a checker whose ports are :func:`guardable` (None: Python tests only).
    """
    p = prefix
    ns: dict[str, Any] = {}
    params = list(sig.params)
    # -- the signature -------------------------------------------------------------
    parts: list[str] = []
    if sig.receiver is not None:
        parts.append(sig.receiver)
    missing: list[str] = []
    for i, param in enumerate(params):
        if param.kind is _KINDS.KEYWORD_ONLY and not any(
            q.kind is _KINDS.KEYWORD_ONLY for q in params[:i]
        ):
            parts.append(f"*{sig.var_pos}" if sig.var_pos else f"*{p}extra")
        if param.default is _KINDS.empty:
            parts.append(f"{param.name}={p}M")
            missing.append(param.name)
        else:
            ns[f"{p}d{i}"] = param.default
            parts.append(f"{param.name}={p}d{i}")
        if param.kind is _KINDS.POSITIONAL_ONLY and (
            i + 1 == len(params) or params[i + 1].kind is not _KINDS.POSITIONAL_ONLY
        ):
            parts.append("/")
    if not any(q.kind is _KINDS.KEYWORD_ONLY for q in params):
        parts.append(f"*{sig.var_pos}" if sig.var_pos else f"*{p}extra")
    parts.append(f"**{sig.var_kw}" if sig.var_kw else f"**{p}kw")
    extra = sig.var_pos or f"{p}extra"
    kw = sig.var_kw or f"{p}kw"
    ours = [v for v, real in ((extra, sig.var_pos), (kw, sig.var_kw)) if not real]
    # -- the call ------------------------------------------------------------------
    args = [sig.receiver] if sig.receiver else []
    for param in params:
        args.append(
            param.name if param.kind is not _KINDS.KEYWORD_ONLY else f"{param.name}={param.name}"
        )
    if sig.var_pos:
        args.insert(
            len([q for q in params if q.kind is not _KINDS.KEYWORD_ONLY]) + bool(sig.receiver),
            f"*{sig.var_pos}",
        )
    if sig.var_kw:
        args.append(f"**{sig.var_kw}")
    call = f"{p}fn({', '.join(args)})"
    values = f"({', '.join(q.name for q in params)}{',' if len(params) == 1 else ''})"
    receiver = sig.receiver or "None"
    rest = f"{receiver}, {values}, {extra}, {kw}"
    e = _Emitter(p)
    e.emit(0, f"def {name}({', '.join(parts)}):")
    # -- checks off, or tracing under torch.compile ---------------------------------
    e.emit(1, f"if {p}dyn() or not ({p}mode := {p}scope()[{p}glob[0]]):")
    bad = ours + [f"{m} is {p}M" for m in missing]
    if bad:
        e.emit(2, f"if {' or '.join(bad)}: return {p}raw({rest})")
    e.emit(2, f"return {call}")
    if checker is not None and fast_eligible(checker):
        _fast_block(e, sig, checker, call, rest, ours, ns, slot)
    # -- everything else: the reference checker -------------------------------------
    e.emit(1, f"{p}c = {p}checker({receiver})")
    e.emit(1, f"{p}e = {p}c.check_inputs({p}mode, {rest})")
    e.emit(1, f"{p}out = {call}")
    e.emit(1, f"{p}c.check_outputs({p}mode, {receiver}, {p}out, {p}e)")
    e.emit(1, f"return {p}out")
    return "\n".join(e.lines) + "\n", ns


def _sink(ns: dict[str, Any], state: PortState, key: str) -> str:
    """The namespace name under which the fast block reads a port's accepted tag."""
    ns[key] = state.accepted
    if not any(n is ns and k == key for n, k in state.sinks):  # (read by two blocks)
        state.sinks.append((ns, key))
    return key


def _tag_test(var: str, accepted: str, p: str) -> str:
    """True when ``var`` is not a tensor, or carries a tag that is not the accepted
    one while element types are checked (mode 2: FULL)."""
    return f"not isinstance({var}, {p}T) or {_tag_only(var, accepted, p)}"


def _tag_only(var: str, accepted: str, p: str) -> str:
    """The tag test of a value known to be a tensor (a guard accepted it)."""
    return (
        f"(({p}t := getattr({var}, 'neural_type', None)) "
        f"is not {accepted} and {p}t is not None and {p}mode == 2)"
    )


def guardable(checker: CallChecker) -> bool:
    """Whether the fast block can test its tensors with a guard: every port a
    required tensor with axes (a guard pins the rank)."""
    states = [*checker.inputs, *(s for s in checker.outputs if s is not None)]
    return AVAILABLE and all(s.plan is not None and not s.port.optional for s in states)


def _fast_block(
    e: _Emitter,
    sig: Signature,
    checker: CallChecker,
    call: str,
    rest: str,
    ours: list[str],
    ns: dict[str, Any],
    slot: GuardSlot | None,
) -> None:
    p = e.p
    # the first class seen is tested by identity, others by set membership
    conds = (
        [f"(type({sig.receiver}) is {p}cls or type({sig.receiver}) in {p}fast)"]
        if sig.receiver
        else []
    )
    conds += [f"not {v}" for v in ours]
    if slot is None:
        # its tests read shapes, which torch.jit.trace would record (the guard's don't)
        conds.append(f"not {p}tracing()")
        ns[f"{p}tracing"] = tracing
    port_params = {s.port.index for s in checker.inputs}
    conds += [
        f"{q.name} is not {p}M"
        for i, q in enumerate(sig.params)
        if q.default is _KINDS.empty and i not in port_params
    ]
    e.emit(1, f"while {' and '.join(conds) or 'True'}:")
    start = len(e.lines)
    outs = checker.outputs
    names = [f"{p}o{j}" if s is not None else "_" for j, s in enumerate(outs)]
    in_vars = [sig.params[s.port.index].name for s in checker.inputs if s.port.index is not None]
    out_vars = [names[j] for j, s in enumerate(outs) if s is not None]
    fail = f"return {p}outputs({p}mode, {rest}, {p}out)"
    if slot is None:
        # inputs before the call: a tensor, a tag that is the accepted one (or
        # none), the shape
        _input_tests(e, sig, checker, ns, "break", tags=True)
        e.emit(2, f"{p}out = {call}")
    else:
        # the inputs' tags before the call; their shapes after it, with the outputs'
        # (one guard for all tensors; the call is made only once)
        for i, (state, var) in enumerate(zip(checker.inputs, in_vars)):
            e.emit(2, f"if {_tag_only(var, _sink(ns, state, f'{p}a{i}'), p)}: break")
        ns.update({f"{p}G{slot.generation}": slot.slot, f"{p}R": slot.live})
        ns[f"{p}renew"] = slot.renew
        e.emit(2, f"try: {p}out = {call}")
        e.emit(2, f"except Exception: {p}pre({p}mode, {rest}); raise")
    if outs:
        if checker.ports.arity is None:
            e.emit(2, f"{names[0]} = {p}out")
        else:
            e.emit(2, f"if type({p}out) is not tuple and not isinstance({p}out, tuple): {fail}")
            e.unpack(2, names, f"{p}out", fail)
    if slot is not None:
        _guarded_test(e, checker, names, in_vars, slot, fail, ns)
        # the guard rejected the call: Python tests, which read shapes (not while
        # torch.jit.trace records: checks are skipped then)
        ns[f"{p}tracing"] = tracing
        e.emit(2, f"if {p}tracing(): return {p}out")
        _input_tests(e, sig, checker, ns, fail, tags=False)
    # outputs: the same tests, then the tags
    for j, out in enumerate(outs):
        if out is None:
            continue
        var, depth = names[j], 2
        if out.port.optional:
            e.emit(depth, f"if {var} is not None:")
            depth += 1
        e.emit(depth, f"if {_tag_test(var, _sink(ns, out, f'{p}oa{j}'), p)}: {fail}")
        if out.port.type.dtypes is not None:
            ns[f"{p}odt{j}"] = out.port.type.dtypes
            e.emit(depth, f"if {var}.dtype not in {p}odt{j}: {fail}")
        e.shape(depth, var, out, fail, out.port.optional)
    for j, out in enumerate(outs):
        if out is None:
            continue
        ns[f"{p}ot{j}"] = out.port.type.leaf
        guard = f"if {names[j]} is not None: " if out.port.optional else ""
        e.emit(2, f"{guard}{names[j]}.neural_type = {p}ot{j}")
    if slot is not None:
        e.emit(2, f"if {p}R[0]: {p}renew({_tuple(in_vars)}, {_tuple(out_vars)})")
    e.emit(2, f"return {p}out")
    if e.maybe:
        e.lines.insert(start, "    " * 2 + " = ".join([*e.keys.values(), "-1"]))


def _input_tests(
    e: _Emitter, sig: Signature, checker: CallChecker, ns: dict[str, Any], fail: str, tags: bool
) -> None:
    """Each input: a tensor (with the accepted tag or none, where ``tags``), its
    dtype, its shape."""
    p = e.p
    for i, state in enumerate(checker.inputs):
        assert state.port.index is not None
        var = sig.params[state.port.index].name
        depth = 2
        if state.port.optional:
            e.emit(depth, f"if {var} is not None:")
            depth += 1
        if tags:
            e.emit(depth, f"if {_tag_test(var, _sink(ns, state, f'{p}a{i}'), p)}: {fail}")
        else:
            e.emit(depth, f"if not isinstance({var}, {p}T): {fail}")
        if state.port.type.dtypes is not None:
            ns[f"{p}dt{i}"] = state.port.type.dtypes
            e.emit(depth, f"if {var}.dtype not in {p}dt{i}: {fail}")
        e.shape(depth, var, state, fail, state.port.optional)


def _tuple(names: list[str]) -> str:
    return f"({', '.join(names)}{',' if len(names) == 1 else ''})"


def _guarded_test(
    e: _Emitter,
    checker: CallChecker,
    names: list[str],
    in_vars: list[str],
    slot: GuardSlot,
    fail: str,
    ns: dict[str, Any],
) -> None:
    """The call's tensors tested by the guard (:mod:`.guards`): the outputs that
    hand an input through by identity, the others with the inputs in one C++ test.
    Each output's tag is read and written in one step (``__dict__.setdefault``:
    a new tensor has none); one that carries a tag this port did not accept yet
    goes to the reference checker. A call the guard rejects gets the Python tests
    that follow."""
    p = e.p
    outs = [(names[j], s) for j, s in enumerate(checker.outputs) if s is not None]
    tests = [f"{var} is {in_vars[k]}" for (var, _), k in zip(outs, slot.same) if k is not None]
    fresh = [var for (var, _), k in zip(outs, slot.same) if k is None]
    tests.append(f"{p}G{slot.generation}[0]{_tuple([*in_vars, *fresh])}")
    e.emit(2, f"if {' and '.join(tests)}:")
    for j, out in enumerate(checker.outputs):
        if out is None:
            continue
        var, accepted = names[j], _sink(ns, out, f"{p}oa{j}")
        ns[f"{p}ot{j}"] = out.port.type.leaf
        e.emit(
            3, f"if ({p}t := {var}.__dict__.setdefault('neural_type', {p}ot{j})) is not {p}ot{j}:"
        )
        e.emit(4, f"if {p}t is not {accepted} and {p}t is not None and {p}mode == 2: {fail}")
        e.emit(4, f"{var}.neural_type = {p}ot{j}")
    e.emit(3, f"return {p}out")
