"""Switches (contextvars, nesting, threads), NeMo-style modules, datasets, losses."""

from __future__ import annotations

import threading
from typing import Annotated

import pytest
import torch
from torch import Tensor, nn

from neuraltypes import (
    AxisKind,
    AxisType,
    Dataset,
    Loss,
    NeuralModule,
    NeuralType,
    NeuralTypeError,
    typecheck,
)
from neuraltypes.elements import LengthsType, LogprobsType, LossType, SpectrogramType

from .models import Decoder, Encoder, spec


def bad_call() -> None:
    Encoder()(spec(batch=4), torch.ones(3))


def test_disable_checks_nested_restores_previous_state() -> None:
    with pytest.raises(NeuralTypeError):
        bad_call()
    with typecheck.disable_checks():
        bad_call()
        with typecheck.enable_checks():
            with pytest.raises(NeuralTypeError):
                bad_call()
            with typecheck.disable_checks():
                bad_call()
            with pytest.raises(NeuralTypeError):
                bad_call()
        bad_call()  # NeMo would have reset to "enabled" here
    with pytest.raises(NeuralTypeError):
        bad_call()


def test_disable_checks_as_decorator() -> None:
    @typecheck.disable_checks()
    def unchecked() -> None:
        bad_call()

    unchecked()
    unchecked()
    with pytest.raises(NeuralTypeError):
        bad_call()


def test_global_switch() -> None:
    typecheck.set_typecheck_enabled(False)
    try:
        bad_call()
        assert not typecheck.is_enabled()
        with typecheck.enable_checks(), pytest.raises(NeuralTypeError):
            bad_call()
    finally:
        typecheck.set_typecheck_enabled(True)
    with pytest.raises(NeuralTypeError):
        bad_call()


def test_disable_checks_is_per_thread() -> None:
    results: dict[str, str] = {}
    inside = threading.Event()
    release = threading.Event()

    def disabled_thread() -> None:
        with typecheck.disable_checks():
            inside.set()
            release.wait(5)
            bad_call()
            results["disabled"] = "passed"

    def checked_thread() -> None:
        inside.wait(5)
        try:
            bad_call()
            results["checked"] = "passed"
        except NeuralTypeError:
            results["checked"] = "raised"
        release.set()

    threads = [threading.Thread(target=disabled_thread), threading.Thread(target=checked_thread)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert results == {"disabled": "passed", "checked": "raised"}


def test_semantic_switch_keeps_shape_checks() -> None:
    x = spec()
    x.neural_type = NeuralType("B D T", SpectrogramType)  # type: ignore[attr-defined]
    with typecheck.disable_semantic_checks():
        Decoder(d_in=8)(x)
        with pytest.raises(NeuralTypeError, match="2 dims where 3"):
            Decoder(d_in=8)(torch.randn(2, 8))
    with pytest.raises(NeuralTypeError, match="SpectrogramType is not"):
        Decoder(d_in=8)(x)


class NemoStyle(NeuralModule):
    """Ports declared with NeMo's properties, which depend on the instance."""

    def __init__(self, features: int) -> None:
        super().__init__()
        self.features = features

    @property
    def input_types(self) -> dict[str, NeuralType]:
        return {
            "audio_signal": NeuralType(
                ("B", AxisType(AxisKind.Dimension, self.features), "T"), SpectrogramType()
            ),
            "length": NeuralType(tuple("B"), LengthsType()),
        }

    @property
    def output_types(self) -> dict[str, NeuralType]:
        return {"outputs": NeuralType(("B", "T", "D"), LogprobsType())}

    @typecheck()
    def forward(self, audio_signal: Tensor, length: Tensor) -> Tensor:
        return audio_signal.transpose(1, 2).log_softmax(-1)


def test_nemo_property_style() -> None:
    m80, m64 = NemoStyle(80), NemoStyle(64)
    out = m80(audio_signal=torch.randn(2, 80, 5), length=torch.ones(2))
    assert out.neural_type == NeuralType(("B", "T", "D"), LogprobsType())
    m64(torch.randn(2, 64, 5), torch.ones(2))  # per-instance ports
    with pytest.raises(NeuralTypeError) as info:
        m80(torch.randn(2, 64, 5), torch.ones(2))
    assert str(info.value) == (
        'NemoStyle.forward port "audio_signal": dim 1 (D=80) has size 64, expected 80 '
        '(expected "B D=80 T" SpectrogramType, found a tensor of shape (2, 64, 5))'
    )


def test_explicit_overrides() -> None:
    class Explicit(nn.Module):
        @typecheck(
            input_types={"x": NeuralType("B T", SpectrogramType)},
            output_types={"y": NeuralType("B", LengthsType)},
        )
        def forward(self, x: Tensor) -> Tensor:
            return x.sum(1)

    assert Explicit()(torch.randn(2, 3)).neural_type == NeuralType("B", LengthsType)
    with pytest.raises(NeuralTypeError, match='port "x": 1 dim where 2'):
        Explicit()(torch.randn(2))


class RandomPairs(Dataset):
    def __len__(self) -> int:
        return 4

    def __getitem__(self, i: int) -> Tensor:
        return torch.randn(8, 5 + i)

    @typecheck()
    def collate_fn(
        self, batch: list[Tensor]
    ) -> tuple[Annotated[Tensor, "B D T", SpectrogramType], Annotated[Tensor, "B", LengthsType]]:
        lengths = torch.tensor([b.shape[1] for b in batch])
        padded = torch.zeros(len(batch), 8, int(lengths.max()))
        for i, b in enumerate(batch):
            padded[i, :, : b.shape[1]] = b
        return padded, lengths


def test_dataset_collate_fn_types_batches() -> None:
    data = RandomPairs()
    assert data.output_types == {
        "output_0": NeuralType("B D T", SpectrogramType),
        "output_1": NeuralType("B", LengthsType),
    }
    loader = torch.utils.data.DataLoader(data, batch_size=2, collate_fn=data.collate_fn)
    audio, lengths = next(iter(loader))
    encoded, _ = Encoder()(audio, lengths)
    assert audio.neural_type == NeuralType("B D T", SpectrogramType)
    assert encoded.shape == (2, 16, 6)


class MeanLoss(Loss):
    @typecheck()
    def forward(self, log_probs: Annotated[Tensor, "B T C", LogprobsType]) -> Tensor:
        return -log_probs.mean()


def test_loss_output_is_a_loss_type() -> None:
    loss = MeanLoss()(torch.randn(2, 3, 4).log_softmax(-1))
    assert loss.neural_type == NeuralType(None, LossType())
    assert MeanLoss().output_types == {"loss": NeuralType(None, LossType())}


def test_freeze_unfreeze_as_frozen_num_weights() -> None:
    enc = Encoder()
    total = sum(p.numel() for p in enc.parameters())
    assert enc.num_weights == total
    enc.conv.bias.requires_grad_(False)  # type: ignore[union-attr]
    enc.freeze()
    enc.freeze()  # a second freeze keeps the saved state (NeMo lost it)
    assert enc.num_weights == 0 and not enc.training
    enc.unfreeze(partial=True)
    assert enc.conv.weight.requires_grad and not enc.conv.bias.requires_grad  # type: ignore[union-attr]
    assert enc.training
    enc.freeze()
    enc.unfreeze()
    assert all(p.requires_grad for p in enc.parameters())
    enc.conv.bias.requires_grad_(False)  # type: ignore[union-attr]
    with enc.as_frozen() as frozen:
        assert frozen.num_weights == 0 and not enc.training
    assert enc.training and enc.conv.weight.requires_grad
    assert not enc.conv.bias.requires_grad  # type: ignore[union-attr]
