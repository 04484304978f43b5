"""Applying a freeze schedule to a model, step by step."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import torch
from torch import nn

from .schedule import FOREVER, FreezeSchedule

__all__ = ["FreezeScheduler", "load_freeze_config"]

# on the root module: the (qualified) names of the parameters a schedule froze
_MARK = "_neuraltypes_schedule_frozen"


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
        try:
            import yaml
        except ImportError:
            raise ModuleNotFoundError(
                "reading a YAML freeze config needs PyYAML: pip install 'neuraltypes[config]' "
                "(or pass the schedule as a dict)",
                name="yaml",
            ) from None
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
    Parameters that were already frozen (by you) stay frozen when the module
    unfreezes. The parameters the schedule froze are listed on the model itself
    (attribute ``_neuraltypes_schedule_frozen``), so a new scheduler on the same model
    (a second ``fit``, a resume on the same object, a deep copy) unfreezes them at
    the right step. ``apply(g)`` depends only on ``g``: call it right after resuming
    at any step. Lazy parameters not yet initialised are frozen too; they stay
    frozen when the first forward pass gives them their shape.

    Args:
        model: any ``nn.Module`` (or a DistributedDataParallel wrapper).
        cfg: the ``freeze_updates`` mapping, or a :class:`FreezeSchedule`.
        eval_frozen: also keep frozen modules in eval mode (dropout off, BatchNorm
            statistics kept), at every ``apply`` (a ``model.train()`` in between is
            undone), and restore their mode when unfrozen.
    """

    def __init__(self, model: nn.Module, cfg: Any, *, eval_frozen: bool = False) -> None:
        self.schedule = FreezeSchedule.from_config(cfg)
        self.eval_frozen = eval_frozen
        root = _check_ddp(model)
        self.modules = {name: _resolve(root, name) for name in self.schedule.ranges}
        qualified = {id(p): n for n, p in root.named_parameters()}
        self._params = {
            name: [(qualified[id(p)], p) for p in module.parameters()]
            for name, module in self.modules.items()
        }
        self._marks: set[str] = root.__dict__.setdefault(_MARK, set())
        self.frozen: frozenset[str] = frozenset()
        self._holders: dict[str, int] = {}  # parameter -> frozen modules holding it
        self._saved_mode: dict[str, bool] = {}
        self._started = False
        self._lo, self._hi = FOREVER, -FOREVER  # no segment known yet

    def apply(self, global_step: int) -> frozenset[str]:
        """Bring the model to the state of update ``global_step + 1``; returns the
        names frozen now. A step inside the current segment costs two comparisons
        (plus a mode check of the frozen modules with ``eval_frozen``)."""
        update = global_step + 1
        if self._lo <= update < self._hi:
            if self.eval_frozen:
                self._keep_eval()
            return self.frozen
        target = self.schedule.frozen_at(update)
        # self.frozen follows each module that succeeded, and the segment is kept
        # only at the end: after an error, calling apply again finishes the work
        for name in sorted(self.frozen - target):
            self._unfreeze(name)
            self.frozen = self.frozen - {name}
        for name in sorted(target - self.frozen):
            self._freeze(name)
            self.frozen = self.frozen | {name}
        if not self._started:
            self._release_stale(self.schedule.ranges.keys() - target)
            self._started = True
        self._lo, self._hi = self.schedule.segment(update)
        return self.frozen

    def _freeze(self, name: str) -> None:
        _all_or_none(self._params[name], self._hold, self._let_go)
        if self.eval_frozen:
            module = self.modules[name]
            self._saved_mode[name] = module.training
            module.eval()

    def _unfreeze(self, name: str) -> None:
        _all_or_none(self._params[name], self._let_go, self._hold)
        if self.eval_frozen and name in self._saved_mode:
            self.modules[name].train(self._saved_mode.pop(name))

    def _hold(self, qualname: str, param: nn.Parameter) -> None:
        """One more frozen module holds ``param`` (shared weights may be in two)."""
        count = self._holders.get(qualname, 0)
        if count == 0:
            if param.requires_grad:
                # attribute assignment, not requires_grad_(): it also works on a lazy
                # module's parameter before its first forward pass
                param.requires_grad = False
                self._marks.add(qualname)
            param.grad = None
        self._holders[qualname] = count + 1

    def _let_go(self, qualname: str, param: nn.Parameter) -> None:
        count = self._holders.get(qualname, 0) - 1
        if count > 0:
            self._holders[qualname] = count
            return
        self._holders.pop(qualname, None)
        if qualname in self._marks:  # frozen by a schedule, not by the user
            param.requires_grad = True
            self._marks.discard(qualname)

    def _release_stale(self, names: Iterable[str]) -> None:
        """Unfreeze what an earlier scheduler froze in modules not frozen now."""
        for name in names:
            for qualname, param in self._params[name]:
                if qualname in self._marks and qualname not in self._holders:
                    param.requires_grad = True
                    self._marks.discard(qualname)

    def _keep_eval(self) -> None:
        for name in self.frozen:
            module = self.modules[name]
            if module.training:  # switched back by model.train(): the user's mode now
                self._saved_mode[name] = True
                module.eval()


def _all_or_none(
    params: list[tuple[str, nn.Parameter]],
    do: Callable[[str, nn.Parameter], None],
    undo: Callable[[str, nn.Parameter], None],
) -> None:
    """``do`` on every parameter; if one fails, ``undo`` the ones done, so a module
    is either wholly switched or left as it was."""
    done: list[tuple[str, nn.Parameter]] = []
    try:
        for qualname, param in params:
            do(qualname, param)
            done.append((qualname, param))
    except BaseException:
        for qualname, param in reversed(done):
            undo(qualname, param)
        raise


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
