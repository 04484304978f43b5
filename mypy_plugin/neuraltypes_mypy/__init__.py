"""The neuraltypes mypy plugin: checks that connected modules' neural types fit.

Enable it in your mypy configuration::

    [mypy]
    plugins = neuraltypes_mypy

Loading it never imports torch. On anything it does not understand it stays
silent; an internal failure is reported as ``neural-internal`` and mypy goes on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from mypy.nodes import TypeAlias, TypeInfo
from mypy.options import Options
from mypy.plugin import (
    AnalyzeTypeContext,
    FunctionContext,
    MethodContext,
    MethodSigContext,
    Plugin,
    ReportConfigContext,
)
from mypy.typeops import bind_self
from mypy.types import AnyType, CallableType, FunctionLike, Instance, Type, TypeOfAny

from ._names import ANNOTATED_NAMES, MODULE, SEQUENTIAL, SKIP, TENSOR_NAMES, TORCH_NN, UNION_NAMES
from ._settings import SettingsError, read_settings
from ._version import MAX_MYPY, MIN_MYPY, PLUGIN_VERSION

__all__ = ["plugin", "NeuralTypesPlugin", "PLUGIN_VERSION"]

Ctx = TypeVar("Ctx", AnalyzeTypeContext, FunctionContext, MethodContext, MethodSigContext)
R = TypeVar("R")


def _guard(hook: Callable[[Ctx], R], fallback: Callable[[Ctx], R]) -> Callable[[Ctx], R]:
    """Run a hook; an unexpected exception becomes one ``neural-internal`` error at
    the place being checked, and mypy's own answer."""

    def guarded(ctx: Ctx) -> R:
        try:
            return hook(ctx)
        except Exception as err:  # noqa: BLE001 - a plugin bug must not crash mypy
            try:
                from ._codes import INTERNAL

                ctx.api.fail(
                    f"neuraltypes plugin internal error in {hook.__name__}: "
                    f"{type(err).__name__}: {err} (please report this; checking goes on "
                    "without neural types here)",
                    ctx.context,
                    code=INTERNAL,
                )
            except Exception:  # noqa: BLE001, S110
                pass
            return fallback(ctx)

    return guarded


def _any_type(ctx: AnalyzeTypeContext) -> Type:
    return AnyType(TypeOfAny.from_error)


def _default_return(ctx: FunctionContext | MethodContext) -> Type:
    return ctx.default_return_type


def _default_signature(ctx: MethodSigContext) -> FunctionLike:
    return ctx.default_signature


class NeuralTypesPlugin(Plugin):
    """Dispatches mypy's hook questions; each answer is one cheap check."""

    def __init__(self, options: Options) -> None:
        super().__init__(options)
        try:
            self.settings = read_settings(options.config_file)
        except SettingsError as err:
            print(f"neuraltypes_mypy: {err}", file=sys.stderr)
            raise SystemExit(2) from None

    def report_config_data(self, ctx: ReportConfigContext) -> Any:
        return {"version": PLUGIN_VERSION, **self.settings}

    def _lookup(self, fullname: str, *, torch_nn: bool = False) -> object:
        if fullname.startswith(SKIP) and not (torch_nn and fullname.startswith(TORCH_NN)):
            return None
        try:
            sym = self.lookup_fully_qualified(fullname)
        except Exception:  # noqa: BLE001 - an unknown name is simply not ours
            return None
        return None if sym is None else sym.node

    # -- reading annotations ---------------------------------------------------

    def get_type_analyze_hook(self, fullname: str) -> Callable[[AnalyzeTypeContext], Type] | None:
        if fullname in ANNOTATED_NAMES:
            from ._read import analyze_annotated

            return _guard(analyze_annotated, _any_type)
        if fullname in TENSOR_NAMES:
            from ._read import analyze_tensor

            return _guard(analyze_tensor, _any_type)
        if fullname in UNION_NAMES:
            from ._read import analyze_union

            return _guard(analyze_union, _any_type)
        node = self._lookup(fullname)
        if (
            isinstance(node, TypeInfo)
            and not node.defn.type_vars
            and any(base.fullname == MODULE for base in node.mro)
        ):
            from ._calls import depend_on_forward

            return _guard(partial(depend_on_forward, node), _any_type)
        if isinstance(node, TypeAlias) and not node.alias_tvars:
            target = node.target
            if isinstance(target, Instance) and target.extra_attrs is not None:
                from ._carry import neural_of
                from ._read import expand_alias

                if neural_of(target) is not None:
                    return _guard(partial(expand_alias, fullname, target), _any_type)
        return None

    # -- calls -----------------------------------------------------------------

    def _module_class(self, fullname: str) -> TypeInfo | None:
        if not fullname.endswith(".__call__"):
            return None
        node = self._lookup(fullname[: -len(".__call__")], torch_nn=True)
        if isinstance(node, TypeInfo) and any(base.fullname == MODULE for base in node.mro):
            return node
        return None

    def get_method_signature_hook(
        self, fullname: str
    ) -> Callable[[MethodSigContext], FunctionLike] | None:
        if self._module_class(fullname) is not None:
            from ._calls import module_call_signature

            return _guard(module_call_signature, _default_signature)
        return None

    def get_method_hook(self, fullname: str) -> Callable[[MethodContext], Type] | None:
        if self._module_class(fullname) is not None:
            from ._calls import module_call_check

            all_returns = self.settings["module_call_returns"] == "all"
            return _guard(partial(module_call_check, all_returns=all_returns), _default_return)
        cls_name, _, method = fullname.rpartition(".")
        info = self._lookup(cls_name)
        if not isinstance(info, TypeInfo) or method.startswith("__"):
            return None
        sym = info.get(method)
        if sym is None or sym.node is None:
            return None
        from ._calls import callable_of, check_arguments, has_neural_params
        from ._carry import fresh_callable

        sig = callable_of(sym.node)
        if sig is None or not has_neural_params(sig):
            return None
        owner = f"{info.name}.{method}"

        def check_method(ctx: MethodContext) -> Type:
            bound = bind_self(fresh_callable(sig), ctx.type)
            if isinstance(bound, CallableType):
                check_arguments(ctx, bound, owner)
            return ctx.default_return_type

        return _guard(check_method, _default_return)

    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        if fullname == SEQUENTIAL:
            from ._calls import sequential_check

            return _guard(sequential_check, _default_return)
        node = self._lookup(fullname)
        if node is None or isinstance(node, TypeInfo):
            return None
        from ._calls import callable_of, check_arguments, has_neural_params
        from ._carry import fresh_callable

        sig = callable_of(node)
        if sig is None or not has_neural_params(sig):
            return None
        owner = fullname.rsplit(".", 1)[-1]

        def check_function(ctx: FunctionContext) -> Type:
            check_arguments(ctx, fresh_callable(sig), owner)
            return ctx.default_return_type

        return _guard(check_function, _default_return)


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
