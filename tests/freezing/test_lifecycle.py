"""The scheduler across a model's life: a second scheduler, a resume on the same
object, a copy."""

from __future__ import annotations

import copy

from torch import nn

from neuraltypes.freezing import FreezeScheduler

from .test_scheduler import Net

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
