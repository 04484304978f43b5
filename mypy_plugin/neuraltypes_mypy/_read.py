"""Type-analyze hooks: neural types from annotations as mypy analyses them.

- Inline ``Annotated[Tensor, "B D T", SpectrogramType]`` (and jaxtyping's
  ``Float[Tensor, "b t d"]``, which static checkers see as ``Annotated``): the
  ``typing.Annotated`` hook sees the unanalysed metadata.
- An alias definition ``Spec = Annotated[...]``: that hook does not fire there;
  the hook for ``Tensor`` itself does, while the assignment is the statement being
  analysed, so the metadata expressions are read from it.
- An alias use ``x: Spec``: the hook for the alias's full name returns a new copy
  of the alias target, which carries the neural type.

Each hook gives mypy what mypy itself would build (same errors for bad arguments),
plus the neural type.
"""

from __future__ import annotations

from typing import Any

from mypy.errorcodes import VALID_TYPE
from mypy.nodes import (
    AssignmentStmt,
    CallExpr,
    Expression,
    IndexExpr,
    MemberExpr,
    NameExpr,
    OpExpr,
    StrExpr,
    TupleExpr,
    TypeAlias,
    TypeInfo,
)
from mypy.plugin import AnalyzeTypeContext
from mypy.types import (
    AnyType,
    Instance,
    Type,
    TypeOfAny,
    UnboundType,
    UnionType,
)

from neuraltypes._core.spec_errors import metadata_not_on_tensor

from ._carry import StrType, as_proper, is_tensor, neural_of, with_neural, without_neural
from ._codes import SPEC
from ._meta import (
    Lookup,
    Meta,
    annotation_of,
    element_of,
    is_jaxtyping_name,
    read_types,
)
from ._names import ANNOTATED_NAMES, UNION_NAMES
from ._state import BuildState

__all__ = [
    "analyze_annotated",
    "analyze_tensor",
    "analyze_union",
    "expand_alias",
    "use_alias",
    "plain",
]

_ANNOTATED_ARITY = "Annotated[...] must have exactly one type argument and at least one annotation"


def _lookup_in(ctx: AnalyzeTypeContext) -> Lookup:
    find = ctx.api.lookup_qualified  # type: ignore[attr-defined]  # the TypeAnalyser's

    def lookup(name: str) -> object:
        sym = find(name, ctx.context, suppress_errors=True)
        return None if sym is None else sym.node

    return lookup


def _str(ctx: AnalyzeTypeContext) -> StrType:
    return lambda: ctx.api.named_type("builtins.str", [])


def _report(ctx: AnalyzeTypeContext, message: str) -> None:
    ctx.api.fail(f"neural type annotation: {message}", ctx.context, code=SPEC)


def _with_info(ctx: AnalyzeTypeContext, info: TypeInfo) -> Type:
    """What mypy builds for a class named in an annotation (its own errors for
    type arguments included)."""
    build = ctx.api.analyze_type_with_type_info  # type: ignore[attr-defined]
    result: Type = build(info, ctx.type.args, ctx.type, ctx.type.empty_tuple_index)
    return result


def analyze_annotated(state: BuildState, ctx: AnalyzeTypeContext) -> Type:
    """``Annotated[T, ...]`` / ``Float[T, "..."]``: T as mypy analyses it, carrying
    the neural type when T is a Tensor."""
    args = ctx.type.args
    if len(args) < 2:
        ctx.api.fail(_ANNOTATED_ARITY, ctx.type, code=VALID_TYPE)
        return AnyType(TypeOfAny.from_error)
    api: Any = ctx.api  # the TypeAnalyser
    base: Type = api.anal_type(
        args[0], allow_typed_dict_special_forms=api.allow_typed_dict_special_forms
    )
    proper = as_proper(base)
    lookup = _lookup_in(ctx)
    jaxtyping = is_jaxtyping_name(ctx.type.name)
    if not isinstance(proper, Instance) or not is_tensor(proper):
        if not jaxtyping and any(
            isinstance(item, UnboundType)
            and item.original_str_expr is None
            and element_of(lookup(item.name)) is not None
            for item in args[1:]
        ):
            shown = proper.type.name if isinstance(proper, Instance) else str(base)
            _report(ctx, metadata_not_on_tensor(shown))
        return base
    meta, jaxtyping = annotation_of(ctx.type.name, neural_of(proper))
    read_types(args[1:], lookup, meta)
    carrying = _carrying(state, ctx, proper, meta, jaxtyping)
    return base if carrying is None else carrying


def _carrying(
    state: BuildState, ctx: AnalyzeTypeContext, tensor: Instance, meta: Meta, jaxtyping: bool
) -> Type | None:
    """``tensor`` carrying the neural type ``meta`` gives (a plain one, after
    reporting, when it is malformed), or None when the metadata is not neural. The
    annotated code depends on the element classes it names (under the daemon)."""
    for element in meta.elements:
        state.depend_on(ctx, element)
    neural, error = meta.neural(jaxtyping)
    if error is not None:
        _report(ctx, error)
        return with_neural(state, tensor, None, _str(ctx))
    if neural is None:
        return None
    return with_neural(state, tensor, neural, _str(ctx))


def _read_exprs(items: list[Expression], lookup: Lookup, meta: Meta | None = None) -> Meta:
    meta = meta or Meta()
    for item in items:
        if isinstance(item, StrExpr):
            meta.axes.append(item.value)
        elif isinstance(item, (NameExpr, MemberExpr)):
            name = _dotted(item)
            meta.add_named(lookup(name) if name else None)
        else:
            meta.opaque = True
    return meta


def _dotted(expr: Expression) -> str | None:
    if isinstance(expr, NameExpr):
        return expr.name
    if isinstance(expr, MemberExpr):
        head = _dotted(expr.expr)
        return None if head is None else f"{head}.{expr.name}"
    return None


def _find_annotated(expr: Expression, ctx: AnalyzeTypeContext, depth: int = 0) -> IndexExpr | None:
    """The ``Annotated[Tensor, ...]`` (or ``Float[Tensor, ...]``) inside an alias's
    right-hand side (also in ``Optional[...]``, ``X | None``) whose Tensor is the one
    being analysed."""
    if depth > 8:
        return None
    if isinstance(expr, IndexExpr):
        index = expr.index
        items = index.items if isinstance(index, TupleExpr) else [index]
        first = items[0] if items else None
        if (
            first is not None
            and len(items) >= 2
            and (first.line, first.column) == (ctx.context.line, ctx.context.column)
            and isinstance(expr.base, (NameExpr, MemberExpr))
        ):
            return expr
        for item in items:
            found = _find_annotated(item, ctx, depth + 1)
            if found is not None:
                return found
    elif isinstance(expr, OpExpr):
        return _find_annotated(expr.left, ctx, depth + 1) or _find_annotated(
            expr.right, ctx, depth + 1
        )
    return None


def _alias_items(ctx: AnalyzeTypeContext, lookup: Lookup) -> tuple[list[Expression], str] | None:
    """When the statement being analysed is an alias definition such as
    ``X = Annotated[Tensor, ...]`` (or a jaxtyping ``Float[Tensor, ...]``, also
    inside ``Optional[...]``) and this Tensor is the annotated one: the metadata
    expressions, and the form's name as written (``Float``: jaxtyping style)."""
    stmt = ctx.api.api.statement  # type: ignore[attr-defined]  # the SemanticAnalyzer's
    if not isinstance(stmt, AssignmentStmt) or isinstance(stmt.rvalue, CallExpr):
        return None
    found = _find_annotated(stmt.rvalue, ctx)
    if found is None:
        return None
    base = found.base
    assert isinstance(base, (NameExpr, MemberExpr))
    fullname = base.fullname or getattr(lookup(_dotted(base) or ""), "fullname", "") or ""
    if fullname not in ANNOTATED_NAMES:
        return None
    index = found.index
    assert isinstance(index, TupleExpr)
    return list(index.items[1:]), _dotted(base) or ""


def _union_items(expr: Expression) -> list[Expression]:
    """The items of ``A | B | C`` (``[expr]`` when it is not such a union)."""
    if isinstance(expr, OpExpr) and expr.op == "|":
        return _union_items(expr.left) + _union_items(expr.right)
    return [expr]


def _one_of_several(stmt: AssignmentStmt, ctx: AnalyzeTypeContext) -> bool:
    """In an alias definition ``X = A | B``: whether the type being analysed is in an
    item of the union and another item is not None. A value of such an alias is one
    of several neural types, so it carries none (:func:`analyze_union`'s rule for
    ``Union[A, B]``), and mypy shows the union as it does without the plugin."""
    items = _union_items(stmt.rvalue)
    others = [i for i in items if not (isinstance(i, NameExpr) and i.fullname == "builtins.None")]
    if len(others) < 2:
        return False
    here = (ctx.context.line, ctx.context.column)
    return any(
        (isinstance(item, (NameExpr, MemberExpr)) and (item.line, item.column) == here)
        or _find_annotated(item, ctx) is not None
        for item in items
    )


def analyze_tensor(state: BuildState, ctx: AnalyzeTypeContext) -> Type:
    """``Tensor``: what mypy builds; inside an alias definition
    ``Spec = Annotated[Tensor, ...]``, a Tensor carrying the alias's neural type."""
    lookup = _lookup_in(ctx)
    node = lookup(ctx.type.name)
    base = _with_info(ctx, node) if isinstance(node, TypeInfo) else None
    if base is None:
        base = ctx.api.named_type("torch._tensor.Tensor", [])
    proper = as_proper(base)
    if ctx.type.args or not isinstance(proper, Instance):
        return base
    found = _alias_items(ctx, lookup)
    if found is None or _one_of_several(ctx.api.api.statement, ctx):  # type: ignore[attr-defined]
        return base
    items, written = found
    meta, jaxtyping = annotation_of(written, None)
    carrying = _carrying(state, ctx, proper, _read_exprs(items, lookup, meta), jaxtyping)
    return base if carrying is None else carrying


def analyze_union(state: BuildState, ctx: AnalyzeTypeContext) -> Type:
    """``Union[...]`` as mypy builds it, except that several tensor items lose their
    neural types: a value that is one of several neural types is unknown (gradual),
    and identical plain ``Tensor`` items collapse as they do without the plugin."""
    items: list[Type] = ctx.api.anal_array(ctx.type.args)  # type: ignore[attr-defined]
    tensors = [i for i, item in enumerate(items) if is_tensor(as_proper(item))]
    if len(tensors) > 1:
        for i in tensors:
            proper = as_proper(items[i])
            if isinstance(proper, Instance) and proper.extra_attrs is not None:
                items[i] = with_neural(state, proper, None, _str(ctx))
    return UnionType.make_union(items, line=ctx.type.line, column=ctx.type.column)


def expand_alias(
    state: BuildState, fullname: str, target: Instance, ctx: AnalyzeTypeContext
) -> Type:
    """A use of a neural alias when fine-grained dependencies are kept (the daemon,
    or a cache it will start from): :func:`use_alias`, plus what mypy's own
    expansion would record: the use of the alias and a dependency on it, and a
    dependency on its element class, so the annotated code is checked again when
    either changes. (mypy says nothing about type arguments given to a non-generic
    alias; neither does this.)"""
    ctx.api.aliases_used.add(fullname)  # type: ignore[attr-defined]
    state.depend_on(ctx, fullname)
    carried = neural_of(target)
    if carried is not None and carried.element is not None:
        state.depend_on(ctx, carried.element)
    return use_alias(state, target, ctx)


def use_alias(state: BuildState, target: Instance, ctx: AnalyzeTypeContext) -> Type:
    """A use of a neural alias: a new copy of its target, which carries the neural
    type (mypy's own expansion drops it). In the definition of another alias that
    extends it with a jaxtyping form (``TimeSeries2d = Float[TimeSeries1d,
    "channel"]``), the copy carries the extended type (``"channel time"``: see
    ``Meta.add_inner``); a type-analyze hook does not fire for the form there."""
    copy = target.copy_modified()  # with the target's ExtraAttrs (shared, never changed)
    copy.line, copy.column = ctx.type.line, ctx.type.column
    stmt = ctx.api.api.statement  # type: ignore[attr-defined]  # the SemanticAnalyzer's
    if not isinstance(stmt, AssignmentStmt):
        return copy  # the usual case: a signature, a variable's annotation
    if _one_of_several(stmt, ctx):
        return without_neural(copy)
    lookup = _lookup_in(ctx)
    found = _alias_items(ctx, lookup)
    if found is None or not is_jaxtyping_name(found[1]):
        return copy
    items, written = found
    meta, jaxtyping = annotation_of(written, neural_of(target))
    carrying = _carrying(state, ctx, copy, _read_exprs(items, lookup, meta), jaxtyping)
    return copy if carrying is None else carrying


def plain(ctx: AnalyzeTypeContext) -> Type:
    """The annotation as mypy would analyse it without neural types (the answer of
    a hook that failed)."""
    node = _lookup_in(ctx)(ctx.type.name)
    if isinstance(node, TypeInfo):
        return _with_info(ctx, node)
    if isinstance(node, TypeAlias) and isinstance(node.target, Instance):
        return without_neural(node.target)
    fullname = getattr(node, "fullname", None)
    if fullname in ANNOTATED_NAMES and ctx.type.args:
        return ctx.api.analyze_type(ctx.type.args[0])
    if fullname in UNION_NAMES:
        items = [ctx.api.analyze_type(arg) for arg in ctx.type.args]
        return UnionType.make_union(items, line=ctx.type.line, column=ctx.type.column)
    return AnyType(TypeOfAny.from_error)
