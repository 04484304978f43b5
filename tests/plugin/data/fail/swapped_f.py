"""Swapped arguments: one error per argument at most, and when two arguments each
fit the other's port (neither its own), both errors say so (issue 24)."""

from typing import Annotated

from torch import Tensor

from neuraltypes import NeuralModule
from neuraltypes.elements import (
    AcousticEncodedRepresentation,
    LengthsType,
    MelSpectrogramType,
    SpectrogramType,
)

Spec = Annotated[Tensor, "B D T", SpectrogramType]
Mel = Annotated[Tensor, "B D T", MelSpectrogramType]
Lens = Annotated[Tensor, "B", LengthsType]
Encoded = Annotated[Tensor, "B D T", AcousticEncodedRepresentation]
Frames = Annotated[Tensor, "B T D", SpectrogramType]


class Encoder(NeuralModule):
    def forward(self, audio_signal: Spec, length: Lens) -> Encoded:
        raise NotImplementedError


def three(spec: Spec, length: Lens, encoded: Encoded) -> None: ...


def layouts(frames: Frames, channels: Spec) -> None: ...


def refine(mel: Mel, spec: Spec) -> None: ...


def swapped(enc: Encoder, spec: Spec, mel: Mel, lens: Lens) -> None:
    enc(lens, spec)  # E: Encoder.forward port "audio_signal": LengthsType is not SpectrogramType (expected "B D T" SpectrogramType, found "B" LengthsType); also 1 axis where 3 are expected; arguments swapped? the values for "audio_signal" and "length" each fit the other's port  [neural-element]  # E: Encoder.forward port "length": SpectrogramType is not LengthsType (expected "B" LengthsType, found "B D T" SpectrogramType); also 3 axes where 1 are expected; arguments swapped? the values for "audio_signal" and "length" each fit the other's port  [neural-element]
    enc.forward(lens, mel)  # E: Encoder.forward port "audio_signal": LengthsType is not SpectrogramType (expected "B D T" SpectrogramType, found "B" LengthsType); also 1 axis where 3 are expected; arguments swapped? the values for "audio_signal" and "length" each fit the other's port  [neural-element]  # E: Encoder.forward port "length": MelSpectrogramType is not LengthsType (expected "B" LengthsType, found "B D T" MelSpectrogramType); also 3 axes where 1 are expected; arguments swapped? the values for "audio_signal" and "length" each fit the other's port  [neural-element]
    enc(length=spec, audio_signal=lens)  # E: Encoder.forward port "length": SpectrogramType is not LengthsType (expected "B" LengthsType, found "B D T" SpectrogramType); also 3 axes where 1 are expected; arguments swapped? the values for "audio_signal" and "length" each fit the other's port  [neural-element]  # E: Encoder.forward port "audio_signal": LengthsType is not SpectrogramType (expected "B D T" SpectrogramType, found "B" LengthsType); also 1 axis where 3 are expected; arguments swapped? the values for "audio_signal" and "length" each fit the other's port  [neural-element]
    three(lens, spec, spec)  # E: three port "spec": LengthsType is not SpectrogramType (expected "B D T" SpectrogramType, found "B" LengthsType); also 1 axis where 3 are expected; arguments swapped? the values for "spec" and "length" each fit the other's port  [neural-element]  # E: three port "length": SpectrogramType is not LengthsType (expected "B" LengthsType, found "B D T" SpectrogramType); also 3 axes where 1 are expected; arguments swapped? the values for "spec" and "length" each fit the other's port  [neural-element]  # E: three port "encoded": SpectrogramType is not AcousticEncodedRepresentation (expected "B D T" AcousticEncodedRepresentation, found "B D T" SpectrogramType)  [neural-element]
    layouts(spec, spec.transpose(1, 2))  # E: layouts port "frames": axes are transposed (expected "B T D" SpectrogramType, found "B D T" SpectrogramType); arguments swapped? the values for "frames" and "channels" each fit the other's port  [neural-axes]  # E: layouts port "channels": axes are transposed (expected "B D T" SpectrogramType, found "B T D" SpectrogramType); arguments swapped? the values for "frames" and "channels" each fit the other's port  [neural-axes]


def not_swapped(
    enc: Encoder, spec: Spec, mel: Mel, lens: Lens, encoded: Encoded, plain: Tensor
) -> None:
    enc(spec, spec)  # E: Encoder.forward port "length": SpectrogramType is not LengthsType (expected "B" LengthsType, found "B D T" SpectrogramType); also 3 axes where 1 are expected  [neural-element]
    enc(lens, plain)  # E: Encoder.forward port "audio_signal": LengthsType is not SpectrogramType (expected "B D T" SpectrogramType, found "B" LengthsType); also 1 axis where 3 are expected  [neural-element]
    # each fits the next port, no two each other's: a rotation, not a swap
    three(lens, encoded, spec)  # E: three port "spec": LengthsType is not SpectrogramType (expected "B D T" SpectrogramType, found "B" LengthsType); also 1 axis where 3 are expected  [neural-element]  # E: three port "length": AcousticEncodedRepresentation is not LengthsType (expected "B" LengthsType, found "B D T" AcousticEncodedRepresentation); also 3 axes where 1 are expected  [neural-element]  # E: three port "encoded": SpectrogramType is not AcousticEncodedRepresentation (expected "B D T" AcousticEncodedRepresentation, found "B D T" SpectrogramType)  [neural-element]
    # the mel value fits its own port too: only the first argument is wrong
    refine(spec, mel)  # E: refine port "mel": SpectrogramType is not MelSpectrogramType (expected "B D T" MelSpectrogramType, found "B D T" SpectrogramType); SpectrogramType is more general than MelSpectrogramType  [neural-element]
