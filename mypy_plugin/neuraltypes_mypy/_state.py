"""What the plugin keeps while mypy runs: one :class:`BuildState` per plugin
instance, handed to every hook that needs it (``functools.partial``). There is no
other mutable state: the modules of the plugin hold constants and functions.

A plain mypy run is one build per plugin instance. The daemon (``dmypy``) keeps
one plugin instance for many builds, each after an edit; this class is the one
place that knows which of the two it is in, and decides what may be remembered:

- in a plain run, everything read from mypy's symbol tables (which hook answers a
  full name, a function's ports, how a module class's calls are checked, an element
  class's bases, the verdict on two neural types) is read once;
- under the daemon, an edit may change any of these, so they are read again each
  time; only values that no edit can change are kept (the ``ExtraAttrs`` carrying a
  neural type).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar, Union

from mypy.lookup import lookup_fully_qualified
from mypy.nodes import FuncItem, MypyFile, SymbolNode, TypeInfo
from mypy.options import Options
from mypy.plugin import AnalyzeTypeContext, AttributeContext, FunctionContext, MethodContext
from mypy.server.trigger import make_trigger
from mypy.types import AnyType, ExtraAttrs, Instance, LiteralType, Type, get_proper_type

from ._carry import KEY, Neural

if TYPE_CHECKING:
    from types import ModuleType

    from neuraltypes._core import ElementInfo

__all__ = ["BuildState", "Hook", "Answer", "Decide"]

CallContext = FunctionContext | MethodContext
#: a hook as mypy calls it (with its context)
Hook = Callable[[Any], Any]
#: a hook (or None: not ours) and whether that answer holds for the rest of a build
Answer = tuple[Union[Hook, None], bool]
#: how the dispatch decides a hook for a full name (``_dispatch.decide_*``)
Decide = Callable[["BuildState", str], Answer]
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

#: the kinds of hook mypy asks for (``get_<kind>_hook``)
HOOK_KINDS = ("type_analyze", "method_signature", "method", "function", "attribute")
#: no answer yet for a name (None is an answer: "not ours")
_UNDECIDED = object()

#: bases every class has: not part of an element's family
_NOT_IN_MRO = frozenset({"builtins.object", "abc.ABC"})


class BuildState:
    """Per-build data of the plugin (see the module's docstring).

    ``settings``: the plugin's validated settings (``_settings.py``)."""

    def __init__(self, options: Options, settings: dict[str, str], enabled: bool = True) -> None:
        #: the daemon: symbol tables change between builds, remember nothing read from them
        self.daemon = bool(options.fine_grained_incremental)
        #: record fine-grained dependencies (the daemon, or a cache it will start from)
        self.fine_grained = self.daemon or bool(options.cache_fine_grained)
        #: every module call gets ``forward``'s return type (``module_call_returns = all``)
        self.all_returns = settings["module_call_returns"] == "all"
        #: the build's modules (mypy hands them to the plugin: ``set_modules``)
        self.modules: dict[str, MypyFile] = {}
        self._hooks: ModuleType | None = None
        #: False: this mypy lacks something the plugin reads, no name gets a hook
        self._enabled = enabled
        #: the hooks decided, by kind of hook and full name (mypy asks for every name
        #: it meets: this is the plugin's most frequent question)
        self._answers: dict[str, dict[str, Hook | None]] = {kind: {} for kind in HOOK_KINDS}
        self._memos: dict[str, dict[Any, Any]] = {}
        #: neural type -> the ``ExtraAttrs`` carrying it (never changed once made)
        self._carriers: dict[Neural, ExtraAttrs] = {}
        #: (key, text) -> an ``ExtraAttrs`` holding that text (never changed once made)
        self._extras: dict[tuple[str, str], ExtraAttrs] = {}
        # typed Any values (see ``typed_any``)
        self._function: FuncItem | None = None
        self._anys: dict[int, tuple[AnyType, Neural | tuple[Neural | None, ...]]] = {}

    # -- what may be remembered ---------------------------------------------------

    def remembered(self, table: str, key: K, read: Callable[[K], V]) -> V:
        """``read(key)``, read once per build in a plain run (memo ``table``), every
        time under the daemon."""
        if self.daemon:
            return read(key)
        memo = self._memos.get(table)
        if memo is None:
            memo = self._memos[table] = {}
        elif key in memo:
            return memo[key]  # type: ignore[no-any-return]
        found = memo[key] = read(key)
        return found

    def answer(self, kind: str, fullname: str, decide: Decide) -> Hook | None:
        """The hook of ``kind`` (mypy's ``get_<kind>_hook``) for ``fullname``:
        ``decide`` gives it and whether it holds for the rest of the build (a name
        not yet defined may be defined later); kept only then, and only in a plain
        run. A failure to decide is a plugin bug: the answer is then a hook that reports it, as
        ``neural-internal``, where the name is used."""
        memo = self._answers[kind]
        found = memo.get(fullname, _UNDECIDED)
        if found is not _UNDECIDED:
            return found  # type: ignore[return-value]
        if not self._enabled:
            return None
        try:
            found, lasting = decide(self, fullname)
        except Exception as err:  # noqa: BLE001 - deciding must never crash mypy
            found, lasting = partial(self.hooks.failed, f"get_{kind}_hook", err, kind), True
        if lasting and not self.daemon:
            memo[fullname] = found
        return found

    # -- reading the build ----------------------------------------------------------

    @property
    def hooks(self) -> ModuleType:
        """The ``_hooks`` module, imported (with the rules) the first time a hook is
        handed out: warm runs, which ask for none, never pay for it."""
        if self._hooks is None:
            from . import _hooks

            self._hooks = _hooks
        return self._hooks

    def node(self, fullname: str) -> SymbolNode | None:
        """The symbol a full name defines (None: not known, or not a global name)."""
        module, _, name = fullname.rpartition(".")
        if not module:  # "<list>", "<dict>", a local name: never ours
            return None
        tree = self.modules.get(module)
        if tree is not None:  # the usual case: a module-level name
            sym = tree.names.get(name)
        else:
            sym = lookup_fully_qualified(fullname, self.modules, raise_on_missing=False)
        return None if sym is None else sym.node

    def element_info(self, fullname: str) -> ElementInfo | None:
        """The element class ``fullname`` as the core compares it: its name and its
        bases' full names, read from its class now (an edit under the daemon may
        change them). None when the class can't be found: an unknown element."""
        return self.remembered("elements", fullname, self._read_element)

    def _read_element(self, fullname: str) -> ElementInfo | None:
        from neuraltypes._core import ElementInfo

        info = self.node(fullname)
        if not isinstance(info, TypeInfo):
            return None
        mro = tuple(base.fullname for base in info.mro if base.fullname not in _NOT_IN_MRO)
        return ElementInfo(info.name, mro, None)

    def depend_on(self, ctx: AnalyzeTypeContext, fullname: str) -> None:
        """Under the daemon: the code being analysed is checked again when the
        definition of ``fullname`` (an alias, a class, a ``forward``) changes."""
        if self.fine_grained:
            ctx.api.api.add_plugin_dependency(make_trigger(fullname))  # type: ignore[attr-defined]

    # -- carrying neural types ----------------------------------------------------------

    def carrier(self, neural: Neural, str_type: Callable[[], Instance]) -> ExtraAttrs:
        """The ``ExtraAttrs`` that carries ``neural`` (one per neural type: every
        type carrying it shares it, and it is never changed); ``str_type`` gives
        ``builtins.str`` for the literal when one must be made."""
        extra = self._carriers.get(neural)
        if extra is None:
            extra = self._carriers[neural] = self.extra_attrs(KEY, neural.encode(), str_type)
        return extra

    def extra_attrs(self, key: str, text: str, str_type: Callable[[], Instance]) -> ExtraAttrs:
        """The ``ExtraAttrs`` holding ``text`` (a literal) under ``key``: one per
        pair, shared by every type that carries it, never changed."""
        extra = self._extras.get((key, text))
        if extra is None:
            literal = LiteralType(text, str_type())
            extra = self._extras[key, text] = ExtraAttrs({key: literal}, set(), None)
        return extra

    # -- typed Any values ---------------------------------------------------------------

    def typed_any(self, ctx: CallContext, neural: Neural | tuple[Neural | None, ...]) -> Type:
        """A new ``Any`` for a call's value (mypy's own ``Any``, copied), remembered
        as carrying ``neural``.

        A call of a module that did not opt in to neuraltypes (a plain ``nn.Module``
        whose ``forward`` has jaxtyping annotations) keeps mypy's own type, ``Any``,
        so that mypy reports nothing new about code that never opted in. The plugin
        still knows the neural type ``forward`` declares: mypy passes the ``Any``
        object on unchanged through plain assignments and as an argument, so a
        later call in the same function finds it. Only values made in the function
        being checked are remembered (mypy checks a function's body in one go, on
        every run that checks it): what flows across functions may come from the
        cache, where the object is another, so it is not followed, and cold and
        warm runs agree. A tuple (``neural``: one neural type or None per item) is
        followed into the targets it is unpacked into (``_unpack``)."""
        default = get_proper_type(ctx.default_return_type)
        if not isinstance(default, AnyType):
            return ctx.default_return_type
        value = default.copy_modified()
        function = ctx.api.scope.current_function()  # type: ignore[attr-defined]
        if function is not self._function:  # a new function: forget the last one's
            self._function = function
            self._anys = {}
        # keyed by id: an AnyType is compared by value, and these are told apart by
        # identity (the object is kept alive, so its id is not reused)
        self._anys[id(value)] = (value, neural)
        return value

    def any_neural(self, ctx: CallContext | AttributeContext, value: AnyType) -> Neural | None:
        """The neural type remembered for an ``Any`` value made in this function (or
        unpacked from a tuple made in it)."""
        found = self._anys.get(id(value))
        if found is None and value.source_any is not None:
            return self._unpacked(ctx, value, value.source_any)
        if found is None or found[0] is not value:
            return None
        if ctx.api.scope.current_function() is not self._function:  # type: ignore[attr-defined]
            return None
        return found[1] if isinstance(found[1], Neural) else None

    def _unpacked(
        self, ctx: CallContext | AttributeContext, value: AnyType, source: AnyType
    ) -> Neural | None:
        """The neural type of the item of a remembered tuple ``source`` that ``value``
        was unpacked from (``logits, loss = gpt(idx)``)."""
        found = self._anys.get(id(source))
        if found is None or found[0] is not source or isinstance(found[1], Neural):
            return None
        function = self._function
        if function is None or ctx.api.scope.current_function() is not function:  # type: ignore[attr-defined]
            return None
        from ._unpack import tuple_assignments, unpacked_item

        assignments = self.remembered("tuple assignments", function, tuple_assignments)
        index = unpacked_item(ctx, assignments, source, value, len(found[1]))
        return None if index is None else found[1][index]
