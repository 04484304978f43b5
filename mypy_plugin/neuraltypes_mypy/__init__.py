"""The neuraltypes mypy plugin: checks that connected modules' neural types fit.

Enable it in your mypy configuration::

    [mypy]
    plugins = neuraltypes_mypy

Loading it imports neither torch nor the rules (they are imported on first use).
On anything it does not understand it stays silent; an internal failure is
reported as ``neural-internal`` and mypy goes on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from typing import Any

from mypy.nodes import TypeAlias, TypeInfo
from mypy.options import Options
from mypy.plugin import (
    AnalyzeTypeContext,
    AttributeContext,
    FunctionContext,
    MethodContext,
    MethodSigContext,
    Plugin,
    ReportConfigContext,
)
from mypy.types import FunctionLike, Instance, Type

from . import _codes  # noqa: F401 - registers the error codes before mypy checks its options
from ._names import (
    ANNOTATED_NAMES,
    MODULE,
    SEQUENTIAL,
    SKIP,
    TENSOR_NAMES,
    TORCH_NN,
    UNION_NAMES,
    torch_op_name,
)
from ._settings import DEFAULTS, SettingsError, read_settings
from ._state import BuildState
from ._version import MAX_MYPY, MIN_MYPY, PLUGIN_VERSION

__all__ = ["plugin", "NeuralTypesPlugin", "PLUGIN_VERSION"]

#: The plugin's version (mypy keeps it with its cache: a new version checks every
#: module again). The settings in force are part of the cache key too, through
#: :meth:`NeuralTypesPlugin.report_config_data`.
__version__ = PLUGIN_VERSION

_CALL = ".__call__"
_CALL_HOOKS = (
    "get_function_hook",
    "get_method_hook",
    "get_method_signature_hook",
    "get_attribute_hook",
)


class _Decided(dict[str, Any]):
    """Full name -> hook (or None), decided by ``decide`` the first time it is asked.

    The plugin answers mypy's hook questions with this dict's bound ``__getitem__``:
    every ask after the first is a dictionary lookup that runs no Python code.
    ``decide`` gives the answer, which holds for the rest of the build."""

    __slots__ = ("_decide",)

    def __init__(self, decide: Callable[[str], Any]) -> None:
        super().__init__()
        self._decide = decide

    def __missing__(self, fullname: str) -> Any:
        found = self[fullname] = self._decide(fullname)
        return found


class _Revisable(_Decided):
    """As :class:`_Decided`, but ``decide`` also says whether its answer holds for
    the rest of the build (one that may change is decided again at the next ask)."""

    __slots__ = ()

    def __missing__(self, fullname: str) -> Any:
        found, lasting = self._decide(fullname)
        if lasting:
            self[fullname] = found
        return found


class _LazyHooks:
    """The ``_hooks`` module, imported (with the rules) on first use, then an
    attribute of the plugin (a non-data descriptor: the instance's value wins)."""

    def __get__(self, plugin: Any, owner: type | None = None) -> Any:
        from . import _hooks

        if plugin is not None:
            plugin.__dict__["_hooks"] = _hooks
        return _hooks


def _skipped(fullname: str) -> bool:
    """A name in a package that can't define neural types (one set lookup)."""
    return fullname.partition(".")[0] in SKIP


class NeuralTypesPlugin(Plugin):
    """Answers mypy's "is this name yours?" questions, cheaply: most names are
    rejected by prefix or by one dictionary lookup. The hooks live in ``_hooks``,
    imported (with the rules) the first time one is needed."""

    def __init__(self, options: Options) -> None:
        super().__init__(options)
        try:
            self.settings = read_settings(options.config_file)
        except SettingsError as err:
            print(f"neuraltypes_mypy: {err}", file=sys.stderr)
            raise SystemExit(2) from None
        #: mypy's cache key for this plugin: its version and the settings that are
        #: not the defaults (None, the same for every module, when there are none)
        changed = {k: v for k, v in self.settings.items() if DEFAULTS[k] != v}
        self._config_data = {"version": PLUGIN_VERSION, **changed} if changed else None
        self._all_returns = self.settings["module_call_returns"] == "all"
        # the daemon (or a cache it will start from) needs dependencies on forward
        self._fine_grained = bool(options.fine_grained_incremental or options.cache_fine_grained)
        for kept in ("_carry", "_meta"):  # what a build before this one, in this process, kept
            module = sys.modules.get(f"{__name__}.{kept}")
            if module is not None:
                module.forget()
        # Ports read once per function, and call hooks decided once per full name, in
        # a build. A plain mypy run is one build per plugin instance; the daemon runs
        # many, so there nothing is remembered.
        daemon = options.fine_grained_incremental
        self._state = BuildState()
        self._memo: dict[int, tuple[object, Any]] | None = None if daemon else {}
        if not daemon:
            # instance attributes in front of the methods below: the same answers,
            # each decided once (the call hooks) or once it can no longer change
            for name in _CALL_HOOKS:
                setattr(self, name, _Decided(getattr(self, name)).__getitem__)
            analyze = _Revisable(self._type_analyze_answer)
            self.get_type_analyze_hook = analyze.__getitem__  # type: ignore[method-assign,assignment]

    _hooks = _LazyHooks()

    def report_config_data(self, ctx: ReportConfigContext) -> Any:
        """The settings in force (the version is in ``__version__``): a module
        checked under other settings is checked again."""
        return self._config_data

    def _ports_of(self, node: object) -> Any:
        """The ports of a function (``_ports.ports_of``), read once per build."""
        memo = self._memo
        if memo is not None:
            hit = memo.get(id(node))
            if hit is not None and hit[0] is node:
                return hit[1]
        found = self._hooks.ports_of(node, self._modules or {})
        if memo is not None:
            memo[id(node)] = (node, found)
        return found

    def _call_of(self, info: TypeInfo) -> Any:
        """How calls of a module class are checked (``_calls.module_call_of``), read
        once per build."""
        memo = self._memo
        if memo is not None:
            hit = memo.get(id(info))
            if hit is not None and hit[0] is info:
                return hit[1]
        found = self._hooks.module_call_of(info, self._ports_of, self._all_returns)
        if memo is not None:
            memo[id(info)] = (info, found)
        return found

    def _node(self, fullname: str) -> object:
        """The symbol a full name defines (one dictionary lookup for module-level names)."""
        module, _, name = fullname.rpartition(".")
        if not module:  # "<list>", "<dict>", a local name: never ours
            return None
        modules = self._modules
        tree = modules.get(module) if modules is not None else None
        if tree is not None:
            sym = tree.names.get(name)
        else:
            try:
                sym = self.lookup_fully_qualified(fullname)
            except Exception:  # noqa: BLE001 - an unknown name is simply not ours
                return None
        return None if sym is None else sym.node

    # -- reading annotations ---------------------------------------------------

    def get_type_analyze_hook(self, fullname: str) -> Callable[[AnalyzeTypeContext], Type] | None:
        return self._type_analyze_answer(fullname)[0]  # type: ignore[no-any-return]

    def _type_analyze_answer(self, fullname: str) -> tuple[Any, bool]:
        """The hook for annotations naming ``fullname``, and whether that answer holds
        for the rest of a build: a name not yet defined may be defined later (mypy
        analyses a module again until its forward references resolve), but the
        rules' own forms, names in packages that can't define neural types, classes
        and complete neural aliases (an alias analysed again gets an equal target)
        keep their meaning."""
        try:
            if fullname in ANNOTATED_NAMES:
                return self._hooks.ANNOTATED, True
            if fullname in TENSOR_NAMES:
                return self._hooks.TENSOR, True
            if fullname in UNION_NAMES:
                return self._hooks.UNION, True
            if _skipped(fullname):
                return None, True
            node = self._node(fullname)
            if isinstance(node, TypeAlias):
                target = node.target
                if isinstance(target, Instance) and target.extra_attrs and not node.alias_tvars:
                    if self._fine_grained:
                        return partial(self._hooks.ALIAS, fullname, target), True
                    return partial(self._hooks.PLAIN_ALIAS, target), True
            elif isinstance(node, TypeInfo):
                if self._fine_grained and node.has_base(MODULE):
                    return partial(self._hooks.DEPEND_ON_FORWARD, node), True
                return None, True
        except Exception:  # noqa: BLE001 - deciding must never crash mypy
            pass
        return None, False

    # -- calls -----------------------------------------------------------------
    # Asked while mypy checks bodies, when every symbol table of the build is
    # complete: an answer for a full name holds for the rest of the build, so in a
    # plain run each is decided once (``_Decided``); the daemon decides every time.

    def _module_call(self, fullname: str) -> Any:
        """For ``cls.__call__`` of a module class: how its calls are checked
        (``_calls.ModuleCall``), or None (not a module, or nothing to check). Both
        the signature hook and the method hook ask: the second finds the class's
        call in ``_call_of``'s memo (in a plain run)."""
        if not fullname.endswith(_CALL):
            return None
        cls = fullname[: -len(_CALL)]
        if _skipped(cls) and not cls.startswith(TORCH_NN):
            return None
        node = self._node(cls)
        if not isinstance(node, TypeInfo) or not node.has_base(MODULE):
            return None
        return self._call_of(node)

    def get_method_signature_hook(
        self, fullname: str
    ) -> Callable[[MethodSigContext], FunctionLike] | None:
        try:
            call = self._module_call(fullname)
            if call is not None:
                return partial(self._hooks.MODULE_SIGNATURE, call, self._call_of)
        except Exception:  # noqa: BLE001
            pass
        return None

    def get_method_hook(self, fullname: str) -> Callable[[MethodContext], Type] | None:
        try:
            if fullname.startswith(TORCH_NN) and fullname.endswith(_CALL):
                return partial(self._hooks.TORCH_LAYER_CALL, self._state)
            op = torch_op_name(fullname)
            if op is not None:
                return partial(self._hooks.TORCH_OP, op, self._state)
            if fullname.endswith(_CALL):
                call = self._module_call(fullname)
                if call is None or not call.neural:
                    return None  # nothing to check: the signature hook's return type it is
                return partial(self._hooks.MODULE_CALL, call, self._call_of, self._state)
            cls, _, method = fullname.rpartition(".")
            if method.startswith("__") or _skipped(cls):
                return None
            info = self._node(cls)
            if not isinstance(info, TypeInfo):
                return None
            sym = info.get(method)
            return None if sym is None else self._call_hook(sym.node)
        except Exception as err:  # noqa: BLE001 - reported where the call is
            return self._failed("get_method_hook", err)

    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        try:
            if fullname == SEQUENTIAL:
                return partial(self._hooks.SEQUENTIAL, self._call_of)
            if fullname.startswith(TORCH_NN):  # a standard layer's constructor
                is_class = isinstance(self._node(fullname), TypeInfo)
                return self._hooks.TORCH_LAYER_INIT if is_class else None
            op = torch_op_name(fullname)
            if op is not None:
                return partial(self._hooks.TORCH_OP, op, self._state)
            if _skipped(fullname):
                return None
            node = self._node(fullname)
            if node is None or isinstance(node, TypeInfo):
                return None
            return self._call_hook(node)
        except Exception as err:  # noqa: BLE001 - reported where the call is
            return self._failed("get_function_hook", err)

    def get_attribute_hook(self, fullname: str) -> Callable[[AttributeContext], Type] | None:
        op = torch_op_name(fullname)  # x.T, x.mT
        if op is None:
            return None
        return partial(self._hooks.TORCH_ATTRIBUTE, op, self._state)

    def _failed(self, where: str, err: Exception) -> Callable[[Any], Type] | None:
        try:
            return partial(self._hooks.failed, where, err)
        except Exception:  # noqa: BLE001 - the hooks can't even be imported
            return None

    def _call_hook(self, node: object) -> Callable[[Any], Type] | None:
        """A hook for calls of a function with neural ports (its ports read once, here)."""
        if node is None:
            return None
        ports = self._ports_of(node)
        if ports is None or not ports.any:
            return None
        return partial(self._hooks.FUNCTION_CALL, ports, self._state)


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("+")[0].split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def plugin(version: str) -> type[Plugin]:
    """mypy's entry point."""
    found = _version_tuple(version)[:2]
    if not MIN_MYPY <= found < MAX_MYPY:
        low = ".".join(map(str, MIN_MYPY))
        high = ".".join(map(str, MAX_MYPY))
        print(
            f"neuraltypes_mypy: mypy {version} is outside the supported range "
            f">={low},<{high}; neural type checks may be wrong or missing",
            file=sys.stderr,
        )
    return NeuralTypesPlugin
