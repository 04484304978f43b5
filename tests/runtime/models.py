"""Small typed modules and aliases shared by the runtime tests."""

from typing import Annotated, Optional

import torch
from torch import Tensor, nn

from neuraltypes import NeuralModule, NeuralTypeError, typecheck
from neuraltypes.elements import (
    AcousticEncodedRepresentation,
    LengthsType,
    LogitsType,
    MelSpectrogramType,
    SpectrogramType,
)

Spec = Annotated[Tensor, "B D T", SpectrogramType]
Mel = Annotated[Tensor, "B D T", MelSpectrogramType]
Lens = Annotated[Tensor, "B", LengthsType]
Enc = Annotated[Tensor, "B D T", AcousticEncodedRepresentation]
Logits = Annotated[Tensor, "B T C", LogitsType]


class Encoder(NeuralModule):
    """Maps D=d_in to D=d_out (NeMo kind letters may change size)."""

    def __init__(self, d_in: int = 8, d_out: int = 16) -> None:
        super().__init__()
        self.conv = nn.Conv1d(d_in, d_out, 3, padding=1)

    @typecheck()
    def forward(self, audio_signal: Spec, length: Lens) -> tuple[Enc, Lens]:
        return self.conv(audio_signal), length


class Decoder(NeuralModule):
    def __init__(self, d_in: int = 16, classes: int = 5) -> None:
        super().__init__()
        self.proj = nn.Conv1d(d_in, classes, 1)

    @typecheck()
    def forward(self, encoder_output: Enc) -> Logits:
        return self.proj(encoder_output).transpose(1, 2)


class Masked(NeuralModule):
    @typecheck()
    def forward(self, x: Spec, mask: Optional[Lens] = None) -> Spec:
        return x * 1


def spec(batch: int = 2, d: int = 8, t: int = 10) -> Tensor:
    return torch.randn(batch, d, t)


def lens(*values: int) -> Tensor:
    return torch.tensor(values or (10, 8))


def error(call: object) -> NeuralTypeError:
    """The NeuralTypeError ``call()`` raises."""
    try:
        call()  # type: ignore[operator]
    except NeuralTypeError as err:
        return err
    raise AssertionError("no NeuralTypeError raised")
