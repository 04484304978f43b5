"""Turning checks off and on: per thread and task (contextvars), nestable.

A scoped switch (``with typecheck.disable_checks():``) lasts until its block ends
and then restores what was in force before, whatever that was. The global switch
(``typecheck.set_typecheck_enabled(False)``) is the default wherever no scoped
switch is active, in every thread.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar, Token
from types import TracebackType

__all__ = ["checks_enabled", "semantic_enabled", "Switch", "set_global"]

_CHECKS: ContextVar[bool | None] = ContextVar("neuraltypes_checks", default=None)
_SEMANTIC: ContextVar[bool | None] = ContextVar("neuraltypes_semantic_checks", default=None)
_GLOBAL = {"checks": True, "semantic": True}


def checks_enabled() -> bool:
    value = _CHECKS.get()
    return _GLOBAL["checks"] if value is None else value


def semantic_enabled() -> bool:
    value = _SEMANTIC.get()
    return _GLOBAL["semantic"] if value is None else value


def set_global(name: str, enabled: bool) -> None:
    _GLOBAL[name] = bool(enabled)


class Switch(contextlib.ContextDecorator):
    """A context manager (and decorator) setting one switch for its block."""

    def __init__(self, var: ContextVar[bool | None], value: bool) -> None:
        self._var = var
        self._value = value
        self._tokens: list[Token[bool | None]] = []

    def _recreate_cm(self) -> Switch:
        # each decorated call gets its own token stack (threads may call at once)
        return Switch(self._var, self._value)

    def __enter__(self) -> Switch:
        self._tokens.append(self._var.set(self._value))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._var.reset(self._tokens.pop())


def disable_checks() -> Switch:
    return Switch(_CHECKS, False)


def enable_checks() -> Switch:
    return Switch(_CHECKS, True)


def disable_semantic_checks() -> Switch:
    return Switch(_SEMANTIC, False)


def enable_semantic_checks() -> Switch:
    return Switch(_SEMANTIC, True)
