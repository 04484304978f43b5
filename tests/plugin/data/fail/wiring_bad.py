"""Wrong wiring: each error is written on the line that causes it."""

from typing import Annotated

import torch
from torch import Tensor, nn

from neural_aliases_f import Enc, Lens, Logits, LogProbs, Mel, Spec
from neuraltypes import NeuralModule, typecheck
from neuraltypes.elements import SpectrogramType


class Encoder(NeuralModule):
    @typecheck()
    def forward(self, audio: Spec, length: Lens) -> tuple[Enc, Lens]:
        return audio, length


class Decoder(NeuralModule):
    @typecheck()
    def forward(self, encoder_output: Enc) -> LogProbs:
        return encoder_output.transpose(1, 2)


class Loss(NeuralModule):
    @typecheck()
    def forward(self, log_probs: LogProbs, lengths: Lens) -> Tensor:
        return log_probs.sum()


class Model(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.encoder = Encoder()
        self.decoder = Decoder()
        self.loss = Loss()

    def forward(self, mel: Mel, mel_len: Lens) -> Tensor:
        encoded, encoded_len = self.encoder(mel, mel_len)
        self.decoder(mel)  # E: Decoder.forward port "encoder_output": MelSpectrogramType is not AcousticEncodedRepresentation (expected "B D T" AcousticEncodedRepresentation, found "B D T" MelSpectrogramType)  [neural-element]
        log_probs = self.decoder(encoder_output=encoded)
        self.loss(log_probs, encoded)  # E: Loss.forward port "lengths": AcousticEncodedRepresentation is not LengthsType (expected "B" LengthsType, found "B D T" AcousticEncodedRepresentation); also 3 axes where 1 are expected  [neural-element]
        both = self.encoder(mel, mel_len)
        self.loss(log_probs, lengths=both[1])
        self.loss(log_probs, lengths=both[0])  # E: Loss.forward port "lengths": AcousticEncodedRepresentation is not LengthsType (expected "B" LengthsType, found "B D T" AcousticEncodedRepresentation); also 3 axes where 1 are expected  [neural-element]
        return self.loss(log_probs, encoded_len)


def transposed(dec: Decoder, x: Annotated[Tensor, "B T D", SpectrogramType]) -> None:
    takes_spec(x)  # E: takes_spec port "x": axes are transposed (expected "B D T" SpectrogramType, found "B T D" SpectrogramType); did you mean .transpose(1, 2)?  [neural-axes]
    takes_spec(x.transpose(1, 2))


def takes_spec(x: Spec) -> None:
    pass


def takes_80(x: Annotated[Tensor, "B D=80 T", SpectrogramType]) -> None:
    pass


def sizes(x: Annotated[Tensor, "B D=64 T", SpectrogramType], y: Spec) -> None:
    takes_80(x)  # E: takes_80 port "x": dim 1 (D=80) has size 64, expected 80 (expected "B D=80 T" SpectrogramType, found "B D=64 T" SpectrogramType)  [neural-size]
    takes_80(y)


def logits_are_not_log_probs(logits: Logits) -> None:
    Loss()(logits, torch.ones(2))  # E: Loss.forward port "log_probs": LogitsType is not LogprobsType (expected "B T C" LogprobsType, found "B T C" LogitsType)  [neural-element]


def more_general_is_rejected(spec: Spec) -> None:
    takes_mel(spec)  # E: takes_mel port "x": SpectrogramType is not MelSpectrogramType (expected "B D T" MelSpectrogramType, found "B D T" SpectrogramType); SpectrogramType is more general than MelSpectrogramType  [neural-element]


def takes_mel(x: Mel) -> None:
    pass


def silenced(dec: Decoder, mel: Mel) -> None:
    dec(mel)  # type: ignore[neural-element]


class Stage(NeuralModule):
    @typecheck()
    def forward(self, x: Spec) -> Enc:
        return x


def chain() -> nn.Sequential:
    return nn.Sequential(
        Stage(),
        Stage(),  # E: nn.Sequential: Stage.forward port "x": AcousticEncodedRepresentation is not SpectrogramType (expected "B D T" SpectrogramType, found "B D T" AcousticEncodedRepresentation)  [neural-element]
        Decoder(),
    )


def chain_back() -> nn.Sequential:
    return nn.Sequential(
        Decoder(),
        Stage(),  # E: nn.Sequential: Stage.forward port "x": LogprobsType is not SpectrogramType (expected "B D T" SpectrogramType, found "B T C" LogprobsType); also axes are transposed  [neural-element]
    )


def narrowed(spec: Spec, dec: Decoder) -> None:
    x: Tensor = torch.zeros(1)
    x = spec  # a plain declaration, a neural value: the value is checked
    dec(x)  # E: Decoder.forward port "encoder_output": SpectrogramType is not AcousticEncodedRepresentation (expected "B D T" AcousticEncodedRepresentation, found "B D T" SpectrogramType)  [neural-element]
    y = spec
    y = y.transpose(1, 2)  # followed through the transpose: "B T D" SpectrogramType
    dec(y)  # E: Decoder.forward port "encoder_output": SpectrogramType is not AcousticEncodedRepresentation (expected "B D T" AcousticEncodedRepresentation, found "B T D" SpectrogramType); also axes are transposed  [neural-element]
