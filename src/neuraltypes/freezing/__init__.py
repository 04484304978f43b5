"""Layer freezing by training step, from a ``freeze_updates`` config.

``FreezeScheduler`` applies it from a plain training loop; ``FreezeCallback`` from a
Lightning ``Trainer`` (needs ``pip install 'neuraltypes[lightning]'``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .schedule import FreezeSchedule
from .scheduler import FreezeScheduler, load_freeze_config

if TYPE_CHECKING:
    from .callback import FreezeCallback

__all__ = ["FreezeCallback", "FreezeSchedule", "FreezeScheduler", "load_freeze_config"]


def __getattr__(name: str) -> Any:
    if name == "FreezeCallback":
        from .callback import FreezeCallback

        return FreezeCallback
    raise AttributeError(f"module 'neuraltypes.freezing' has no attribute {name!r}")
