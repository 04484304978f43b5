"""Arguments in their places, or swapped between ports that take the same type:
no error (the swap hint only ever comes with an error; issue 24)."""

from typing import Annotated

from torch import Tensor

from neuraltypes import NeuralModule
from neuraltypes.elements import AcousticEncodedRepresentation, LengthsType, SpectrogramType

Spec = Annotated[Tensor, "B D T", SpectrogramType]
Lens = Annotated[Tensor, "B", LengthsType]
Encoded = Annotated[Tensor, "B D T", AcousticEncodedRepresentation]


class Encoder(NeuralModule):
    def forward(self, audio_signal: Spec, length: Lens) -> Encoded:
        raise NotImplementedError


def mix(first: Spec, second: Spec) -> None: ...


def wired(enc: Encoder, spec: Spec, other: Spec, lens: Lens) -> None:
    enc(spec, lens)
    enc(length=lens, audio_signal=spec)
    mix(other, spec)
    mix(spec, spec)
