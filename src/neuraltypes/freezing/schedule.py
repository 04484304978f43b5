"""The ``freeze_updates`` config, parsed and validated (no torch).

::

    freeze_updates:
      enabled: true
      modules:
        encoder: 200          # frozen for updates 1..200
        decoder: [50, -1]     # frozen from update 50 to the end
        joint: [10, 100]      # frozen for updates 10..100, inclusive
        transcoder: -1        # frozen for the whole run

Updates are optimizer updates counted from 1: the update about to run when
``global_step == g`` (updates already done) is update ``g + 1``.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["FreezeSchedule", "parse_spec"]

FOREVER = math.inf


def _fail(name: str, spec: object, reason: str) -> ValueError:
    return ValueError(f"freeze_updates.modules.{name} = {spec!r}: {reason}")


def _integer(name: str, spec: object, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(name, spec, f"{value!r} is not an integer")
    if value < -1:
        raise _fail(name, spec, f"{value} is negative; the only negative value allowed is -1")
    return value


def parse_spec(name: str, spec: object) -> tuple[int, float] | None:
    """The inclusive range of updates ``(first, last)`` a spec freezes, or None."""
    if isinstance(spec, (list, tuple)):
        if len(spec) != 2:
            raise _fail(name, spec, f"a range needs 2 numbers [start, end], got {len(spec)}")
        start, end = (_integer(name, spec, v) for v in spec)
        if start == -1:
            raise _fail(name, spec, "the start of a range can't be -1")
        last = FOREVER if end == -1 else end
        if last < start:
            raise _fail(name, spec, f"the range ends ({end}) before it starts ({start})")
        return max(start, 1), last
    value = _integer(name, spec, spec)
    if value == -1:
        return 1, FOREVER
    return (1, value) if value > 0 else None


@dataclass(frozen=True)
class FreezeSchedule:
    """Which modules are frozen at which update. Build it with :meth:`from_config`."""

    enabled: bool
    ranges: Mapping[str, tuple[int, float]]

    @classmethod
    def from_config(cls, cfg: Any) -> FreezeSchedule:
        """Parse a ``freeze_updates`` mapping (dict, OmegaConf DictConfig, ...)."""
        if isinstance(cfg, FreezeSchedule):
            return cfg
        cfg = _plain(cfg)
        if not isinstance(cfg, Mapping):
            raise ValueError(
                f"freeze_updates must be a mapping with 'enabled' and 'modules', got "
                f"{type(cfg).__name__}"
            )
        unknown = sorted(set(cfg) - {"enabled", "modules"})
        if unknown:
            raise ValueError(
                f"freeze_updates has unknown keys {unknown}; expected 'enabled' and 'modules'"
            )
        enabled = cfg.get("enabled", True)
        if not isinstance(enabled, bool):
            raise ValueError(f"freeze_updates.enabled must be true or false, got {enabled!r}")
        if "modules" not in cfg:
            raise ValueError("freeze_updates has no 'modules' mapping (module name -> steps)")
        modules = cfg["modules"]
        if modules is None:
            modules = {}
        if not isinstance(modules, Mapping):
            raise ValueError(
                f"freeze_updates.modules must map module names to steps, got "
                f"{type(modules).__name__}"
            )
        ranges: dict[str, tuple[int, float]] = {}
        for name, spec in modules.items():
            if not isinstance(name, str) or not name:
                raise ValueError(f"freeze_updates.modules: {name!r} is not a module name")
            parsed = parse_spec(name, spec)
            if parsed is not None:
                ranges[name] = parsed
        _check_nesting(list(modules))
        return cls(enabled, ranges)

    def frozen_at(self, update: int) -> frozenset[str]:
        """The names frozen during update ``update`` (counted from 1)."""
        if not self.enabled:
            return frozenset()
        return frozenset(n for n, (a, b) in self.ranges.items() if a <= update <= b)

    def breakpoints(self) -> list[float]:
        """Updates at which the frozen set may change (sorted)."""
        points = {float(a) for a, _ in self.ranges.values()}
        points |= {b + 1 for _, b in self.ranges.values() if b != FOREVER}
        return sorted(points)

    def segment(self, update: int) -> tuple[float, float]:
        """The run of updates ``[lo, hi)`` around ``update`` with one frozen set."""
        points = self.breakpoints()
        i = bisect.bisect_right(points, update)
        lo = points[i - 1] if i > 0 else -FOREVER
        hi = points[i] if i < len(points) else FOREVER
        return lo, hi


def _check_nesting(names: list[str]) -> None:
    for name in names:
        for other in names:
            if other != name and other.startswith(name + "."):
                raise ValueError(
                    f"freeze_updates.modules lists both {name!r} and its submodule {other!r}; "
                    "schedule one or the other"
                )


def _plain(cfg: Any) -> Any:
    """An OmegaConf config as plain containers; anything else unchanged."""
    module = type(cfg).__module__
    if module.startswith("omegaconf"):
        from omegaconf import OmegaConf

        return OmegaConf.to_container(cfg, resolve=True)
    return cfg
