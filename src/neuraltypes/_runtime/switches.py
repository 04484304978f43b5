"""Turning checks off and on: per thread and task (contextvars), nestable.

Two switches: *checks* (all checking) and *semantic* (element types of tagged
values; shapes are still checked without it). Each has a global default
(:func:`set_global`, every thread) and scoped overrides (:class:`Switch`, a context
manager and decorator) that last until their block ends and then restore what was
in force before.

The hot path reads one value: ``SCOPE.get()[GLOBAL[0]]``, the *mode* of the call
(:data:`OFF`, :data:`SHAPES`, :data:`FULL`). ``GLOBAL[0]`` holds the global switch
bits; the context variable holds a table from those bits to the mode, so a global
change is seen inside every scope that does not override that switch.
"""

from __future__ import annotations

import contextlib
import threading
from contextvars import ContextVar, Token
from types import TracebackType
from typing import Final

__all__ = ["OFF", "SHAPES", "FULL", "GLOBAL", "SCOPE", "Switch", "current_mode", "set_global"]

#: modes of one call
OFF: Final = 0  # no checks, no tags
SHAPES: Final = 1  # shapes and tags, no element-type checks
FULL: Final = 2  # everything

CHECKS_BIT: Final = 1
SEMANTIC_BIT: Final = 2

Table = tuple[int, ...]  # 4 modes (indexed by the global bits), then 4 switch-bit values


def _mode(bits: int) -> int:
    if not bits & CHECKS_BIT:
        return OFF
    return FULL if bits & SEMANTIC_BIT else SHAPES


def _table(bits: tuple[int, ...]) -> Table:
    return tuple(_mode(b) for b in bits) + bits


#: the global switch bits (a one-item list, so the hot path reads it without a call)
GLOBAL: list[int] = [CHECKS_BIT | SEMANTIC_BIT]
#: no scoped override: each global setting gives its own mode (a tuple: immutable)
_NO_SCOPE: Final[Table] = _table((0, 1, 2, 3))
#: scoped overrides: a table from global bits to the mode in force
SCOPE: ContextVar[Table] = ContextVar("neuraltypes_switches", default=_NO_SCOPE)
_GLOBAL_LOCK = threading.Lock()


def current_mode() -> int:
    """The mode in force here and now."""
    return SCOPE.get()[GLOBAL[0]]


def set_global(bit: int, enabled: bool) -> None:
    """Set one global switch (``CHECKS_BIT`` or ``SEMANTIC_BIT``), in every thread."""
    with _GLOBAL_LOCK:
        GLOBAL[0] = (GLOBAL[0] | bit) if enabled else (GLOBAL[0] & ~bit)


class Switch(contextlib.ContextDecorator):
    """Sets or clears one switch for a block (``with``) or a function (decorator);
    on exit the previous state comes back, whatever it was."""

    def __init__(self, bit: int, enabled: bool) -> None:
        self._bit = bit
        self._enabled = enabled
        self._tokens: list[Token[Table]] = []

    def _recreate_cm(self) -> Switch:
        # a decorated function gets a fresh switch per call (threads may call at once)
        return Switch(self._bit, self._enabled)

    def __enter__(self) -> Switch:
        bits = SCOPE.get()[4:]
        if self._enabled:
            new = tuple(b | self._bit for b in bits)
        else:
            new = tuple(b & ~self._bit for b in bits)
        self._tokens.append(SCOPE.set(_table(new)))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        SCOPE.reset(self._tokens.pop())

    def __repr__(self) -> str:
        name = "checks" if self._bit == CHECKS_BIT else "semantic checks"
        return f"<{'enable' if self._enabled else 'disable'} {name}>"
