"""The Lightning callback (needs the optional ``lightning`` package)."""

from __future__ import annotations

from typing import Any

try:
    from lightning.pytorch import Callback, LightningModule, Trainer
except ImportError:  # pragma: no cover - exercised only without lightning
    raise ImportError(
        "FreezeCallback needs Lightning: pip install 'neuraltypes[lightning]'"
    ) from None

from .scheduler import FreezeScheduler

__all__ = ["FreezeCallback"]


class FreezeCallback(Callback):
    """Applies a ``freeze_updates`` schedule in a Lightning ``Trainer``.

    At every ``on_train_batch_start`` it applies the schedule for
    ``trainer.global_step`` (optimizer updates done), so with gradient
    accumulation the frozen set follows updates, not micro-batches. Resuming from
    a checkpoint gives the schedule of the resumed step.
    """

    def __init__(self, cfg: Any, *, eval_frozen: bool = False) -> None:
        self.cfg = cfg
        self.eval_frozen = eval_frozen
        self.scheduler: FreezeScheduler | None = None

    def setup(self, trainer: Trainer, pl_module: LightningModule, stage: str) -> None:
        # validates names against the model as soon as the trainer is set up
        self.scheduler = FreezeScheduler(pl_module, self.cfg, eval_frozen=self.eval_frozen)

    def on_train_batch_start(
        self, trainer: Trainer, pl_module: LightningModule, batch: Any, batch_idx: int
    ) -> None:
        if self.scheduler is None:
            self.scheduler = FreezeScheduler(pl_module, self.cfg, eval_frozen=self.eval_frozen)
        self.scheduler.apply(trainer.global_step)
