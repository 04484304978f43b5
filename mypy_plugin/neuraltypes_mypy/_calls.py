"""Calls: a module call uses ``forward``'s signature; every argument that reaches a
port with a neural type is checked against it with the core's rule; the call's
type is a new copy of the declared return type, carrying its neural type."""

from __future__ import annotations

from collections.abc import Callable

from mypy.binder import ConditionalTypeBinder
from mypy.nodes import Expression, MemberExpr, NameExpr, TypeInfo
from mypy.plugin import AnalyzeTypeContext, FunctionContext, MethodContext, MethodSigContext
from mypy.server.trigger import make_trigger
from mypy.typeops import bind_self
from mypy.types import (
    AnyType,
    CallableType,
    FunctionLike,
    Instance,
    LiteralType,
    Type,
    TypeOfAny,
)

from neuraltypes._core import (
    VOID_FULLNAME,
    AxisType,
    ElementInfo,
    Mismatch,
    check_parts,
    coerce_axes,
    where_port,
)

from ._carry import DECODED, KEY, Neural, as_proper, fresh, neural_of, overlay_ret
from ._codes import CODES
from ._names import MODULE, NEURAL_MODULE_NAME, PACKAGE
from ._ports import Ports

__all__ = [
    "forward_of",
    "forward_ports",
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
#: a function's ports, as the plugin reads them (``ports_of``, maybe memoised)
PortsOf = Callable[[object], Ports | None]


def forward_of(info: TypeInfo) -> object:
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


def forward_ports(instance: Instance, ports_of: PortsOf) -> Ports | None:
    node = forward_of(instance.type)
    return None if node is None else ports_of(node)


class ModuleCall:
    """What calls of one module class need: the class, ``forward``'s ports, whether
    a call's type is ``forward``'s return type (the class opted in, or every module
    is typed: ``module_call_returns = all``) or mypy's own Any, whether any port has
    a neural type, and (once made) ``forward`` bound to an instance."""

    __slots__ = ("info", "ports", "typed", "neural", "bound")

    def __init__(self, info: TypeInfo, ports: Ports, typed: bool) -> None:
        self.info = info
        self.ports = ports
        self.typed = typed
        self.neural = ports.any
        self.bound: CallableType | None = None


#: a module class's call (``module_call_of``, maybe memoised)
CallOf = Callable[[TypeInfo], ModuleCall | None]


def _opted_in(info: TypeInfo, ports: Ports) -> bool:
    """A NeuralModule, or a forward annotated with neuraltypes metadata (jaxtyping
    alone does not count)."""
    if any(b.name == NEURAL_MODULE_NAME and b.fullname.startswith(PACKAGE) for b in info.mro):
        return True
    ret = ports.ret if isinstance(ports.ret, tuple) else (ports.ret,)
    return any(n is not None and not n.jaxtyping for n in (*ports.args, *ret))


def module_call_of(info: TypeInfo, ports_of: PortsOf, all_returns: bool) -> ModuleCall | None:
    """How calls of the module class ``info`` are checked and typed (None: by mypy
    alone); ``all_returns``: every module's calls get ``forward``'s return type."""
    node = forward_of(info)
    ports = None if node is None else ports_of(node)
    if ports is None or not ports.signature.arg_types:
        return None
    return ModuleCall(info, ports, all_returns or _opted_in(info, ports))


def _str(ctx: MethodSigContext | CallContext) -> Callable[[], Instance]:
    return lambda: ctx.api.named_generic_type("builtins.str", [])


def _receiver(
    call: ModuleCall, call_of: CallOf, ctx: MethodSigContext | MethodContext
) -> tuple[Instance, ModuleCall] | None:
    """The module instance being called and its class's call (``call`` was decided
    for the class mypy named when it asked for the hook)."""
    typ = as_proper(ctx.type)
    if not isinstance(typ, Instance):
        return None
    this = call if typ.type is call.info else call_of(typ.type)
    return None if this is None else (typ, this)


def module_call_signature(
    call: ModuleCall, call_of: CallOf, ctx: MethodSigContext
) -> FunctionLike:
    """``module(...)``: ``forward``'s signature, bound to the module. Its return type
    is what the call's type is: a new copy of the declared return type, carrying its
    neural types, for neuraltypes modules (every module with ``module_call_returns =
    all``), else mypy's own answer for ``Module.__call__`` (Any), so that code which
    never opted in sees no new errors. (The parameters' types are the declaration's
    own: the plugin reads ports from ``ports_of``, never from them.)"""
    typ = ctx.type
    if isinstance(typ, Instance) and typ.type is call.info:  # the usual case
        this = call
    else:
        found = _receiver(call, call_of, ctx)
        if found is None:
            return ctx.default_signature
        typ, this = found
    typed = this.typed
    bound = this.bound if not typ.args else None
    if bound is None:
        sig = this.ports.signature
        ret = (
            overlay_ret(sig.ret_type, this.ports.ret, _str(ctx))
            if typed
            else AnyType(TypeOfAny.implementation_artifact)  # mypy's own answer
        )
        made = bind_self(sig.copy_modified(ret_type=ret), typ)
        if not isinstance(made, CallableType):
            return ctx.default_signature
        bound = made
        if not typ.args:
            this.bound = made  # handed out as is only when no neural type rides on it
    if this.ports.ret is None or not typed:
        return bound
    return bound.copy_modified(ret_type=fresh(bound.ret_type))


def module_call_check(call: ModuleCall, call_of: CallOf, ctx: MethodContext) -> Type:
    """Check a module call's arguments (its type is the signature hook's return type)."""
    typ = ctx.type
    if isinstance(typ, Instance) and typ.type is call.info:  # the usual case
        check_arguments(ctx, call.ports)
    else:
        found = _receiver(call, call_of, ctx)
        if found is not None and found[1].neural:
            check_arguments(ctx, found[1].ports)
    return ctx.default_return_type


def function_call_check(ports: Ports, ctx: CallContext) -> Type:
    """A call of a function or method with neural ports."""
    check_arguments(ctx, ports)
    if ports.ret is None:
        return ctx.default_return_type
    if ports.signature.variables:  # generic: mypy's return type is specific to this call
        return overlay_ret(ctx.default_return_type, ports.ret, _str(ctx))
    if ports.ret_type is None:
        ports.ret_type = overlay_ret(ports.signature.ret_type, ports.ret, _str(ctx))
    return fresh(ports.ret_type)


_VOID = ElementInfo("VoidType", (VOID_FULLNAME,), None)


def _axes(neural: Neural) -> tuple[AxisType, ...] | None:
    return None if neural.axes is None else coerce_axes(neural.axes, jaxtyping=neural.jaxtyping)


def _element(neural: Neural) -> ElementInfo:
    """The element as the core compares it; parameters unknown statically (None:
    a wildcard)."""
    if not neural.element:
        return _VOID
    return ElementInfo(neural.element[0], neural.element[1:], None)


#: (id of found, id of expected) -> (found, expected, the core's verdict): a pure
#: function of the two types, so computed once per pair. Keyed by identity (the
#: plugin makes one object per neural type, and the entry keeps both alive), which
#: costs no call of ``Neural.__hash__``.
_VERDICTS: dict[tuple[int, int], tuple[Neural, Neural, tuple[Mismatch, ...]]] = {}


def mismatches(found: Neural, expected: Neural) -> tuple[Mismatch, ...]:
    """Why ``found`` does not fit a port declaring ``expected`` (the core decides)."""
    if found is expected:  # a type always fits itself
        return ()
    key = (id(found), id(expected))
    hit = _VERDICTS.get(key)
    if hit is not None and hit[0] is found and hit[1] is expected:
        return hit[2]
    verdict = (
        ()
        if found == expected
        else check_parts(_axes(found), _element(found), _axes(expected), _element(expected))
    )
    if len(_VERDICTS) >= 4096:
        _VERDICTS.clear()
    _VERDICTS[key] = (found, expected, verdict)
    return verdict


def report(ctx: CallContext, found: tuple[Mismatch, ...], where: str, context: Expression) -> None:
    """Report mismatches at ``context``, in the core's wording."""
    for mismatch in found:
        ctx.api.fail(mismatch.render(where), context, code=CODES[mismatch.code])


def check_arguments(ctx: CallContext, ports: Ports) -> None:
    """Check each actual argument against the neural type of its formal parameter.

    ``ctx.args`` has one group per formal of the signature mypy checked the call
    against: the function's own, or without ``self`` when it is bound. (Asked for
    every checked call: only the ports with a neural type are visited, and an
    argument type that carries none is passed over without a call.)"""
    groups = ctx.args
    offset = len(ports.args) - len(groups)
    if offset != 0 and offset != 1:
        return
    arg_types = ctx.arg_types
    binder: ConditionalTypeBinder | None | bool = False  # not yet looked up
    for position, expected in ports.checks:
        index = position - offset
        if index < 0:
            continue
        group = groups[index]
        if not group:
            continue
        for expr, actual in zip(group, arg_types[index]):
            if isinstance(actual, Instance):  # neural_of's first lines, inlined
                extra = actual.extra_attrs
                if extra is None:
                    continue  # a plain Tensor (or no Tensor): gradual
                value = extra.attrs.get(KEY)
                found = DECODED.get(value.value) if isinstance(value, LiteralType) else None
                if found is None:
                    found = neural_of(actual)
            else:
                found = neural_of(actual)
            if found is None:
                continue
            # After `x = x.transpose(1, 2)` the declared type of x still carries the
            # old neural type (mypy's meet keeps the side with one); the binder knows
            # the type of the last assignment.
            if isinstance(expr, (NameExpr, MemberExpr)):
                if binder is False:
                    binder = getattr(ctx.api, "binder", None)
                if binder is not None:
                    narrowed = binder.get(expr)  # type: ignore[union-attr]
                    if narrowed is not None and narrowed is not actual:
                        found = neural_of(narrowed)
                        if found is None:
                            continue
            if found is expected:  # (the same type is one object)
                continue
            wrong = mismatches(found, expected)
            if wrong:
                name = ports.names[position] or f"#{index}"
                report(ctx, wrong, where_port(ports.owner, name), expr)


def depend_on_forward(info: TypeInfo, ctx: AnalyzeTypeContext) -> Type:
    """A module class named in an annotation (``enc: Encoder``), under the daemon:
    what mypy builds, plus a dependency of the annotated code on the class's
    ``forward``.

    Calls of the module are checked against ``forward``, but mypy's fine-grained
    dependencies only link callers to ``__call__``; this makes an edit of
    ``forward`` (or of an alias it uses) re-check the code that names the class.
    """
    from ._read import plain

    add_dependency = getattr(getattr(ctx.api, "api", None), "add_plugin_dependency", None)
    if add_dependency is not None:
        for base in info.mro:
            if base.fullname == MODULE:
                break
            if "forward" in base.names:
                add_dependency(make_trigger(f"{base.fullname}.forward"))
                break
    return plain(ctx)
