"""Correct wiring: no errors, with or without the plugin, and under pyright."""

from typing import Annotated, Optional

import torch
from jaxtyping import Float
from torch import Tensor, nn

from neural_aliases_p import Channels, Enc, Lens, LogProbs, Mel, Spec
from neuraltypes import NeuralModule, typecheck
from neuraltypes.elements import SpectrogramType, VoidType


class Encoder(NeuralModule):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv1d(80, 80, 3, padding=1)

    @typecheck()
    def forward(self, audio: Spec, length: Lens) -> tuple[Enc, Lens]:
        return self.conv(audio), length


class Decoder(NeuralModule):
    @typecheck()
    def forward(self, encoder_output: Enc, mask: Optional[Lens] = None) -> LogProbs:
        return encoder_output.transpose(1, 2).log_softmax(-1)


class Anything(NeuralModule):
    @typecheck()
    def forward(self, x: Annotated[Tensor, "B D T", VoidType]) -> Tensor:
        return x


class Model(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.encoder = Encoder()
        self.decoder = Decoder()

    def forward(self, mel: Mel, mel_len: Lens) -> LogProbs:
        encoded, encoded_len = self.encoder(mel, mel_len)  # a Mel is a Spec
        out = self.encoder(audio=mel, length=mel_len)
        self.decoder(out[0], mask=out[1])
        return self.decoder(encoder_output=encoded, mask=encoded_len)


def gradual(enc: Encoder, dec: Decoder, spec: Spec, lens: Lens) -> Tensor:
    plain = torch.randn(2, 80, 10)
    enc(plain, torch.ones(2))  # plain tensors are never an error
    encoded, _ = enc(spec, lens)
    reshaped = encoded.transpose(1, 2).transpose(1, 2)
    dec(reshaped)  # followed through both transposes: "B D T" again
    as_tensor: Tensor = encoded  # a neural value is a Tensor
    spec = spec.transpose(1, 2)  # reassigned: now a "B T D" value
    Anything()(spec.mT)
    Anything()(encoded)
    return as_tensor + torch.zeros(1)


def channels_accept_subclasses(x: Channels) -> Channels:
    return x


def subclass_into_parent(mel: Mel, enc: Enc) -> None:
    channels_accept_subclasses(mel)
    channels_accept_subclasses(enc)


def jaxtyping_names_are_local(x: Float[Tensor, "batch seq d_model"]) -> None:
    takes_pos(x)


def takes_pos(x: Float[Tensor, "batch pos d_model"]) -> None:
    pass


def sequential() -> nn.Sequential:
    class A(NeuralModule):
        @typecheck()
        def forward(self, x: Spec) -> Annotated[Tensor, "B D T", SpectrogramType]:
            return x

    return nn.Sequential(A(), A(), nn.ReLU())
