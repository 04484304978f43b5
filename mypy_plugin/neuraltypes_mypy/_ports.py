"""The declared ports of a function: its parameters' and return's neural types.

They are read from the annotations **as written** (``FuncDef.unanalyzed_type``),
resolved in the function's module, with the same metadata reader the
type-analyze hooks use. Why not from the analysed signature: mypy shares a
parameter's type object between the signature and the parameter's variable, and
checking the function's body may drop ``extra_attrs`` from it in place (e.g.
``y = x if c else z``). Whether that happened before a caller is checked depends
on the order mypy checks modules in, so reading the analysed signature gave
different errors on cold and warm runs. A function loaded from the cache has no
unanalysed type; its analysed signature then comes straight from the cache, written
before any body was checked, and is read instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Union

from mypy.nodes import (
    FUNC_NO_INFO,
    Decorator,
    Expression,
    FuncDef,
    MemberExpr,
    MypyFile,
    NameExpr,
    SymbolTable,
    TypeAlias,
    TypeInfo,
)
from mypy.types import (
    CallableType,
    EllipsisType,
    Instance,
    NoneType,
    TupleType,
    Type,
    UnboundType,
    UnionType,
)

from ._carry import Neural, RetPort, as_proper, is_tensor, neural_of, ret_port_of
from ._meta import Meta, is_jaxtyping_name, read_types
from ._names import (
    ANNOTATED_NAMES,
    KEEPS_SIGNATURE_NAME,
    OPTIONAL_NAMES,
    PACKAGE,
    TENSOR_NAMES,
    TUPLE_NAMES,
    UNION_NAMES,
)

__all__ = ["Ports", "ports_of", "callable_of"]


class Ports:
    """A function's ports, one per formal of its signature (``self`` included)."""

    __slots__ = ("owner", "names", "args", "ret", "signature", "ret_type")

    def __init__(
        self,
        owner: str,
        names: tuple[str | None, ...],
        args: tuple[Neural | None, ...],
        ret: RetPort,
        signature: CallableType,
    ) -> None:
        self.owner = owner  # the function's qualified name, as the runtime names it
        self.names = names
        self.args = args
        self.ret = ret
        self.signature = signature  # the signature mypy checks calls against
        #: the declared return type carrying ``ret`` (made once, handed out as copies)
        self.ret_type: Type | None = None

    @property
    def any(self) -> bool:
        return self.ret is not None or any(a is not None for a in self.args)


class _Unknown:
    """A name the plugin could not resolve: fall back to the analysed type."""


_UNKNOWN = _Unknown()
_Read = Union[Neural, None, _Unknown]
_Scopes = Sequence[SymbolTable]


def _keeps_signature(decorator: Expression) -> bool:
    """``@typecheck()`` (neuraltypes' own decorator keeps the signature)."""
    target = getattr(decorator, "callee", decorator)
    if not isinstance(target, (NameExpr, MemberExpr)):
        return False
    fullname = target.fullname or ""
    return fullname.startswith(PACKAGE) and fullname.rpartition(".")[2] == KEEPS_SIGNATURE_NAME


def _function(node: object) -> tuple[FuncDef, CallableType, bool] | None:
    """The function behind ``node``, the signature calls are checked against, and
    whether that signature is the function's own (not reshaped by a decorator)."""
    if isinstance(node, FuncDef):
        sig = as_proper(node.type) if node.type is not None else None
        return (node, sig, True) if isinstance(sig, CallableType) else None
    if isinstance(node, Decorator):
        func = node.func
        own = as_proper(func.type) if func.type is not None else None
        if not isinstance(own, CallableType):
            return None
        if all(_keeps_signature(d) for d in node.decorators):
            return func, own, True
        typ = as_proper(node.var.type) if node.var.type is not None else None
        if not isinstance(typ, CallableType):
            return None
        same = typ.arg_names == own.arg_names and typ.arg_kinds == own.arg_kinds
        return func, typ, same
    return None


def callable_of(node: object) -> CallableType | None:
    """The signature calls of ``node`` (a function, maybe decorated) are checked against."""
    found = _function(node)
    return None if found is None else found[1]


def _scopes(func: FuncDef, modules: Mapping[str, MypyFile]) -> tuple[list[SymbolTable], str]:
    info = func.info
    if info is not FUNC_NO_INFO and isinstance(info, TypeInfo):
        module_name = info.module_name
        tables = [info.names]
    else:
        module_name = func.fullname.rpartition(".")[0]
        tables = []
    module = modules.get(module_name)
    if module is not None:
        tables.append(module.names)
        owner = func.fullname[len(module_name) + 1 :]
    else:
        owner = func.name
    builtins = modules.get("builtins")
    if builtins is not None:
        tables.append(builtins.names)
    return tables, owner


def _resolve(name: str, scopes: _Scopes) -> object:
    head, _, rest = name.partition(".")
    node: object = None
    for table in scopes:
        sym = table.get(head)
        if sym is not None:
            node = sym.node
            break
    while rest and node is not None:
        part, _, rest = rest.partition(".")
        if not isinstance(node, (MypyFile, TypeInfo)):
            return None
        sym = node.names.get(part)
        node = None if sym is None else sym.node
    return node


def _is_none(t: Type) -> bool:
    if isinstance(t, UnboundType):
        return t.name in ("None", "builtins.None")
    return isinstance(as_proper(t), NoneType)


def _union(items: Sequence[Type], scopes: _Scopes, depth: int) -> _Read:
    members = [t for t in items if not _is_none(t)]
    if len(members) != 1:
        return None
    return _read(members[0], scopes, depth + 1)


def _annotated_base(t: Type, scopes: _Scopes, depth: int) -> tuple[bool, Neural | None] | None:
    """Whether the first argument of ``Annotated`` is a Tensor, and the neural type it
    carries already (``Annotated[Spec, ...]``); None when unknown."""
    if not isinstance(t, UnboundType):
        return None
    node = _resolve(t.name, scopes)
    if isinstance(node, TypeInfo):
        return node.fullname in TENSOR_NAMES, None
    if isinstance(node, TypeAlias):
        target = as_proper(node.target)
        return isinstance(target, Instance) and is_tensor(target), neural_of(target)
    if getattr(node, "fullname", None) in ANNOTATED_NAMES:
        inner = _read(t, scopes, depth + 1)
        if isinstance(inner, _Unknown):
            return None
        return inner is not None, inner
    return None if node is None else (False, None)


def _annotated(t: UnboundType, scopes: _Scopes, depth: int) -> _Read:
    """As ``_read.analyze_annotated`` decides: a malformed annotation is unchecked;
    unreadable metadata leaves the inner type."""
    if len(t.args) < 2:
        return None
    base = _annotated_base(t.args[0], scopes, depth)
    if base is None:
        return _UNKNOWN
    tensor, inner = base
    if not tensor:
        return None
    jaxtyping = is_jaxtyping_name(t.name)
    meta = Meta()
    if inner is not None:
        meta.add(inner)
        jaxtyping = jaxtyping or inner.jaxtyping
    read_types(t.args[1:], lambda name: _resolve(name, scopes), meta)
    neural, error = meta.neural(jaxtyping)  # the type-analyze hook reported the error
    if error is not None:
        return None
    return inner if neural is None else neural


def _read(t: Type | None, scopes: _Scopes, depth: int) -> _Read:
    """The neural type an annotation as written declares."""
    if t is None or depth > 8:
        return _UNKNOWN
    if isinstance(t, UnboundType):
        node = _resolve(t.name, scopes)
        if node is None:
            return _UNKNOWN
        if isinstance(node, TypeAlias):
            return None if node.alias_tvars else neural_of(node.target)
        fullname = getattr(node, "fullname", None)
        if fullname in ANNOTATED_NAMES:
            return _annotated(t, scopes, depth)
        if fullname in OPTIONAL_NAMES:
            return _read(t.args[0], scopes, depth + 1) if len(t.args) == 1 else None
        if fullname in UNION_NAMES:
            return _union(t.args, scopes, depth)
        return None
    if isinstance(t, UnionType):
        return _union(t.items, scopes, depth)
    return neural_of(t)  # an analysed type: the function came from the cache


def _port(t: Type | None, analysed: Type, scopes: _Scopes) -> Neural | None:
    found = _read(t, scopes, 0)
    return neural_of(analysed) if isinstance(found, _Unknown) else found


def _ret(t: Type | None, analysed: Type, scopes: _Scopes) -> RetPort:
    proper = as_proper(analysed)
    if not isinstance(proper, TupleType):
        return _port(t, analysed, scopes)
    if isinstance(t, UnboundType):  # tuple[A, B] as written: read each item
        node = _resolve(t.name, scopes)
        if (
            getattr(node, "fullname", None) in TUPLE_NAMES
            and len(t.args) == len(proper.items)
            and not any(isinstance(a, EllipsisType) for a in t.args)
        ):
            items = tuple(_port(a, b, scopes) for a, b in zip(t.args, proper.items))
            return items if any(i is not None for i in items) else None
        if isinstance(node, TypeAlias):
            return ret_port_of(node.target)
    return ret_port_of(proper)


def ports_of(node: object, modules: Mapping[str, MypyFile]) -> Ports | None:
    """The ports of a function or decorated function, or None if mypy has no
    signature for it."""
    found = _function(node)
    if found is None:
        return None
    func, sig, own = found
    scopes, owner = _scopes(func, modules)
    written = as_proper(func.unanalyzed_type) if func.unanalyzed_type else None
    if (
        not own
        or not isinstance(written, CallableType)
        or len(written.arg_types) != len(sig.arg_types)
    ):
        args = tuple(neural_of(t) for t in sig.arg_types)
        return Ports(owner, tuple(sig.arg_names), args, ret_port_of(sig.ret_type), sig)
    args = tuple(_port(w, a, scopes) for w, a in zip(written.arg_types, sig.arg_types))
    ret = _ret(written.ret_type, sig.ret_type, scopes)
    return Ports(owner, tuple(sig.arg_names), args, ret, sig)
