"""NeMo-style modules (port properties), explicit overrides, datasets, losses, and
NeuralModule's freeze/unfreeze/as_frozen/num_weights."""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import torch
from torch import Tensor, nn

from neuraltypes import (
    AxisKind,
    AxisType,
    Dataset,
    IterableDataset,
    Loss,
    NeuralModule,
    NeuralType,
    typecheck,
)
from neuraltypes.elements import LengthsType, LogprobsType, LossType, SpectrogramType

from .models import Encoder, Spec, error, lens, spec


class NemoStyle(NeuralModule):
    """Ports declared NeMo's way; they depend on the instance's configuration."""

    def __init__(self, features: int) -> None:
        super().__init__()
        self.features = features
        self.reads = 0

    @property
    def input_types(self) -> dict[str, NeuralType]:
        self.reads += 1
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


def test_nemo_property_style_per_instance_read_once() -> None:
    m80, m64 = NemoStyle(80), NemoStyle(64)
    out = m80(audio_signal=torch.randn(2, 80, 5), length=torch.ones(2))
    assert out.neural_type == NeuralType(("B", "T", "D"), LogprobsType())
    m64(torch.randn(2, 64, 5), torch.ones(2))  # positional works too (NeMo forbade it)
    err = error(lambda: m80(torch.randn(2, 64, 5), torch.ones(2)))
    assert str(err) == (
        'NemoStyle.forward port "audio_signal": dim 1 (D=80) has size 64, expected 80 '
        '(expected "B D=80 T" SpectrogramType, found a tensor of shape (2, 64, 5))'
    )
    m80(torch.randn(2, 80, 5), torch.ones(2))
    assert m80.reads == 1  # the properties are read on the first call only


def test_nemo_style_port_from_kwargs() -> None:
    class Kw(NeuralModule):
        @property
        def input_types(self) -> dict[str, NeuralType]:
            return {"x": NeuralType(("B", "T"))}

        @typecheck()
        def forward(self, **kwargs: Tensor) -> Tensor:
            return kwargs["x"] * 2

    assert Kw()(x=torch.ones(2, 3)).shape == (2, 3)
    assert str(error(lambda: Kw()(x=torch.ones(2)))).startswith(
        'Kw.forward port "x": 1 dim where 2 ("B T") are expected'
    )
    assert str(error(lambda: Kw()(y=torch.ones(2)))) == (
        'Kw.forward port "x": required port is missing (expected "B T" VoidType)'
    )


def test_subclass_declaring_properties_over_an_annotated_forward() -> None:
    class Strict(Encoder):
        @property
        def input_types(self) -> dict[str, NeuralType]:
            return {
                "audio_signal": NeuralType(("B", "D=8", "T"), SpectrogramType()),
                "length": NeuralType(tuple("B"), LengthsType()),
            }

    Encoder()(spec(d=8), lens())
    assert Strict()(spec(d=8), lens())[0].shape == (2, 16, 10)
    assert "dim 1 (D=8) has size 16, expected 8" in str(
        error(lambda: Strict(d_in=16)(spec(d=16), lens()))
    )
    Encoder(d_in=16)(spec(d=16), lens())  # the base class keeps its own ports


def test_explicit_overrides() -> None:
    class Explicit(nn.Module):
        @typecheck(
            input_types={"x": NeuralType("B T", SpectrogramType)},
            output_types={"y": NeuralType("B", LengthsType)},
        )
        def forward(self, x: Tensor) -> Tensor:
            return x.sum(1)

    assert Explicit()(torch.randn(2, 3)).neural_type == NeuralType("B", LengthsType)
    assert str(error(lambda: Explicit()(torch.randn(2)))) == (
        'Explicit.forward port "x": 1 dim where 2 ("B T") are expected (expected "B T" '
        "SpectrogramType, found a tensor of shape (2,))"
    )

    @typecheck(output_types={"total": NeuralType("B", LengthsType)})
    def total(x: Spec, over: tuple[int, ...] = (1, 2)) -> Tensor:
        return x.sum(over)

    assert total(spec()).neural_type == NeuralType("B", LengthsType)
    assert str(error(lambda: total(spec(), (0, 1)))) == (
        'total return value "total": dim 0 (B) has size 10, but the batch size is 2 in port '
        '"x" (expected "B" LengthsType, found a tensor of shape (10,))'
    )


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


def test_dataset_collate_fn_types_its_batches() -> None:
    data = RandomPairs()
    assert data.input_types is None
    assert data.output_types == {
        "output_0": NeuralType("B D T", SpectrogramType),
        "output_1": NeuralType("B", LengthsType),
    }
    loader = torch.utils.data.DataLoader(data, batch_size=2, collate_fn=data.collate_fn)
    audio, lengths = next(iter(loader))
    assert audio.neural_type == NeuralType("B D T", SpectrogramType)
    encoded, _ = Encoder()(audio, lengths)
    assert encoded.shape == (2, 16, 6)


class Stream(IterableDataset):
    @property
    def output_types(self) -> dict[str, NeuralType]:  # NeMo's way
        return {"audio": NeuralType(("B", "T"), SpectrogramType())}

    def __iter__(self) -> Iterator[Tensor]:
        yield from (torch.ones(3) for _ in range(4))

    @typecheck()
    def collate_fn(self, batch: list[Tensor]) -> Tensor:
        return torch.stack(batch)


def test_iterable_dataset_with_nemo_style_output_types() -> None:
    data = Stream()
    loader = torch.utils.data.DataLoader(data, batch_size=2, collate_fn=data.collate_fn)
    batch = next(iter(loader))
    assert batch.neural_type == NeuralType(("B", "T"), SpectrogramType())
    assert str(error(lambda: data.collate_fn([torch.ones(3, 1)]))) == (
        'Stream.collate_fn return value "audio": 3 dims where 2 ("B T") are expected '
        '(expected "B T" SpectrogramType, found a tensor of shape (1, 3, 1))'
    )


class MeanLoss(Loss):
    @typecheck()
    def forward(self, log_probs: Annotated[Tensor, "B T C", LogprobsType]) -> Tensor:
        return -log_probs.mean()


def test_loss_inputs_are_typed_and_its_output_is_a_loss() -> None:
    loss = MeanLoss()(torch.randn(2, 3, 4).log_softmax(-1))
    assert loss.neural_type == NeuralType(None, LossType())
    assert MeanLoss().output_types == {"loss": NeuralType(None, LossType())}
    assert MeanLoss().input_types == {"log_probs": NeuralType("B T C", LogprobsType)}
    assert str(error(lambda: MeanLoss()(torch.randn(2, 3)))).startswith(
        'MeanLoss.forward port "log_probs": 2 dims where 3'
    )
    assert str(error(lambda: MeanLoss()(spec()[None]))).startswith(
        'MeanLoss.forward port "log_probs": 4 dims where 3'
    )


def test_freeze_twice_keeps_the_saved_state_and_partial_unfreeze_restores_it() -> None:
    enc = Encoder()
    assert enc.num_weights == sum(p.numel() for p in enc.parameters())
    bias: Any = enc.conv.bias
    bias.requires_grad_(False)  # frozen by the user before freeze()
    enc.freeze()
    enc.freeze()  # a second freeze keeps the saved state (NeMo lost it)
    assert enc.num_weights == 0 and not enc.training
    enc.unfreeze(partial=True)
    assert enc.conv.weight.requires_grad and not bias.requires_grad and enc.training
    enc.freeze()
    enc.unfreeze()
    assert all(p.requires_grad for p in enc.parameters())


def test_as_frozen_restores_grads_and_modes() -> None:
    class Net(NeuralModule):
        def __init__(self) -> None:
            super().__init__()
            self.enc = Encoder()
            self.drop = nn.Dropout()

    net = Net()
    bias: Any = net.enc.conv.bias
    bias.requires_grad_(False)
    net.drop.eval()  # one sub-module already in eval mode
    with net.as_frozen() as frozen:
        assert frozen is net and frozen.num_weights == 0
        assert not net.training and not net.enc.training
    assert net.training and net.enc.training and not net.drop.training
    assert net.enc.conv.weight.requires_grad and not bias.requires_grad
    assert net.num_weights == net.enc.conv.weight.numel()


def test_a_traceback_names_the_error_as_users_import_it() -> None:
    script = (
        "import torch\n"
        "from tests.runtime.models import Encoder\n"
        "Encoder()(torch.randn(2, 8), torch.ones(2))\n"
    )
    root = Path(__file__).parents[2]
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 1
    assert run.stderr.splitlines()[-1] == (
        'neuraltypes.NeuralTypeError: Encoder.forward port "audio_signal": 2 dims where 3 '
        '("B D T") are expected (expected "B D T" SpectrogramType, found a tensor of shape (2, 8))'
    )
