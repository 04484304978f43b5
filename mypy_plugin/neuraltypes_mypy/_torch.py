"""Neural types through torch: operations, standard layers and losses.

The rules are the core's (``neuraltypes._core.ops``: one table an operation, what
its result's axes and element are); this module only translates. A hook is handed
to mypy for every torch operation and every standard layer's call, and returns at
once when no argument carries a neural type (most calls: torch's own code
included). Then:

- each argument becomes what the rules read: a tensor's neural type, a literal
  (ints, tuples, slices, strings, ``None``, ``...``, ``torch.float32``), or "not a
  literal";
- the rule's problems (axes that do not broadcast, logits given to a loss that
  wants log-probs) are reported with the core's wording;
- its result rides on the call's type: a ``Tensor`` for operations (mypy's own
  type, now carrying a neural type); for a layer's call, whose type is ``Any`` to
  mypy, a ``Tensor`` carrying the result when the rules decided one (the value
  came from annotated code), else ``Any`` as before.

Anything the rules do not decide leaves mypy's type as it was: never a guess.
A layer's constructor arguments (``nn.Linear(256, 80)``, ``batch_first=True``)
ride on the layer instance's type (``extra_attrs``, as neural types do), so a call
of ``self.proj`` in another method still knows them.
"""

from __future__ import annotations

import json
from typing import Any, Union

from mypy.nodes import (
    ARG_NAMED,
    ARG_POS,
    CallExpr,
    EllipsisExpr,
    Expression,
    FloatExpr,
    IndexExpr,
    IntExpr,
    ListExpr,
    MemberExpr,
    NameExpr,
    OpExpr,
    SliceExpr,
    StrExpr,
    TupleExpr,
    UnaryExpr,
)
from mypy.plugin import AttributeContext, FunctionContext, MethodContext
from mypy.types import AnyType, Instance, LiteralType, Type, TypeOfAny

from neuraltypes._core import render_axes
from neuraltypes._core.ops import (
    MODULE_NAMES,
    NOT_LITERAL,
    OP_NAMES,
    SCALAR,
    UNKNOWN_TENSOR,
    Dtype,
    TensorType,
    propagate,
    propagate_module,
)

from ._calls import call_arguments, carried
from ._carry import Neural, as_proper, is_tensor, neural, str_type, with_neural
from ._codes import CODES
from ._state import BuildState

__all__ = [
    "torch_op",
    "torch_attribute",
    "torch_layer_init",
    "torch_layer_call",
    "INIT_KEY",
]

#: the constructor arguments of a standard layer, on its instance's type
INIT_KEY = "<layer arguments>"  # (not an identifier: out of user code's reach)

CallContext = FunctionContext | MethodContext


def _carries(typ: Type | None) -> bool:
    """Whether a type may carry a neural type (a cheap test, asked for every torch
    call: a Tensor with ``extra_attrs``, or an ``Any``)."""
    return isinstance(typ, AnyType) or (isinstance(typ, Instance) and typ.extra_attrs is not None)


# -- operations -----------------------------------------------------------------


def torch_op(op: str, state: BuildState, ctx: CallContext) -> Type:
    """A call of a torch operation (a method, a function, an operator)."""
    receiver = ctx.type if isinstance(ctx, MethodContext) else None
    if not _carries(receiver) and not any(_carries(t) for ts in ctx.arg_types for t in ts):
        return ctx.default_return_type
    if op not in OP_NAMES:
        return ctx.default_return_type
    args, kwargs = _arguments(ctx, state)
    if isinstance(ctx, MethodContext):
        args.insert(0, _receiver_arg(ctx, state, reversed_operator=op.startswith("Tensor.__r")))
    result, problems = _decided(state, (op, None), args, kwargs)
    _report(ctx, problems)
    return _typed(state, ctx.default_return_type, result, ctx)


def torch_attribute(op: str, state: BuildState, ctx: AttributeContext) -> Type:
    """A torch property of a tensor (``x.T``, ``x.mT``)."""
    if not _carries(ctx.type):
        return ctx.default_attr_type
    if op not in OP_NAMES:
        return ctx.default_attr_type
    expr = ctx.context.expr if isinstance(ctx.context, MemberExpr) else None
    result, problems = _decided(state, (op, None), [_tensor_arg(ctx, state, expr, ctx.type)], {})
    _report(ctx, problems)
    return _typed(state, ctx.default_attr_type, result, ctx)


# -- standard layers --------------------------------------------------------------


def torch_layer_init(state: BuildState, ctx: FunctionContext) -> Type:
    """``nn.Linear(256, 80)``: the instance's type carries the constructor's
    literal arguments (only literals: a variable's value is not known), for the
    layers whose rule reads them (``_dispatch`` hands this hook to those only)."""
    made = ctx.default_return_type
    if not isinstance(made, Instance):
        return made
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for expr, _, kind, name in call_arguments(ctx):
        value = _json_literal(expr)
        if kind == ARG_POS:
            args.append(value)
        elif kind == ARG_NAMED and name is not None:
            kwargs[name] = value
        else:
            return made  # *args / **kwargs: the arguments are not known
    copy = made.copy_modified()
    copy.extra_attrs = state.extra_attrs(INIT_KEY, json.dumps([args, kwargs]), str_type(ctx))
    return copy


def torch_layer_call(state: BuildState, ctx: MethodContext) -> Type:
    """A call of a standard layer or loss (``self.proj(x)``, ``ctc(lp, ...)``)."""
    if not any(_carries(t) for ts in ctx.arg_types for t in ts):
        return ctx.default_return_type
    layer = as_proper(ctx.type)
    if not isinstance(layer, Instance) or layer.type.fullname not in MODULE_NAMES:
        return ctx.default_return_type
    args, kwargs = _arguments(ctx, state)
    question = (layer.type.fullname, _init_text(layer))
    result, problems = _decided(state, question, args, kwargs)
    _report(ctx, problems)
    if result is None:
        return ctx.default_return_type
    tensor = ctx.api.named_generic_type("torch.Tensor", [])
    return with_neural(state, tensor, result, str_type(ctx))


def _init_text(layer: Instance) -> str | None:
    """The constructor's arguments a layer's type carries (JSON), or None."""
    extra = layer.extra_attrs
    value = extra.attrs.get(INIT_KEY) if extra is not None else None
    value = as_proper(value) if value is not None else None
    if not isinstance(value, LiteralType) or not isinstance(value.value, str):
        return None
    return value.value


def _init_of(text: str | None) -> tuple[list[Any], dict[str, Any]] | None:
    """The constructor's arguments as the rules read them."""
    if text is None:
        return None
    args, kwargs = json.loads(text)
    return [_from_json(a) for a in args], {k: _from_json(v) for k, v in kwargs.items()}


# -- what the rules decide ---------------------------------------------------------

#: What the rules decided for a call: the result's neural type (None: a plain
#: Tensor, or not a Tensor) and the problems to report.
Decided = tuple[Union[Neural, None], tuple[Any, ...]]


def _decided(
    state: BuildState, question: tuple[str, str | None], args: list[Any], kwargs: dict[str, Any]
) -> Decided:
    """What the rules decide for a call of an operation, ``(full name, None)``, or
    of a layer, ``(class full name, its constructor's arguments)``, with these
    arguments (a carried type is its :class:`Neural`). Remembered by the
    arguments' values for the build: real code asks the same question many times
    (every block of a model calls its layers alike)."""
    key = (question, _hashable(tuple(args)), _hashable(tuple(sorted(kwargs.items()))))
    return state.remembered(
        "torch outcomes", key, lambda _: _decide(state, question, args, kwargs)
    )


def _decide(
    state: BuildState, question: tuple[str, str | None], args: list[Any], kwargs: dict[str, Any]
) -> Decided:
    name, init = question
    rules_args = [_rules_arg(state, a) for a in args]
    rules_kwargs = {k: _rules_arg(state, v) for k, v in kwargs.items()}
    if name in MODULE_NAMES:
        outcome = propagate_module(name, _init_of(init), rules_args, rules_kwargs)
    else:
        outcome = propagate(name, rules_args, rules_kwargs)
    return _neural(outcome.result), outcome.problems


def _rules_arg(state: BuildState, value: Any) -> Any:
    """An argument as the rules read it: a carried type as a ``TensorType``."""
    if isinstance(value, Neural):
        return _tensor_type(state, value)
    if isinstance(value, tuple):
        return tuple(_rules_arg(state, v) for v in value)
    return value


def _hashable(value: Any) -> Any:
    """An argument as part of a key: its class too (``1``, ``True`` and ``1.0`` are
    different arguments), a slice as its parts (slices are not hashable)."""
    if isinstance(value, tuple):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, slice):
        return (slice, value.start, value.stop, value.step)
    return (value.__class__, value)


# -- arguments -------------------------------------------------------------------


def _arguments(ctx: CallContext, state: BuildState) -> tuple[list[Any], dict[str, Any]]:
    """A call's arguments, positional and keywords: literals, markers, and each
    tensor's carried :class:`Neural` (see ``_decided``)."""
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for expr, typ, kind, name in call_arguments(ctx):
        value = _arg(ctx, state, expr, typ)
        if kind == ARG_POS:
            args.append(value)
        elif kind == ARG_NAMED and name is not None:
            kwargs[name] = value
        else:  # *xs / **kw: what follows is not known
            args.append(NOT_LITERAL)
    return args, kwargs


def _receiver_arg(ctx: MethodContext, state: BuildState, reversed_operator: bool) -> Any:
    """The tensor a method is called on (``x`` in ``x.transpose(1, 2)``, ``x + y``,
    ``x[0]``, and in ``2 * x``, which calls ``x.__rmul__(2)``)."""
    context = ctx.context
    expr: Expression | None = None
    if isinstance(context, CallExpr) and isinstance(context.callee, MemberExpr):
        expr = context.callee.expr
    elif isinstance(context, OpExpr):
        expr = context.right if reversed_operator else context.left
    elif isinstance(context, IndexExpr):
        expr = context.base
    return _tensor_arg(ctx, state, expr, ctx.type)


def _tensor_arg(ctx: Any, state: BuildState, expr: Expression | None, typ: Type) -> Any:
    found = carried(ctx, state, expr, typ)
    if found is not None:
        return found
    return UNKNOWN_TENSOR if is_tensor(as_proper(typ)) else NOT_LITERAL


def _arg(ctx: Any, state: BuildState, expr: Expression, typ: Type) -> Any:
    """One argument: a tensor's type, a literal, or a marker."""
    literal = _literal(expr)
    if literal is not _NOT:
        return literal
    if isinstance(expr, (TupleExpr, ListExpr)):  # torch.cat([a, b], dim=1)
        return tuple(_arg(ctx, state, e, _type_of(ctx, e)) for e in expr.items)
    proper = as_proper(typ)
    if is_tensor(proper) or isinstance(proper, AnyType):
        return _tensor_arg(ctx, state, expr, typ)
    if isinstance(proper, Instance) and proper.type.fullname in ("builtins.int", "builtins.float"):
        return SCALAR
    return NOT_LITERAL


def _type_of(ctx: Any, expr: Expression) -> Type:
    """The type mypy inferred for an expression it has checked (an item of a list
    argument), or ``Any``."""
    found = ctx.api.lookup_type_or_none(expr)
    return found if found is not None else AnyType(TypeOfAny.special_form)


class _Not:
    """Not a literal."""


_NOT = _Not()


def _literal(expr: Expression) -> Any:
    """The value of a literal argument, or ``_NOT``."""
    if isinstance(expr, IntExpr | FloatExpr | StrExpr):
        return expr.value
    if isinstance(expr, UnaryExpr) and expr.op == "-" and isinstance(expr.expr, IntExpr):
        return -expr.expr.value
    if isinstance(expr, EllipsisExpr):
        return ...
    if isinstance(expr, NameExpr) and expr.fullname in _CONSTANTS:
        return _CONSTANTS[expr.fullname]
    if isinstance(expr, MemberExpr) and (expr.fullname or "").startswith("torch."):
        dtype = _DTYPES.get(expr.fullname)
        if dtype is not None:
            return Dtype(dtype)
        return _NOT
    if isinstance(expr, SliceExpr):
        parts = [
            None if e is None else _literal(e)
            for e in (expr.begin_index, expr.end_index, expr.stride)
        ]
        if any(p is _NOT for p in parts):
            return _NOT
        return slice(*parts)
    if isinstance(expr, TupleExpr):
        items = [_literal(e) for e in expr.items]
        if any(i is _NOT for i in items):
            return _NOT
        return tuple(items)
    return _NOT


_CONSTANTS = {"builtins.None": None, "builtins.True": True, "builtins.False": False}
#: a torch dtype's full name (``torch.int64``; torch's stubs define it in ``torch._C``)
#: -> its name
_DTYPES = {
    f"{module}.{name}": name
    for name in (
        "float16 float32 float64 bfloat16 half float double int8 int16 int32 int64 uint8 "
        "long int short bool complex64 complex128"
    ).split()
    for module in ("torch", "torch._C")
}


def _json_literal(expr: Expression) -> Any:
    """A constructor argument for the instance's type: JSON (ints, floats, strings,
    booleans, None, lists for tuples), or ``{"?": 1}`` for anything else."""
    value = _literal(expr)
    if value is _NOT or value is ... or isinstance(value, slice):
        return {"?": 1}
    if isinstance(value, tuple):
        return [v if not isinstance(v, (slice, type(...))) else {"?": 1} for v in value]
    if not isinstance(value, (int, float, str, bool, type(None))):
        return {"?": 1}
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        return NOT_LITERAL
    if isinstance(value, list):
        return tuple(_from_json(v) for v in value)
    return value


# -- results -----------------------------------------------------------------------


def _tensor_type(state: BuildState, found: Neural) -> Any:
    """A carried neural type as the rules read it (the element as its bases' full
    names, read from its class)."""

    axes = found.parsed_axes()
    info = None if found.element is None else state.element_info(found.element)
    element = None if info is None else info.ancestors
    return TensorType(axes, element, found.dtype, found.jaxtyping)


def _neural(result: Any) -> Neural | None:
    """A rule's result as the plugin carries it (None: nothing known). Unknown axes
    with a known element are any axes (``...``): the element is checked, the axes
    are not."""

    if not isinstance(result, TensorType):
        return None
    if result.axes is None and result.element is None:
        return None
    axes = "..." if result.axes is None else render_axes(result.axes)
    element = result.element[0] if result.element else None
    return neural(axes, result.jaxtyping or result.axes is None, element, result.dtype)


def _typed(state: BuildState, default: Type, result: Neural | None, ctx: Any) -> Type:
    """mypy's type for the call, carrying the rule's result (where it is a Tensor)."""
    proper = as_proper(default)
    if not is_tensor(proper):
        return default
    assert isinstance(proper, Instance)
    return with_neural(state, proper, result, str_type(ctx))


def _report(ctx: Any, problems: tuple[Any, ...]) -> None:
    for problem in problems:
        ctx.api.fail(problem.render(), ctx.context, code=CODES[problem.mismatch.code])
