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
from typing import Any

from mypy.nodes import MypyFile
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
from mypy.types import FunctionLike, Type

from . import _codes  # noqa: F401 - registers the error codes before mypy checks its options
from ._dispatch import (
    decide_annotation,
    decide_attribute,
    decide_function,
    decide_method,
    decide_signature,
)
from ._internals import missing_internals
from ._settings import DEFAULTS, SettingsError, read_settings
from ._state import BuildState
from ._version import MAX_MYPY, MIN_MYPY, PLUGIN_VERSION

__all__ = ["plugin", "NeuralTypesPlugin", "PLUGIN_VERSION"]

#: The plugin's version (mypy keeps it with its cache: a new version checks every
#: module again). The settings in force are part of the cache key too, through
#: :meth:`NeuralTypesPlugin.report_config_data`.
__version__ = PLUGIN_VERSION


class NeuralTypesPlugin(Plugin):
    """mypy's entry point. Each ``get_*_hook`` answers "is this name yours?" through
    the dispatch in ``_dispatch.py`` (a table of what is hooked, in its docstring);
    the answers, and everything else the plugin reads during a build, are kept in
    one :class:`BuildState`, which also decides what may be remembered."""

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
        # (a mypy that lacks something the plugin reads gets no hooks: said once, at load)
        self._state = BuildState(options, self.settings, enabled=not _MISSING)

    def set_modules(self, modules: dict[str, MypyFile]) -> None:
        super().set_modules(modules)
        self._state.modules = modules

    def report_config_data(self, ctx: ReportConfigContext) -> Any:
        """The settings in force (the version is in ``__version__``): a module
        checked under other settings is checked again."""
        return self._config_data

    def get_type_analyze_hook(self, fullname: str) -> Callable[[AnalyzeTypeContext], Type] | None:
        return self._state.answer("type_analyze", fullname, decide_annotation)

    def get_method_signature_hook(
        self, fullname: str
    ) -> Callable[[MethodSigContext], FunctionLike] | None:
        return self._state.answer("method_signature", fullname, decide_signature)

    def get_method_hook(self, fullname: str) -> Callable[[MethodContext], Type] | None:
        return self._state.answer("method", fullname, decide_method)

    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        return self._state.answer("function", fullname, decide_function)

    def get_attribute_hook(self, fullname: str) -> Callable[[AttributeContext], Type] | None:
        return self._state.answer("attribute", fullname, decide_attribute)


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("+")[0].split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def plugin(version: str) -> type[Plugin]:
    """mypy's entry point: says (once) when this mypy is outside the supported range,
    or lacks an internal the plugin reads (then the plugin checks nothing)."""
    if _MISSING:
        print(
            f"neuraltypes_mypy: mypy {version} lacks {', '.join(_MISSING)}, which the "
            "plugin reads; neural types are not checked (please report this)",
            file=sys.stderr,
        )
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


#: what this mypy lacks of the internals the plugin reads (a constant of the process)
_MISSING = missing_internals()
