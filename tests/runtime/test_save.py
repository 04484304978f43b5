"""Saved outputs keep their neural types through ``torch.save``/``torch.load``, with
``torch.load``'s default ``weights_only=True``."""

import io
from typing import Annotated

import torch
from jaxtyping import Float
from torch import Tensor

from neuraltypes import ElementType, NeuralModule, NeuralType, typecheck
from neuraltypes.elements import AudioSignal

from .models import Encoder, error, lens, spec


class PitchType(ElementType):
    """An element class defined by the user, after the runtime was imported."""


Wave = Annotated[Tensor, "B T", AudioSignal(16000)]
Pitch = Annotated[Tensor, "B T=4", PitchType]


class Analyser(NeuralModule):
    @typecheck()
    def forward(
        self, wave: Wave, frames: Float[Tensor, "b n"]
    ) -> tuple[Pitch, Float[Tensor, "b n+1"], list[Wave]]:
        return wave[:, :4], torch.cat([frames, frames[:, :1]], 1), [wave, wave]


def saved_and_loaded(value: object) -> object:
    buffer = io.BytesIO()
    torch.save(value, buffer)
    buffer.seek(0)
    return torch.load(buffer)  # the default: weights_only=True


def test_tagged_outputs_load_with_the_default_weights_only() -> None:
    encoded, encoded_len = Encoder()(spec(), lens())
    pitch, wide, waves = Analyser()(torch.randn(2, 16), torch.randn(2, 3))
    outputs = {"encoded": encoded, "len": encoded_len, "pitch": pitch, "wide": wide}
    loaded = saved_and_loaded({**outputs, "waves": waves})
    assert isinstance(loaded, dict)
    for name, value in outputs.items():
        assert torch.equal(loaded[name], value)
        assert loaded[name].neural_type == value.neural_type, name
    assert loaded["pitch"].neural_type == NeuralType("B T=4", PitchType)
    assert loaded["waves"][1].neural_type == NeuralType("B T", AudioSignal(16000))
    assert loaded["waves"][1].neural_type != NeuralType("B T", AudioSignal(8000))


def test_a_loaded_tag_is_still_checked() -> None:
    encoded, encoded_len = Encoder(d_in=8, d_out=8)(spec(), lens())
    loaded = saved_and_loaded((encoded, encoded_len))
    assert isinstance(loaded, tuple)
    assert str(error(lambda: Encoder()(*loaded))) == (
        'Encoder.forward port "audio_signal": AcousticEncodedRepresentation is not '
        'SpectrogramType (expected "B D T" SpectrogramType, found "B D T" '
        "AcousticEncodedRepresentation, shape (2, 8, 10))"
    )
