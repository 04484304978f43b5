"""Calls: module calls use ``forward``'s signature; arguments are checked against
the neural types of the parameters they reach; ``nn.Sequential`` chains are checked."""

from __future__ import annotations

from collections.abc import Sequence

from mypy.nodes import (
    Decorator,
    Expression,
    FuncDef,
    MemberExpr,
    NameExpr,
    TypeInfo,
)
from mypy.plugin import AnalyzeTypeContext, FunctionContext, MethodContext, MethodSigContext
from mypy.server.trigger import make_trigger
from mypy.typeops import bind_self
from mypy.types import (
    AnyType,
    CallableType,
    FunctionLike,
    Instance,
    TupleType,
    Type,
    TypeOfAny,
    get_proper_type,
)

from neuraltypes._core import check_parts, where_port

from ._carry import Neural, fresh_callable, neural_of
from ._codes import CODES
from ._names import MODULE

__all__ = [
    "MODULE",
    "is_module_class",
    "forward_signature",
    "module_call_signature",
    "module_call_check",
    "check_arguments",
    "callable_of",
    "has_neural_params",
    "sequential_check",
]

#: decorators known to keep a function's signature
_KEEPS_SIGNATURE = ("neuraltypes._shim.typecheck.typecheck", "neuraltypes.typecheck")


def is_module_class(info: TypeInfo) -> bool:
    return any(base.fullname == MODULE for base in info.mro)


def callable_of(node: object) -> CallableType | None:
    """The signature of a function or decorated function, if mypy knows it."""
    if isinstance(node, FuncDef):
        typ = get_proper_type(node.type) if node.type is not None else None
        return typ if isinstance(typ, CallableType) else None
    if isinstance(node, Decorator):
        # Decorators known to keep the signature: the function's own type, which
        # semantic analysis refreshes before any checking (the daemon re-checks
        # callers before it re-infers the decorated type).
        if all(_keeps_signature(d) for d in node.decorators):
            return callable_of(node.func)
        inferred = get_proper_type(node.var.type) if node.var.type is not None else None
        if isinstance(inferred, CallableType):
            return inferred
    return None


def _keeps_signature(decorator: Expression) -> bool:
    target = getattr(decorator, "callee", decorator)
    return isinstance(target, (NameExpr, MemberExpr)) and target.fullname in _KEEPS_SIGNATURE


def forward_signature(instance: Instance) -> CallableType | None:
    """``forward`` of a module instance, bound to it; None when not known."""
    for base in instance.type.mro:
        if base.fullname == MODULE:
            return None
        sym = base.names.get("forward")
        if sym is None:
            continue
        sig = callable_of(sym.node)
        if sig is None or base.defn.type_vars or not sig.arg_types:
            return None
        bound = bind_self(fresh_callable(sig), instance)
        return bound if isinstance(bound, CallableType) else None
    return None


def depend_on_forward(info: TypeInfo, ctx: AnalyzeTypeContext) -> Type:
    """A module class named in an annotation (``enc: Encoder``): the type mypy would
    build, plus a dependency of the annotated code on the class's ``forward``.

    Calls of the module are checked against ``forward``, but mypy's fine-grained
    dependencies (the daemon) only link callers to ``__call__``; this makes an edit
    of ``forward`` (or of an alias it uses) re-check the code that names the class.
    """
    semanal = getattr(ctx.api, "api", None)
    add_dependency = getattr(semanal, "add_plugin_dependency", None)
    if add_dependency is not None:
        for base in info.mro:
            if base.fullname == MODULE:
                break
            if "forward" in base.names:
                add_dependency(make_trigger(f"{base.fullname}.forward"))
                break
    if ctx.type.args:
        given = len(ctx.type.args)
        ctx.api.fail(f'"{info.name}" expects no type arguments, but {given} given', ctx.context)
        return AnyType(TypeOfAny.from_error)
    return Instance(info, [], line=ctx.type.line, column=ctx.type.column)


def module_call_signature(ctx: MethodSigContext) -> FunctionLike:
    typ = get_proper_type(ctx.type)
    if isinstance(typ, Instance):
        sig = forward_signature(typ)
        if sig is not None:
            return sig
    return ctx.default_signature


NEURAL_MODULE = "neuraltypes._shim.modules.NeuralModule"


def uses_neuraltypes(instance: Instance, sig: CallableType) -> bool:
    """A NeuralModule, or a forward annotated with neuraltypes metadata (not only
    jaxtyping)."""
    if any(base.fullname == NEURAL_MODULE for base in instance.type.mro):
        return True
    ret = get_proper_type(sig.ret_type)
    types = [*sig.arg_types, *(ret.items if isinstance(ret, TupleType) else [ret])]
    return any((n := neural_of(t)) is not None and not n.jaxtyping for t in types)


def module_call_check(ctx: MethodContext, *, all_returns: bool) -> Type:
    """Check a module call's arguments; its type is ``forward``'s return type for
    neuraltypes modules (or every module with ``module_call_returns = all``), else
    mypy's own answer for ``Module.__call__`` (Any), so code that never opted in
    sees no new errors."""
    typ = get_proper_type(ctx.type)
    if not isinstance(typ, Instance):
        return ctx.default_return_type
    sig = forward_signature(typ)
    if sig is None:
        return ctx.default_return_type
    check_arguments(ctx, sig, f"{typ.type.name}.forward")
    if all_returns or uses_neuraltypes(typ, sig):
        return ctx.default_return_type
    return AnyType(TypeOfAny.implementation_artifact)


def has_neural_params(sig: CallableType) -> bool:
    return any(neural_of(t) is not None for t in sig.arg_types)


def _actual(ctx: FunctionContext | MethodContext, expr: Expression, typ: Type) -> Neural | None:
    # After `x = x.transpose(1, 2)` the declared type of x still carries the old
    # neural type; the binder knows the type of the last assignment.
    binder = getattr(ctx.api, "binder", None)
    if binder is not None and isinstance(expr, (NameExpr, MemberExpr)):
        narrowed = binder.get(expr)
        if narrowed is not None:
            return neural_of(narrowed)
    return neural_of(typ)


def report(
    ctx: FunctionContext | MethodContext,
    found: Neural,
    expected: Neural,
    where: str,
    context: Expression,
) -> None:
    if found == expected:  # a type always fits itself: skip the comparison
        return
    for mismatch in check_parts(
        found.parsed_axes, found.element_info, expected.parsed_axes, expected.element_info
    ):
        ctx.api.fail(mismatch.render(where), context, code=CODES[mismatch.code])


def check_arguments(ctx: FunctionContext | MethodContext, sig: CallableType, owner: str) -> None:
    """Check each actual argument against the neural type of its formal parameter."""
    for index, formal in enumerate(sig.arg_types):
        if index >= len(ctx.args):
            break
        expected = neural_of(formal)
        if expected is None:
            continue
        name = sig.arg_names[index] or f"#{index}"
        for expr, actual in zip(ctx.args[index], ctx.arg_types[index]):
            found = _actual(ctx, expr, actual)
            if found is not None:
                report(ctx, found, expected, where_port(owner, name), expr)


def _output(instance: Instance) -> Neural | None:
    sig = forward_signature(instance)
    return None if sig is None else neural_of(sig.ret_type)


def _first_input(instance: Instance) -> tuple[Neural, str] | None:
    sig = forward_signature(instance)
    if sig is None or not sig.arg_types:
        return None
    expected = neural_of(sig.arg_types[0])
    return None if expected is None else (expected, sig.arg_names[0] or "#0")


def sequential_check(ctx: FunctionContext) -> Type:
    """``nn.Sequential(a, b, c)``: each module's output must fit the next one's input."""
    if not ctx.args or not ctx.args[0]:
        return ctx.default_return_type
    items: Sequence[Type] = ctx.arg_types[0]
    exprs = ctx.args[0]
    previous: Instance | None = None
    for expr, typ in zip(exprs, items):
        current = get_proper_type(typ)
        if not isinstance(current, Instance) or not is_module_class(current.type):
            previous = None
            continue
        if previous is not None:
            produced = _output(previous)
            wanted = _first_input(current)
            if produced is not None and wanted is not None:
                where = where_port(f"{current.type.name}.forward", wanted[1])
                report(ctx, produced, wanted[0], f"nn.Sequential: {where}", expr)
        previous = current
    return ctx.default_return_type
