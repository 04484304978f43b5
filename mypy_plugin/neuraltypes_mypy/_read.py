"""Reading neural types from annotations: inline ``Annotated``/jaxtyping, aliases.

- Inline ``Annotated[Tensor, "B D T", SpectrogramType]`` (and jaxtyping's
  ``Float[Tensor, "b t d"]``, which static checkers see as ``Annotated``): the
  ``typing.Annotated`` type-analyze hook sees the unanalysed metadata.
- An alias definition ``Spec = Annotated[...]``: that hook does not fire there;
  the hook for ``Tensor`` itself does, while the assignment is the statement being
  analysed, so the metadata expressions are read from it.
- An alias use ``x: Spec``: the hook for the alias's full name returns a copy of
  the alias target, which carries the neural type.
"""

from __future__ import annotations

from mypy.nodes import (
    AssignmentStmt,
    Expression,
    IndexExpr,
    MemberExpr,
    NameExpr,
    StrExpr,
    TupleExpr,
    TypeInfo,
)
from mypy.plugin import AnalyzeTypeContext
from mypy.server.trigger import make_trigger
from mypy.types import (
    AnyType,
    Instance,
    RawExpressionType,
    Type,
    TypeOfAny,
    UnboundType,
    UnionType,
    get_proper_type,
)

from neuraltypes._core import ELEMENT_FULLNAME, AxisSpecError, parse_axes

from ._carry import Neural, fresh, is_tensor, with_neural
from ._codes import SPEC
from ._names import ANNOTATED_NAMES

__all__ = ["analyze_annotated", "analyze_tensor", "analyze_union", "ANNOTATED_NAMES"]

_TENSOR_TYPE = "torch._tensor.Tensor"


class _Meta:
    """Metadata items gathered from one annotation."""

    def __init__(self) -> None:
        self.axes: list[str] = []
        self.elements: list[TypeInfo] = []
        self.opaque = False  # a call or something else we can't read statically
        self.bad: list[str] = []

    def neural(self, jaxtyping: bool) -> tuple[Neural | None, str | None]:
        """The neural type, or (None, an error message) / (None, None) to stay silent."""
        if self.opaque or (not self.axes and not self.elements):
            return None, None
        if self.bad:
            return None, (
                f"unexpected metadata {self.bad[0]}: expected an axis string and an element type"
            )
        if len(self.axes) > 1:
            return None, f"two axis strings, {self.axes[0]!r} and {self.axes[1]!r}"
        if len(self.elements) > 1:
            names = ", ".join(info.name for info in self.elements)
            return None, f"more than one element type ({names})"
        axes = self.axes[0] if self.axes else None
        if axes is not None:
            try:
                parse_axes(axes, jaxtyping=jaxtyping)
            except AxisSpecError as err:
                return None, f"malformed axis string: {err}"
        element: tuple[str, ...] = ()
        if self.elements:
            info = self.elements[0]
            element = (info.name, *(base.fullname for base in info.mro))
        return Neural(axes, jaxtyping, element), None


def _element(node: object) -> TypeInfo | None:
    if isinstance(node, TypeInfo) and any(b.fullname == ELEMENT_FULLNAME for b in node.mro):
        return node
    return None


def _lookup(ctx: AnalyzeTypeContext, name: str) -> object:
    lookup = getattr(ctx.api, "lookup_qualified", None)
    if lookup is None:
        return None
    sym = lookup(name, ctx.context, suppress_errors=True)
    return None if sym is None else sym.node


def _meta_from_types(ctx: AnalyzeTypeContext, items: list[Type]) -> _Meta:
    meta = _Meta()
    for item in items:
        if isinstance(item, RawExpressionType):
            if isinstance(item.literal_value, str):
                meta.axes.append(item.literal_value)
            elif item.literal_value is None:
                meta.opaque = True  # e.g. AudioSignal(16000): arguments are gone
            else:
                meta.bad.append(repr(item.literal_value))
        elif isinstance(item, UnboundType):
            if item.original_str_expr is not None:
                meta.axes.append(item.original_str_expr)
                continue
            info = _element(_lookup(ctx, item.name))
            if info is not None:
                meta.elements.append(info)
            else:
                meta.opaque = True
        else:
            meta.opaque = True
    return meta


def _report(ctx: AnalyzeTypeContext, message: str) -> None:
    ctx.api.fail(f"neural type annotation: {message}", ctx.context, code=SPEC)


def analyze_annotated(ctx: AnalyzeTypeContext) -> Type:
    """``Annotated[T, ...]`` / ``Float[T, "..."]``: T, carrying the neural type
    when T is a Tensor."""
    args = ctx.type.args
    if not args:
        return AnyType(TypeOfAny.from_error)
    base = ctx.api.analyze_type(args[0])
    proper = get_proper_type(base)
    if len(args) < 2 or not isinstance(proper, Instance) or not is_tensor(proper):
        return base
    jaxtyping = ctx.type.name.rsplit(".", 1)[-1] != "Annotated"
    neural, error = _meta_from_types(ctx, list(args[1:])).neural(jaxtyping)
    if error is not None:
        _report(ctx, error)
    if neural is None:
        return base
    return with_neural(proper, neural, ctx.api.named_type("builtins.str", []))


def _meta_from_exprs(ctx: AnalyzeTypeContext, items: list[Expression]) -> _Meta:
    meta = _Meta()
    for item in items:
        if isinstance(item, StrExpr):
            meta.axes.append(item.value)
        elif isinstance(item, (NameExpr, MemberExpr)):
            name = _dotted(item)
            info = _element(_lookup(ctx, name) if name else None)
            if info is not None:
                meta.elements.append(info)
            else:
                meta.opaque = True
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


def _alias_items(ctx: AnalyzeTypeContext) -> tuple[list[Expression], bool] | None:
    """When the statement being analysed is ``X = Annotated[Tensor, ...]`` (or a
    jaxtyping ``Float[Tensor, ...]``) and this Tensor is its first item: the
    metadata expressions, and whether it is jaxtyping style."""
    semanal = getattr(ctx.api, "api", None)
    stmt = getattr(semanal, "statement", None)
    if not isinstance(stmt, AssignmentStmt) or not isinstance(stmt.rvalue, IndexExpr):
        return None
    rvalue = stmt.rvalue
    if not isinstance(rvalue.base, (NameExpr, MemberExpr)) or not isinstance(
        rvalue.index, TupleExpr
    ):
        return None
    items = rvalue.index.items
    if len(items) < 2:
        return None
    first = items[0]
    if (first.line, first.column) != (ctx.context.line, ctx.context.column):
        return None
    base_name = rvalue.base.name
    fullname = rvalue.base.fullname or getattr(_lookup(ctx, base_name), "fullname", "") or ""
    if fullname not in ANNOTATED_NAMES and not fullname.startswith("jaxtyping"):
        return None
    # jaxtyping's Float/Int/... are Annotated to static checkers: the name tells them apart
    return list(items[1:]), base_name != "Annotated"


def analyze_tensor(ctx: AnalyzeTypeContext) -> Type:
    """``Tensor``: the plain Tensor type; inside an alias definition
    ``Spec = Annotated[Tensor, ...]``, one that carries the alias's neural type."""
    node = _lookup(ctx, ctx.type.name)
    if isinstance(node, TypeInfo):
        base = Instance(node, [], line=ctx.type.line, column=ctx.type.column)
    else:
        base = ctx.api.named_type(_TENSOR_TYPE, [])
    if ctx.type.args:
        return base
    found = _alias_items(ctx)
    if found is None:
        return base
    items, jaxtyping = found
    neural, error = _meta_from_exprs(ctx, items).neural(jaxtyping)
    if error is not None:
        _report(ctx, error)
    if neural is None:
        return base
    return with_neural(base, neural, ctx.api.named_type("builtins.str", []))


def analyze_union(ctx: AnalyzeTypeContext) -> Type:
    """``Union[...]`` as mypy builds it, except that several tensor items lose their
    neural types: a value that is one of several neural types is unknown (gradual),
    and identical plain ``Tensor`` items collapse as they do without the plugin."""
    anal_array = getattr(ctx.api, "anal_array", None)
    items: list[Type] = (
        anal_array(ctx.type.args)
        if anal_array is not None
        else [ctx.api.analyze_type(arg) for arg in ctx.type.args]
    )
    tensors = [i for i, item in enumerate(items) if is_tensor(get_proper_type(item))]
    if len(tensors) > 1:
        for i in tensors:
            proper = get_proper_type(items[i])
            if isinstance(proper, Instance) and proper.extra_attrs is not None:
                plain = proper.copy_modified()
                plain.extra_attrs = None
                items[i] = plain
    return UnionType.make_union(items, line=ctx.type.line, column=ctx.type.column)


def expand_alias(fullname: str, target: Instance, ctx: AnalyzeTypeContext) -> Type:
    """A use of a neural alias: a copy of its target, which carries the neural type.

    mypy's own alias expansion drops the metadata; and since this hook replaces it,
    it also records what mypy would: the annotated code depends on the alias (so
    the daemon re-checks it when the alias changes)."""
    semanal = getattr(ctx.api, "api", None)
    add_dependency = getattr(semanal, "add_plugin_dependency", None)
    if add_dependency is not None:
        add_dependency(make_trigger(fullname))
    return fresh(target)
