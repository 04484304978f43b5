"""Every hook runs guarded: a bug in the plugin must not crash mypy, and must not
vanish silently either. An unexpected exception becomes one ``neural-internal``
error at the place being checked, with what a bug report needs, and the hook gives
mypy its own answer; checking goes on."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from mypy.plugin import (
    AnalyzeTypeContext,
    AttributeContext,
    FunctionContext,
    MethodContext,
    MethodSigContext,
)
from mypy.types import AnyType, FunctionLike, Type, TypeOfAny

from ._version import PLUGIN_VERSION

__all__ = [
    "guard",
    "internal_error_text",
    "plain_type",
    "default_attr",
    "default_return",
    "default_signature",
]

R = TypeVar("R")
Hook = Callable[..., R]


def internal_error_text(where: str, err: BaseException) -> str:
    """The message of a ``neural-internal`` error: the exception, the plugin line that
    raised it, and the versions, so that it can be filed as it is."""
    frames = traceback.extract_tb(err.__traceback__)
    ours = [f for f in frames if os.path.abspath(f.filename).startswith(_package_dirs())]
    frame = (ours or frames)[-1] if (ours or frames) else None
    at = f" at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else ""
    try:
        from mypy.version import __version__ as mypy_version
    except ImportError:  # pragma: no cover - every mypy has it
        mypy_version = "?"
    text = str(err).replace("\n", " ")
    if len(text) > 300:
        text = text[:300] + "..."
    return (
        f"neuraltypes plugin internal error in {where}: {type(err).__name__}: {text}{at} "
        f"({PLUGIN_VERSION}, mypy {mypy_version}; please report this; checking goes on "
        "without neural types here)"
    )


def _package_dirs() -> tuple[str, ...]:
    """The folders of the plugin and of the rules: frames there are the plugin's
    (wherever the project is checked out, whatever its folder is called)."""
    modules = [sys.modules[__name__], sys.modules.get("neuraltypes")]
    return tuple(
        os.path.dirname(os.path.abspath(module.__file__)) + os.sep
        for module in modules
        if module is not None and module.__file__
    )


def _report(ctx: Any, where: str, err: BaseException) -> None:
    text = internal_error_text(where, err)
    try:
        from ._codes import INTERNAL

        ctx.api.fail(text, ctx.context, code=INTERNAL)
    except Exception as failed:  # noqa: BLE001 - mypy can't take the report: say it here
        print(f"neuraltypes_mypy: {text} (and reporting it failed: {failed!r})", file=sys.stderr)


def guard(hook: Hook[R], fallback: Callable[[Any], R]) -> Hook[R]:
    """``hook`` (called with any leading arguments and the context last), reporting
    an unexpected exception once, at the context, and answering ``fallback(ctx)``."""
    where = hook.__name__

    def guarded(*args: Any) -> R:
        try:
            return hook(*args)
        except Exception as err:  # noqa: BLE001 - a plugin bug must not crash mypy
            ctx = args[-1]
            _report(ctx, where, err)
            return fallback(ctx)

    guarded.__name__ = guarded.__qualname__ = where
    return guarded


def plain_type(ctx: AnalyzeTypeContext) -> Type:
    """What an annotation means without neural types (or Any if even that fails:
    the failure that led here is reported already)."""
    try:
        from ._read import plain

        return plain(ctx)
    except Exception:  # noqa: BLE001 - a fallback of a reported failure
        return AnyType(TypeOfAny.from_error)


def default_return(ctx: FunctionContext | MethodContext) -> Type:
    return ctx.default_return_type


def default_attr(ctx: AttributeContext) -> Type:
    return ctx.default_attr_type


def default_signature(ctx: MethodSigContext) -> FunctionLike:
    return ctx.default_signature
