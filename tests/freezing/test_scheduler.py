"""FreezeScheduler on real models and real optimizers."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from neuraltypes.freezing import FreezeScheduler


class Net(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.encoder = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 8))
        self.decoder = nn.Linear(8, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.decoder(torch.relu(self.encoder(x)))


def snapshot(module: nn.Module) -> list[torch.Tensor]:
    return [p.detach().clone() for p in module.parameters()]


def same(a: list[torch.Tensor], b: list[torch.Tensor]) -> bool:
    return all(torch.equal(x, y) for x, y in zip(a, b))


OPTIMIZERS = {
    "sgd-momentum": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01),
    "adam": lambda p: torch.optim.Adam(p, lr=0.01),
    "adamw-wd": lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1),
}


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_frozen_weights_stay_bit_identical(name: str) -> None:
    net = Net()
    optimizer = OPTIMIZERS[name](net.parameters())
    schedule = FreezeScheduler(net, {"modules": {"encoder": [3, 6]}})
    x, y = torch.randn(16, 4), torch.randn(16, 2)
    history = []
    for step in range(9):
        schedule.apply(step)
        before = snapshot(net.encoder)
        optimizer.zero_grad(set_to_none=False)  # zeros, not None, for unfrozen grads
        nn.functional.mse_loss(net(x), y).backward()
        optimizer.step()
        history.append((step + 1, same(before, snapshot(net.encoder))))
    # updates 3..6 leave the encoder untouched, even with momentum / Adam state
    assert history == [(u, 3 <= u <= 6) for u in range(1, 10)]


def test_user_frozen_parameters_stay_frozen() -> None:
    net = Net()
    net.encoder[0].bias.requires_grad_(False)  # type: ignore[union-attr]
    schedule = FreezeScheduler(net, {"modules": {"encoder": 2}})
    schedule.apply(0)
    assert not any(p.requires_grad for p in net.encoder.parameters())
    schedule.apply(2)
    assert net.encoder[0].weight.requires_grad  # type: ignore[union-attr]
    assert not net.encoder[0].bias.requires_grad  # type: ignore[union-attr]


def test_dotted_paths_and_eval_mode() -> None:
    net = Net()
    net.train()
    schedule = FreezeScheduler(
        net, {"modules": {"encoder.2": -1, "encoder.1": 1}}, eval_frozen=True
    )
    schedule.apply(0)
    assert not net.encoder[2].weight.requires_grad  # type: ignore[union-attr]
    assert net.encoder[0].weight.requires_grad  # type: ignore[union-attr]
    assert not net.encoder[1].training and net.encoder[0].training
    schedule.apply(1)
    assert net.encoder[1].training


def test_train_mode_left_alone_by_default() -> None:
    net = Net()
    net.train()
    FreezeScheduler(net, {"modules": {"encoder": -1}}).apply(0)
    assert net.encoder.training


def test_resume_gives_the_same_state_and_training() -> None:
    cfg = {"modules": {"encoder": [2, 5], "decoder": [6, -1]}}
    x, y = torch.randn(8, 4), torch.randn(8, 2)

    def train(
        net: Net, schedule: FreezeScheduler, opt: torch.optim.Optimizer, steps: range
    ) -> None:
        net.eval()  # no dropout: the two runs must be comparable bit for bit
        for step in steps:
            schedule.apply(step)
            opt.zero_grad()
            nn.functional.mse_loss(net(x), y).backward()
            opt.step()

    net = Net()
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    train(net, FreezeScheduler(net, cfg), opt, range(8))

    resumed = Net()
    opt2 = torch.optim.SGD(resumed.parameters(), lr=0.1, momentum=0.9)
    first = FreezeScheduler(resumed, cfg)
    train(resumed, first, opt2, range(3))
    state = ({k: v.clone() for k, v in resumed.state_dict().items()}, opt2.state_dict())
    restored = Net()
    restored.load_state_dict(state[0])
    opt3 = torch.optim.SGD(restored.parameters(), lr=0.1, momentum=0.9)
    opt3.load_state_dict(state[1])
    schedule = FreezeScheduler(restored, cfg)
    assert schedule.apply(3) == first.schedule.frozen_at(4)
    train(restored, schedule, opt3, range(3, 8))
    for a, b in zip(net.parameters(), restored.parameters()):
        assert torch.equal(a, b)


def test_unknown_module_names() -> None:
    with pytest.raises(ValueError) as info:
        FreezeScheduler(Net(), {"modules": {"encodr": 5}})
    assert str(info.value) == (
        "freeze_updates.modules.encodr: Net has no submodule 'encodr'; did you mean "
        "'encoder'? (top-level modules: encoder, decoder)"
    )
    with pytest.raises(ValueError) as info:
        FreezeScheduler(Net(), {"modules": {"encoder.7": 5}})
    assert str(info.value).startswith("freeze_updates.modules.encoder.7: Net has no submodule")


def test_ddp_settings_are_checked() -> None:
    import torch.distributed as dist

    store = dist.HashStore()
    dist.init_process_group("gloo", store=store, rank=0, world_size=1)
    try:
        static = nn.parallel.DistributedDataParallel(Net(), static_graph=True)
        with pytest.raises(ValueError, match="static_graph=True"):
            FreezeScheduler(static, {"modules": {"encoder": 1}})
        plain = nn.parallel.DistributedDataParallel(Net())
        with pytest.raises(ValueError, match="find_unused_parameters=True"):
            FreezeScheduler(plain, {"modules": {"encoder": 1}})
        ok = nn.parallel.DistributedDataParallel(Net(), find_unused_parameters=True)
        FreezeScheduler(ok, {"modules": {"encoder": 1}}).apply(0)
        assert not ok.module.encoder[0].weight.requires_grad  # type: ignore[index]
    finally:
        dist.destroy_process_group()
