"""Swapped arguments at run time (issue 24): the call raises at the first argument
that does not fit, in one message; when it and another tagged argument of the call
each fit the other's port (neither its own), the message ends with the swap hint,
the same the plugin gives for the same call."""

from typing import Annotated

import torch
from torch import Tensor

from neuraltypes import NeuralModule, typecheck
from neuraltypes.elements import SpectrogramType

from .models import Encoder, Lens, Spec, error, lens, spec

Frames = Annotated[Tensor, "B T D", SpectrogramType]

HINT = 'arguments swapped? the values for "audio_signal" and "length" each fit the other\'s port'
FEATURES_AT_LENGTH = (
    'Encoder.forward port "length": SpectrogramType is not LengthsType (expected "B" '
    'LengthsType, found "B D T" SpectrogramType, shape (2, 8, 10)); also 3 axes where 1 '
    "are expected"
)
LENGTHS_AT_FEATURES = (
    'Encoder.forward port "audio_signal": LengthsType is not SpectrogramType (expected '
    '"B D T" SpectrogramType, found "B" LengthsType, shape (2,)); also 1 axis where 3 '
    "are expected"
)


class Source(NeuralModule):
    """Tags its inputs: features and lengths, as a preprocessor returns them."""

    @typecheck()
    def forward(self, x: Tensor, n: Tensor) -> tuple[Spec, Lens]:
        return x * 1, n * 1


def tagged() -> tuple[Tensor, Tensor]:
    features, lengths = Source()(spec(), lens())
    return features, lengths


def test_swapped_positional_arguments_give_one_message_with_the_hint() -> None:
    features, lengths = tagged()
    err = error(lambda: Encoder()(lengths, features))
    assert str(err) == f"{LENGTHS_AT_FEATURES}; {HINT}"
    assert err.code == "neural-element"
    assert [m.code for m in err.mismatches] == ["neural-element", "neural-axes"]


def test_swapped_keyword_arguments_name_the_ports_in_the_signature_order() -> None:
    features, lengths = tagged()
    err = error(lambda: Encoder()(length=features, audio_signal=lengths))
    assert str(err) == f"{LENGTHS_AT_FEATURES}; {HINT}"


def test_the_hint_replaces_the_transpose_hint() -> None:
    class ToFrames(NeuralModule):
        @typecheck()
        def forward(self, x: Tensor) -> Frames:
            return x.transpose(1, 2) * 1

    class Layouts(NeuralModule):
        @typecheck()
        def forward(self, frames: Frames, channels: Spec) -> None:
            return None

    channels = tagged()[0]
    frames = ToFrames()(spec())
    err = error(lambda: Layouts()(channels, frames))
    assert str(err) == (
        'Layouts.forward port "frames": axes are transposed (expected "B T D" '
        'SpectrogramType, found "B D T" SpectrogramType, shape (2, 8, 10)); arguments '
        'swapped? the values for "frames" and "channels" each fit the other\'s port'
    )
    assert err.code == "neural-axes"


def test_no_hint_when_the_other_argument_has_no_tag() -> None:
    _, lengths = tagged()
    err = error(lambda: Encoder()(lengths, torch.zeros(2, 8, 10)))
    assert str(err) == LENGTHS_AT_FEATURES


def test_no_hint_when_only_one_argument_is_wrong() -> None:
    features, _ = tagged()
    err = error(lambda: Encoder()(features, features))
    assert str(err) == FEATURES_AT_LENGTH


def test_no_hint_when_the_other_value_does_not_fit_this_port() -> None:
    _, lengths = tagged()
    encoded, _ = Encoder()(*tagged())  # "B D T" AcousticEncodedRepresentation
    err = error(lambda: Encoder()(lengths, encoded))
    assert str(err) == LENGTHS_AT_FEATURES
