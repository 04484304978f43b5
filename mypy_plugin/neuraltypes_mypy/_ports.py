"""The declared ports of a function: its parameters' and return's neural types.

A parameter's analysed type normally carries its neural type, and then that is
the port. But mypy shares a parameter's type object between the signature and the
parameter's variable, and checking the function's body may drop ``extra_attrs``
from it in place (e.g. ``y = x if c else z``); whether that happened before a
caller is checked depends on the order mypy checks modules in. Dropping is the
only change mypy makes there, so a Tensor type that still carries a neural type is
the declared one, and one that carries none is re-read from its annotation **as
written** (``FuncDef.unanalyzed_type``), resolved in the function's module, with the
same metadata reader the type-analyze hooks use: the same ports on cold and warm
runs, in any order. A function loaded from the cache has no unanalysed type; its
analysed signature then comes straight from the cache, written before any body was
checked, and is read instead.
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
from ._meta import annotation_of, read_types
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

    __slots__ = ("func", "modules", "args", "ret", "signature", "ret_type", "checks", "any")

    def __init__(
        self,
        func: FuncDef,
        modules: Mapping[str, MypyFile],
        args: tuple[Neural | None, ...],
        ret: RetPort,
        signature: CallableType,
    ) -> None:
        self.func, self.modules = func, modules  # for ``owner``, asked only to report
        self.args = args
        self.ret = ret
        self.signature = signature  # the signature mypy checks calls against
        #: the declared return type carrying ``ret`` (made once, handed out as copies)
        self.ret_type: Type | None = None
        #: (position, neural type) of each parameter with one: what a call checks
        self.checks = [(i, n) for i, n in enumerate(args) if n is not None]
        #: whether any port has a neural type
        self.any = ret is not None or bool(self.checks)

    @property
    def owner(self) -> str:
        """The function's qualified name, as the runtime names it."""
        return _owner(self.func, _module_of(self.func), self.modules)

    @property
    def names(self) -> list[str | None]:
        return self.signature.arg_names

    def port_name(self, position: int) -> str:
        """The name messages give the port at ``position`` (``#2`` when it has none)."""
        return self.names[position] or f"#{position}"


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
        for decorator in node.decorators:
            if not _keeps_signature(decorator):
                break
        else:
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


def _module_of(func: FuncDef) -> str:
    info = func.info
    if info is not FUNC_NO_INFO and isinstance(info, TypeInfo):
        return info.module_name
    return func.fullname.rpartition(".")[0]


def _owner(func: FuncDef, module_name: str, modules: Mapping[str, MypyFile]) -> str:
    """The function's qualified name, as the runtime names it."""
    if module_name in modules:
        return func.fullname[len(module_name) + 1 :]
    return func.name


def _scopes(func: FuncDef, module_name: str, modules: Mapping[str, MypyFile]) -> list[SymbolTable]:
    """Where the names in the function's annotations are looked up."""
    info = func.info
    tables = [info.names] if info is not FUNC_NO_INFO and isinstance(info, TypeInfo) else []
    for name in (module_name, "builtins"):
        module = modules.get(name)
        if module is not None:
            tables.append(module.names)
    return tables


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
    meta, jaxtyping = annotation_of(t.name, inner)
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


def _tensorish(t: Type) -> bool:
    """A Tensor, or a union with a Tensor item: a type that may have lost the neural
    type it was declared with."""
    if isinstance(t, Instance):  # the usual case, first
        return t.type.fullname in TENSOR_NAMES
    proper = as_proper(t)
    if isinstance(proper, UnionType):
        return any(is_tensor(as_proper(item)) for item in proper.items)
    return is_tensor(proper)


class _Reader:
    """Reads ports as written, resolving names in the function's scopes (looked up
    the first time they are needed)."""

    __slots__ = ("func", "modules", "_scopes")

    def __init__(self, func: FuncDef, modules: Mapping[str, MypyFile]) -> None:
        self.func, self.modules = func, modules
        self._scopes: list[SymbolTable] | None = None

    @property
    def scopes(self) -> list[SymbolTable]:
        if self._scopes is None:
            self._scopes = _scopes(self.func, _module_of(self.func), self.modules)
        return self._scopes

    def port(self, written: Type | None, analysed: Type) -> Neural | None:
        # Checking a body only ever drops a neural type from a declaration's type
        # object (never changes one), so one still carried is the declared one.
        found = neural_of(analysed)
        if found is None and _tensorish(analysed):
            found = _port(written, analysed, self.scopes)
        return found

    def ret(self, written: Type | None, analysed: Type) -> RetPort:
        proper = as_proper(analysed)
        if not isinstance(proper, TupleType):
            return self.port(written, analysed)
        items = tuple(neural_of(item) for item in proper.items)
        if any(n is None and _tensorish(t) for n, t in zip(items, proper.items)):
            return _ret(written, analysed, self.scopes)  # a Tensor item lost its neural type
        return items if any(n is not None for n in items) else None


def ports_of(node: object, modules: Mapping[str, MypyFile]) -> Ports | None:
    """The ports of a function or decorated function, or None if mypy has no
    signature for it. (Read for every function a checked call names: the usual
    case, a parameter type that still carries its neural type, is one lookup.)"""
    found = _function(node)
    if found is None:
        return None
    func, sig, own = found
    analysed = sig.arg_types
    written = func.unanalyzed_type
    if not own or not isinstance(written, CallableType) or len(written.arg_types) != len(analysed):
        args = tuple([neural_of(t) for t in analysed])
        return Ports(func, modules, args, ret_port_of(sig.ret_type), sig)
    read = _Reader(func, modules)
    args = tuple([read.port(w, a) for w, a in zip(written.arg_types, analysed)])
    return Ports(func, modules, args, read.ret(written.ret_type, sig.ret_type), sig)
