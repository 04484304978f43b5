"""Applying a freeze schedule to a model, step by step."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import torch
from torch import nn

from .schedule import FOREVER, FreezeSchedule

__all__ = ["FreezeScheduler", "load_freeze_config"]


def load_freeze_config(source: Any) -> FreezeSchedule:
    """A validated schedule from a mapping, an OmegaConf config, a YAML file path or
    YAML text. A NeMo-style full config (``model.freeze_updates``) or one with a
    top-level ``freeze_updates`` key is accepted too."""
    data = source
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source
                                    and source.endswith((".yaml", ".yml"))):  # fmt: skip
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"freeze config file not found: {path}")
        source = path.read_text()
    if isinstance(source, str):
        import yaml

        try:
            data = yaml.safe_load(source)
        except yaml.YAMLError as err:
            raise ValueError(f"freeze config is not valid YAML: {err}") from None
    from .schedule import _plain

    data = _plain(data)
    if isinstance(data, dict):
        if isinstance(data.get("model"), dict) and "freeze_updates" in data["model"]:
            data = data["model"]["freeze_updates"]
        elif "freeze_updates" in data:
            data = data["freeze_updates"]
    return FreezeSchedule.from_config(data)


class FreezeScheduler:
    """Freezes and unfreezes named sub-modules of ``model`` by optimizer update.

    Call :meth:`apply` with the number of optimizer updates already done before
    each forward/backward (``trainer.global_step`` in Lightning)::

        schedule = FreezeScheduler(model, cfg)
        for step, batch in enumerate(loader):
            schedule.apply(step)
            loss = model(batch).sum(); loss.backward(); optimizer.step()

    Freezing sets ``requires_grad=False`` and drops ``.grad``, so stateful
    optimizers (momentum, Adam, weight decay) leave frozen weights bit-identical.
    Unfreezing restores each parameter's own previous ``requires_grad``.
    ``apply(g)`` depends only on ``g``: call it right after resuming at any step.

    Args:
        model: any ``nn.Module`` (or a DistributedDataParallel wrapper).
        cfg: the ``freeze_updates`` mapping, or a :class:`FreezeSchedule`.
        eval_frozen: also put frozen modules in eval mode (dropout off, BatchNorm
            statistics kept) and restore their mode when unfrozen.
    """

    def __init__(self, model: nn.Module, cfg: Any, *, eval_frozen: bool = False) -> None:
        self.schedule = FreezeSchedule.from_config(cfg)
        self.eval_frozen = eval_frozen
        root = _check_ddp(model)
        self.modules = {name: _resolve(root, name) for name in self.schedule.ranges}
        self.frozen: frozenset[str] = frozenset()
        self._saved_grad: dict[nn.Parameter, bool] = {}
        self._freeze_count: dict[nn.Parameter, int] = {}
        self._saved_mode: dict[str, bool] = {}
        self._lo, self._hi = FOREVER, -FOREVER  # no segment known yet

    def apply(self, global_step: int) -> frozenset[str]:
        """Bring the model to the state of update ``global_step + 1``; returns the
        names frozen now. A step inside the current segment costs two comparisons."""
        update = global_step + 1
        if self._lo <= update < self._hi:
            return self.frozen
        self._lo, self._hi = self.schedule.segment(update)
        target = self.schedule.frozen_at(update)
        for name in sorted(self.frozen - target):
            self._unfreeze(name)
        for name in sorted(target - self.frozen):
            self._freeze(name)
        self.frozen = target
        return target

    def _freeze(self, name: str) -> None:
        module = self.modules[name]
        for param in module.parameters():
            count = self._freeze_count.get(param, 0)
            if count == 0:
                self._saved_grad[param] = param.requires_grad
                param.requires_grad_(False)
                param.grad = None
            self._freeze_count[param] = count + 1
        if self.eval_frozen:
            self._saved_mode[name] = module.training
            module.eval()

    def _unfreeze(self, name: str) -> None:
        module = self.modules[name]
        for param in module.parameters():
            count = self._freeze_count.get(param, 0) - 1
            if count <= 0:
                self._freeze_count.pop(param, None)
                param.requires_grad_(self._saved_grad.pop(param, True))
            else:
                self._freeze_count[param] = count
        if self.eval_frozen and name in self._saved_mode:
            module.train(self._saved_mode.pop(name))


def _check_ddp(model: nn.Module) -> nn.Module:
    ddp = torch.nn.parallel.DistributedDataParallel
    if not isinstance(model, ddp):
        return model
    if getattr(model, "static_graph", False):
        raise ValueError(
            "FreezeScheduler can't work with DistributedDataParallel(static_graph=True): the "
            "set of parameters that get gradients changes when modules freeze; use "
            "find_unused_parameters=True instead"
        )
    if not getattr(model, "find_unused_parameters", False):
        raise ValueError(
            "FreezeScheduler needs DistributedDataParallel(..., find_unused_parameters=True): "
            "frozen parameters get no gradient, which DDP otherwise treats as an error"
        )
    inner: nn.Module = model.module
    return inner


def _resolve(root: nn.Module, name: str) -> nn.Module:
    try:
        return root.get_submodule(name)
    except AttributeError:
        pass
    children = [n for n, _ in root.named_children()]
    head = name.split(".", 1)[0]
    hint = difflib.get_close_matches(head, children, n=1)
    suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
    if head in children:
        inner = dict(root.named_modules())
        near = difflib.get_close_matches(name, list(inner), n=1)
        suggestion = f"; did you mean {near[0]!r}?" if near else ""
    raise ValueError(
        f"freeze_updates.modules.{name}: {type(root).__name__} has no submodule {name!r}"
        f"{suggestion} (top-level modules: {', '.join(children) or 'none'})"
    )
