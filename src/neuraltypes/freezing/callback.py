"""The Lightning callback (needs the optional ``lightning`` package)."""

from __future__ import annotations

from typing import Any

try:
    from lightning.pytorch import Callback, LightningModule, Trainer
except ImportError:  # pragma: no cover - exercised only without lightning
    raise ImportError(
        "FreezeCallback needs Lightning: pip install 'neuraltypes[lightning]'"
    ) from None

from .schedule import FreezeSchedule
from .scheduler import FreezeScheduler

__all__ = ["FreezeCallback"]


class FreezeCallback(Callback):
    """Applies a ``freeze_updates`` schedule in a Lightning ``Trainer``.

    At every ``on_train_batch_start`` it applies the schedule for
    ``trainer.global_step`` (optimizer updates done), so with gradient
    accumulation the frozen set follows updates, not micro-batches. Resuming from
    a checkpoint (also ``trainer.fit(model, ckpt_path=...)`` on the same model
    object) gives the schedule of the resumed step.

    The config is validated when the callback is made; module names are resolved
    at ``on_train_start``, after ``configure_model`` has built the layers and the
    checkpoint has been restored (an unknown name raises there, before the first
    batch).
    """

    def __init__(self, cfg: Any, *, eval_frozen: bool = False) -> None:
        self.cfg = cfg
        self.schedule = FreezeSchedule.from_config(cfg)
        self.eval_frozen = eval_frozen
        self.scheduler: FreezeScheduler | None = None

    def setup(self, trainer: Trainer, pl_module: LightningModule, stage: str) -> None:
        # each fit resolves the names again: configure_model may build new layers
        self.scheduler = None

    def on_train_start(self, trainer: Trainer, pl_module: LightningModule) -> None:
        self._scheduler(pl_module).apply(trainer.global_step)

    def on_train_batch_start(
        self, trainer: Trainer, pl_module: LightningModule, batch: Any, batch_idx: int
    ) -> None:
        self._scheduler(pl_module).apply(trainer.global_step)

    def _scheduler(self, pl_module: LightningModule) -> FreezeScheduler:
        if self.scheduler is None:
            self.scheduler = FreezeScheduler(
                pl_module, self.schedule, eval_frozen=self.eval_frozen
            )
        return self.scheduler
