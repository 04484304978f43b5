"""The scheduler across a model's life: a second scheduler, a resume on the same
object, a copy, eval mode through ``model.train()``, lazy modules, a failed apply."""

from __future__ import annotations

import copy

import pytest
import torch
from torch import nn

from neuraltypes.freezing import FreezeScheduler

from .test_scheduler import Net, same, snapshot

CFG = {"enabled": True, "modules": {"encoder": [3, 8]}}


def trainable(module: nn.Module) -> list[bool]:
    return [p.requires_grad for p in module.parameters()]


def test_second_scheduler_unfreezes_what_the_first_froze() -> None:
    net = Net()
    FreezeScheduler(net, CFG).apply(4)  # a run that stopped inside the window
    assert trainable(net.encoder) == [False] * 4
    schedule = FreezeScheduler(net, CFG)
    assert schedule.apply(4) == {"encoder"}
    assert schedule.apply(20) == frozenset()
    assert trainable(net.encoder) == [True] * 4


def test_new_scheduler_starting_after_the_window_unfreezes() -> None:
    net = Net()
    FreezeScheduler(net, CFG).apply(4)
    FreezeScheduler(net, CFG).apply(20)  # resumed past the window
    assert trainable(net.encoder) == [True] * 4


def test_user_frozen_parameters_stay_frozen_across_schedulers() -> None:
    net = Net()
    net.encoder[0].bias.requires_grad_(False)  # type: ignore[union-attr,unused-ignore]
    FreezeScheduler(net, CFG).apply(4)
    schedule = FreezeScheduler(net, CFG)
    schedule.apply(5)
    schedule.apply(9)
    assert trainable(net.encoder) == [True, False, True, True]
    FreezeScheduler(net, CFG).apply(0)
    assert trainable(net.encoder) == [True, False, True, True]


def test_deep_copy_inside_the_window_keeps_the_mark() -> None:
    net = Net()
    FreezeScheduler(net, CFG).apply(4)
    clone = copy.deepcopy(net)
    schedule = FreezeScheduler(clone, CFG)
    schedule.apply(4)
    schedule.apply(8)
    assert trainable(clone.encoder) == [True] * 4
    assert trainable(net.encoder) == [False] * 4  # the original is left as it was


class Tied(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.embed = nn.Linear(4, 4)
        self.head = nn.Linear(4, 4)
        self.head.weight = self.embed.weight


def test_shared_weights_stay_frozen_while_one_holder_is() -> None:
    net = Tied()
    cfg = {"modules": {"embed": [1, 4], "head": [3, 6]}}
    FreezeScheduler(net, cfg).apply(3)  # both frozen, then a new scheduler
    schedule = FreezeScheduler(net, cfg)
    schedule.apply(4)  # update 5: only head
    assert not net.embed.weight.requires_grad and net.embed.bias.requires_grad
    schedule.apply(6)
    assert trainable(net) == [True, True, True]


def test_eval_frozen_holds_through_model_train_every_epoch() -> None:
    torch.manual_seed(0)
    norm = nn.BatchNorm1d(8)
    net = nn.Sequential(nn.Linear(4, 8), norm, nn.Linear(8, 2))
    schedule = FreezeScheduler(net, {"modules": {"1": [1, 6]}}, eval_frozen=True)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    assert norm.running_mean is not None
    stats = norm.running_mean.clone()
    step = 0
    for _epoch in range(3):
        net.train()  # what every plain loop does at the start of an epoch
        for _batch in range(2):
            assert schedule.apply(step) == {"1"}
            optimizer.zero_grad()
            net(torch.randn(16, 4)).sum().backward()
            optimizer.step()
            step += 1
            assert not norm.training
            assert torch.equal(norm.running_mean, stats)
    net.train()
    schedule.apply(step)  # update 7: unfrozen, back in training mode
    assert norm.training
    net(torch.randn(16, 4))
    assert not torch.equal(norm.running_mean, stats)


def test_lazy_module_frozen_before_its_first_forward() -> None:
    torch.manual_seed(0)
    lazy = nn.LazyLinear(8)
    net = nn.Sequential(lazy, nn.ReLU(), nn.Linear(8, 2))
    optimizer = torch.optim.Adam(net.parameters(), lr=0.1)
    schedule = FreezeScheduler(net, {"modules": {"0": [1, 2]}})
    schedule.apply(0)  # before the first forward: the parameters have no shape yet
    x = torch.randn(16, 5)
    history = []
    for step in range(4):
        schedule.apply(step)
        before = None if step == 0 else snapshot(net[0])
        optimizer.zero_grad()
        net(x).sum().backward()
        optimizer.step()
        history.append((step + 1, before is not None and same(before, snapshot(net[0]))))
        if step == 0:
            assert trainable(net[0]) == [False, False]
            assert lazy.weight.grad is None
    assert history == [(1, False), (2, True), (3, False), (4, False)]
    assert trainable(net) == [True] * 4


REQUIRES_GRAD = torch._C.TensorBase.__dict__["requires_grad"]  # the C attribute


class Stubborn(nn.Parameter):
    """A parameter that refuses its first change of ``requires_grad``."""

    refusals = 0

    @property  # type: ignore[override,unused-ignore]
    def requires_grad(self) -> bool:
        return bool(REQUIRES_GRAD.__get__(self))

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if Stubborn.refusals:
            Stubborn.refusals -= 1
            raise RuntimeError("requires_grad refused")
        REQUIRES_GRAD.__set__(self, value)

    def requires_grad_(self, requires_grad: bool = True) -> Stubborn:
        self.requires_grad = requires_grad
        return self


@pytest.mark.parametrize("failing", ["freeze", "unfreeze"])
def test_a_failed_apply_leaves_each_module_whole_and_a_retry_works(failing: str) -> None:
    net = nn.ModuleDict({"a": nn.Linear(2, 2), "b": nn.Linear(2, 2)})
    net.b.bias = Stubborn(torch.zeros(2))  # type: ignore[union-attr]
    schedule = FreezeScheduler(net, {"modules": {"a": [1, 3], "b": [1, 3]}})
    step, before, after = (0, [True] * 4, [False] * 4)
    if failing == "unfreeze":
        schedule.apply(0)
        step, before, after = (3, after, before)
    Stubborn.refusals = 1
    with pytest.raises(RuntimeError, match="requires_grad refused"):
        schedule.apply(step)
    assert trainable(net) == after[:2] + before[2:]  # 'a' switched, 'b' left as it was
    assert schedule.apply(step) == ({"a", "b"} if failing == "freeze" else frozenset())
    assert trainable(net) == after
    schedule.apply(3 - step)  # and back: nothing was counted twice
    assert trainable(net) == before
