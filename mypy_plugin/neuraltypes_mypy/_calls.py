"""Calls: a module call uses ``forward``'s signature; every argument that reaches a
port with a neural type is checked against it with the core's rule; the call's
type is a new copy of the declared return type, carrying its neural type."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from mypy.nodes import (
    ARG_NAMED,
    ARG_POS,
    ARG_STAR,
    ArgKind,
    Expression,
    MemberExpr,
    NameExpr,
    SymbolNode,
    TypeInfo,
    Var,
)
from mypy.plugin import AnalyzeTypeContext, FunctionContext, MethodContext, MethodSigContext
from mypy.typeops import bind_self
from mypy.types import (
    AnyType,
    CallableType,
    FunctionLike,
    Instance,
    NoneType,
    Type,
    UnionType,
)

from neuraltypes._core import (
    ElementInfo,
    Mismatch,
    check_parts,
)

from ._branches import assigned_in_a_branch, dtype_tested
from ._carry import (
    Neural,
    as_proper,
    fresh,
    is_tensor,
    neural,
    neural_of,
    overlay_ret,
    ret_port_of,
    str_type,
)
from ._names import MODULE, NEURAL_MODULE_NAME, PACKAGE
from ._ports import Ports, callable_of, ports_of
from ._report import Wrong, report, report_arguments
from ._sizes import check_sizes
from ._state import BuildState

__all__ = [
    "forward_of",
    "carried",
    "call_arguments",
    "function_ports",
    "module_call_of",
    "ModuleCall",
    "module_call_signature",
    "module_call_check",
    "function_call_check",
    "check_arguments",
    "mismatches",
    "report",
    "depend_on_forward",
]

CallContext = FunctionContext | MethodContext


def function_ports(state: BuildState, node: object) -> Ports | None:
    """The ports of a function (``_ports.ports_of``), read once per build."""
    return state.remembered("ports", node, lambda func: ports_of(func, state.modules))


def forward_of(info: TypeInfo) -> SymbolNode | None:
    """The ``forward`` a call of an instance of ``info`` runs, or None: the class (or
    a base below ``nn.Module``) defines its own ``__call__``, or a generic class."""
    for base in info.mro:
        if base.fullname == MODULE:
            return None
        names = base.names
        if "__call__" in names:
            return None
        sym = names.get("forward")
        if sym is not None:
            return None if base.defn.type_vars else sym.node
    return None


class ModuleCall:
    """What calls of one module class need: the class, ``forward``'s ports, whether
    a call's type is ``forward``'s return type (the class opted in, or every module
    is typed: ``module_call_returns = all``) or mypy's own Any, whether any port has
    a neural type, and (once made) ``forward`` bound to an instance.

    Messages name the port's owner as ``{the class called}.forward``, as the runtime
    does, also when ``forward`` is inherited: the user wrote a call of that class,
    and a subclass is where its ports are read from (``Child.forward``, not the
    ``Base.forward`` that defines it)."""

    __slots__ = ("info", "ports", "owner", "typed", "neural", "bound")

    def __init__(self, info: TypeInfo, ports: Ports, typed: bool) -> None:
        self.info = info
        self.ports = ports
        self.owner = f"{info.name}.{ports.func.name}"
        self.typed = typed
        self.neural = ports.any
        self.bound: CallableType | None = None


def _opted_in(info: TypeInfo, ports: Ports) -> bool:
    """A NeuralModule, or a forward annotated with neuraltypes metadata (jaxtyping
    alone does not count)."""
    if any(b.name == NEURAL_MODULE_NAME and b.fullname.startswith(PACKAGE) for b in info.mro):
        return True
    ret = ports.ret if isinstance(ports.ret, tuple) else (ports.ret,)
    return any(n is not None and not n.jaxtyping for n in (*ports.args, *ret))


def module_call_of(state: BuildState, info: TypeInfo) -> ModuleCall | None:
    """How calls of the module class ``info`` are checked and typed (None: by mypy
    alone), read once per build."""
    return state.remembered("module calls", info, lambda cls: _module_call(state, cls))


def _module_call(state: BuildState, info: TypeInfo) -> ModuleCall | None:
    node = forward_of(info)
    ports = None if node is None else function_ports(state, node)
    if ports is None or not ports.signature.arg_types:
        return None
    return ModuleCall(info, ports, state.all_returns or _opted_in(info, ports))


def call_arguments(ctx: CallContext) -> Iterator[tuple[Expression, Type, ArgKind, str | None]]:
    """Every argument of a call, in order: the expression, its type, its kind and its
    keyword (mypy groups them by the formals of the signature it checked)."""
    for exprs, types, kinds, names in zip(ctx.args, ctx.arg_types, ctx.arg_kinds, ctx.arg_names):
        yield from zip(exprs, types, kinds, names)


def _receiver(
    call: ModuleCall, state: BuildState, ctx: MethodSigContext | MethodContext
) -> tuple[Instance, ModuleCall] | None:
    """The module instance being called and its class's call (``call`` was decided
    for the class mypy named when it asked for the hook)."""
    typ = as_proper(ctx.type)
    if not isinstance(typ, Instance):
        return None
    this = call if typ.type is call.info else module_call_of(state, typ.type)
    return None if this is None else (typ, this)


def module_call_signature(
    call: ModuleCall, state: BuildState, ctx: MethodSigContext
) -> FunctionLike:
    """``module(...)`` of a neuraltypes module (of every module with
    ``module_call_returns = all``): ``forward``'s signature, bound to the module, so
    that mypy checks the call's arity and gives it ``forward``'s return type (a new
    copy, carrying its neural types). Other modules keep mypy's own answer for
    ``Module.__call__`` (any arguments, ``Any``): turning the plugin on adds no
    errors but neural ones to code that never opted in (``module_call_check`` maps
    their arguments to ``forward``'s ports itself). (The parameters' types are the
    declaration's own: the plugin reads ports from ``ports_of``, never from them.)"""
    found = _receiver(call, state, ctx)
    if found is None or not found[1].typed:
        return ctx.default_signature
    typ, this = found
    bound = this.bound if not typ.args else None
    if bound is None:
        sig = this.ports.signature
        ret = overlay_ret(state, sig.ret_type, this.ports.ret, str_type(ctx))
        made = bind_self(sig.copy_modified(ret_type=ret), typ)
        if not isinstance(made, CallableType):
            return ctx.default_signature
        bound = made.copy_modified(arg_types=[_or_none(t) for t in made.arg_types])
        if not typ.args:
            this.bound = bound  # handed out as is only when no neural type rides on it
    if this.ports.ret is None:
        return bound
    return bound.copy_modified(ret_type=fresh(bound.ret_type))


def _or_none(typ: Type) -> Type:
    """A tensor parameter accepts ``None`` too in module calls: code written for NeMo
    passes ``Optional`` tensors along (``forward(self, input_signal=None, ...)``) and
    decides at run time; the runtime refuses a None a port does not allow."""
    return UnionType([typ, NoneType()]) if is_tensor(as_proper(typ)) else typ


def module_call_check(call: ModuleCall, state: BuildState, ctx: MethodContext) -> Type:
    """Check a module call's arguments. A neuraltypes module's call has the type the
    signature hook gave it; another module's call is mypy's ``Any``, remembered as
    carrying ``forward``'s declared neural type (see ``BuildState``)."""
    found = _receiver(call, state, ctx)
    if found is None or not found[1].neural:
        return ctx.default_return_type
    this = found[1]
    if this.typed:
        check_arguments(ctx, this.ports, this.owner, state)
        return ctx.default_return_type
    wrong: list[Wrong] = []
    for position, expr, actual in _mapped_arguments(ctx, this.ports):
        _check_argument(ctx, this.ports, state, position, expr, actual, wrong)
    if wrong:
        report_arguments(ctx, this.ports, this.owner, wrong, _fits(state))
    ret = this.ports.ret
    if ret is None or (isinstance(ret, tuple) and all(n is None for n in ret)):
        return ctx.default_return_type
    return state.typed_any(ctx, ret)


def _mapped_arguments(ctx: MethodContext, ports: Ports) -> Iterator[tuple[int, Expression, Type]]:
    """(position of ``forward``'s formal, argument, its type) for the arguments of a
    call that mypy checked against ``Module.__call__``'s ``(*args, **kwargs)``:
    positional arguments in order after ``self``, keywords by name. What can't be
    placed (past the last positional formal, after ``*xs``, an unknown name, a
    ``**kw``) is left to run time."""
    names, kinds = ports.signature.arg_names, ports.signature.arg_kinds
    positional = [i for i, kind in enumerate(kinds) if kind.is_positional()][1:]  # not self
    placed: int | None = 0  # positional arguments placed so far; None once unknown
    by_name = {name: i for i, name in enumerate(names) if name is not None}
    for expr, actual, kind, name in call_arguments(ctx):
        if kind == ARG_POS and placed is not None and placed < len(positional):
            yield positional[placed], expr, actual
            placed += 1
        elif kind == ARG_NAMED and name in by_name:
            yield by_name[name], expr, actual
        elif kind == ARG_STAR:
            placed = None


def function_call_check(ports: Ports, owner: str, state: BuildState, ctx: CallContext) -> Type:
    """A call of a function or method with neural ports (named ``owner``)."""
    check_arguments(ctx, ports, owner, state)
    if ports.ret is None:
        return ctx.default_return_type
    if ports.signature.variables:  # generic: mypy's return type is specific to this call
        return overlay_ret(state, ctx.default_return_type, ports.ret, str_type(ctx))
    if ports.ret_type is None:
        ports.ret_type = overlay_ret(state, ports.signature.ret_type, ports.ret, str_type(ctx))
    return fresh(ports.ret_type)


def _element(state: BuildState, neural: Neural) -> ElementInfo | None:
    """The element as the core compares it, its bases read from its class: None when
    the annotation states none or the class is not found (unknown); parameters are
    unknown statically (None: a wildcard)."""
    return None if neural.element is None else state.element_info(neural.element)


def mismatches(state: BuildState, found: Neural, expected: Neural) -> tuple[Mismatch, ...]:
    """Why ``found`` does not fit a port declaring ``expected`` (the core decides,
    once per pair in a build)."""
    if found is expected or found == expected:  # a type always fits itself
        return ()
    return state.remembered("verdicts", (found, expected), lambda pair: _verdict(state, *pair))


def _verdict(state: BuildState, found: Neural, expected: Neural) -> tuple[Mismatch, ...]:
    return check_parts(
        found.parsed_axes(),
        _element(state, found),
        expected.parsed_axes(),
        _element(state, expected),
        found_dtype=found.dtype,
        expected_dtype=expected.dtype,
    )


def check_arguments(ctx: CallContext, ports: Ports, owner: str, state: BuildState) -> None:
    """Check each actual argument against the neural type of its formal parameter
    (messages name the port ``{owner} port "x"``).

    ``ctx.args`` has one group per formal of the signature mypy checked the call
    against: the function's own, or without ``self`` when it is bound. (Asked for
    every checked call: only the ports with a neural type are visited.)"""
    groups = ctx.args
    offset = len(ports.args) - len(groups)
    if offset != 0 and offset != 1:
        return
    arg_types = ctx.arg_types
    given: list[tuple[int, Expression, Neural]] = []
    wrong: list[Wrong] = []
    for position, _ in ports.checks:
        index = position - offset
        if index < 0:
            continue
        for expr, actual in zip(groups[index], arg_types[index]):
            found = _check_argument(ctx, ports, state, position, expr, actual, wrong)
            if found is not None:
                given.append((position, expr, found))
    if wrong:  # one error each, with a hint where two seem swapped
        report_arguments(ctx, ports, owner, wrong, _fits(state))
    check_sizes(ctx, ports, owner, state, given)


def _fits(state: BuildState) -> Callable[[Neural, Neural], bool]:
    return lambda found, expected: not mismatches(state, found, expected)


def _check_argument(
    ctx: CallContext,
    ports: Ports,
    state: BuildState,
    position: int,
    expr: Expression,
    actual: Type,
    wrong: list[Wrong],
) -> Neural | None:
    """Check one argument against the neural type of the formal at ``position``;
    the argument's neural type (None: none, or it does not fit: then it is added
    to ``wrong``, with why)."""
    expected = ports.args[position]
    if expected is None:
        return None
    found = carried(ctx, state, expr, actual)
    if found is None or found is expected:  # plain (gradual), or the same type
        return found
    problems = mismatches(state, found, expected)
    if problems:
        wrong.append((position, expr, found, problems))
        return None
    return found


def carried(ctx: Any, state: BuildState, expr: Expression | None, actual: Type) -> Neural | None:
    """The neural type the value of ``expr`` (of type ``actual``) carries: from its
    type, or from the ``Any`` of a module that did not opt in; for a variable or an
    attribute, that of the value it was last assigned; for a variable assigned in a
    branch before, none; inside an ``if`` that tests its dtype, no dtype
    (``_branches.py``)."""
    if isinstance(actual, AnyType):  # a value of a module that did not opt in
        found = state.any_neural(ctx, actual)
        if found is not None and isinstance(expr, (NameExpr, MemberExpr)):
            found = _last_assigned_any(ctx, state, expr, actual, found)
    else:
        found = neural_of(actual)
        if found is not None and isinstance(expr, (NameExpr, MemberExpr)):
            found = _last_assigned(ctx, expr, actual, found)
    if found is None or not isinstance(expr, NameExpr):
        return found
    if assigned_in_a_branch(ctx, state, expr):
        return None  # one of several values: which one is not known
    if found.dtype is not None and dtype_tested(ctx, state, expr):
        return neural(found.axes, found.jaxtyping, found.element)  # the dtype is in doubt
    return found


def _last_assigned(
    ctx: Any, expr: NameExpr | MemberExpr, actual: Type, found: Neural
) -> Neural | None:
    """The neural type a variable or attribute argument carries: that of the value
    it was last assigned (mypy's binder knows it), not its declaration's.

    Two cases where the declared type still shows: after ``x = x.transpose(1, 2)``
    mypy's meet of the declared and the assigned type keeps the side with a neural
    type; after ``x = untyped(x)`` (an ``Any`` value) mypy narrows ``x`` back to its
    declared type, the very object of the declaration. In both, the value carries
    what was assigned: a plain Tensor or an unknown value, so no neural type."""
    narrowed = ctx.api.binder.get(expr)
    if narrowed is None:  # never assigned or narrowed here: the declaration holds
        return found
    if narrowed is _declared(ctx, expr):
        return None  # assigned from something that carries no neural type (Any)
    return found if narrowed is actual else neural_of(narrowed)


def _last_assigned_any(
    ctx: Any, state: BuildState, expr: NameExpr | MemberExpr, actual: AnyType, found: Neural
) -> Neural | None:
    """The neural type an ``Any`` variable carries: that of the value it was last
    assigned. mypy shows a variable first assigned an ``Any`` as that very ``Any``
    after any later assignment of an ``Any`` (all ``Any`` types are equal to it); its
    binder knows the value last assigned."""
    narrowed = ctx.api.binder.get(expr)
    if narrowed is None or narrowed is actual:
        return found
    return state.any_neural(ctx, narrowed) if isinstance(narrowed, AnyType) else None


def _declared(ctx: Any, expr: NameExpr | MemberExpr) -> Type | None:
    """The declared type of a variable (``x``) or attribute (``self.x``), the object
    mypy's binder restores after an assignment of ``Any``."""
    if isinstance(expr, NameExpr):
        node = expr.node
    else:
        owner = as_proper(ctx.api.lookup_type_or_none(expr.expr))
        if not isinstance(owner, Instance):
            return None
        sym = owner.type.get(expr.name)
        node = None if sym is None else sym.node
    return node.type if isinstance(node, Var) else None


def depend_on_forward(state: BuildState, info: TypeInfo, ctx: AnalyzeTypeContext) -> Type:
    """A module class named in an annotation (``enc: Encoder``), under the daemon:
    what mypy builds, plus a dependency of the annotated code on the class's
    ``forward`` and on the element classes its ports name.

    Calls of the module are checked against ``forward``, but mypy's fine-grained
    dependencies only link callers to ``__call__``; this makes an edit of
    ``forward`` (or of an alias it uses, or of an element class's bases) check the
    code that names the class again.
    """
    from ._read import plain

    forward = forward_of(info)
    if forward is not None:
        state.depend_on(ctx, forward.fullname)
        for element in _elements_declared(forward):
            state.depend_on(ctx, element)
    return plain(ctx)


def _elements_declared(node: object) -> set[str]:
    """The element classes a function's analysed signature names (as far as mypy
    has analysed it: a caller in a module analysed first sees none)."""
    found = callable_of(node)
    if found is None:
        return set()
    ports = [neural_of(t) for t in found.arg_types]
    ret = ret_port_of(found.ret_type)
    ports += list(ret) if isinstance(ret, tuple) else [ret]
    return {p.element for p in ports if p is not None and p.element is not None}
