# ruff: noqa: E501, UP006, UP035, N812
"""Ten wiring bugs a user makes around the CTC speech model of ``ctc_speech.py``.

Each function holds one bug, on the line marked ``# BUG: <kind> | decidable: <class>``
where the class says what a checker needs to find it: ``annotations`` (the neural
types of annotated values alone), ``op-rules`` (annotations plus rules for torch
operations, layers and losses: transpose, reductions, flatten, log_softmax, exp,
indexing, ``F.ctc_loss``...) or ``sizes-or-undecidable`` (needs the sizes the
constructors were given, or is not decidable from types at all). Apart from the
bug, each function type-checks with plain mypy.
"""

from __future__ import annotations

# the adapted lines stay as their authors wrote them (and each bug on one line):
# fmt: off
from typing import Annotated, Tuple

import torch
import torch.nn.functional as F
from ctc_speech import (
    AudioSig,
    ConvASREncoder,
    EncDecCTCModel,
    Encoded,
    Labels,
    Lengths,
    LogProbs,
    LossValue,
    MelSpec,
)
from torch import Tensor

from neuraltypes.elements import AcousticEncodedRepresentation, LogitsType, MelSpectrogramType

FramesFirst = Annotated[Tensor, "B T D", MelSpectrogramType]
Utterance = Annotated[Tensor, "B D", AcousticEncodedRepresentation]
FrameVectors = Annotated[Tensor, "frames D", AcousticEncodedRepresentation]
CTCLogits = Annotated[Tensor, "B T D", LogitsType]


def splice_frames(mel: MelSpec, context: int) -> FramesFirst:
    """A user's frame splicing, written frame-first (as most feature code is)."""
    frames = mel.transpose(1, 2)
    return torch.cat([frames.roll(shift, dims=1) for shift in range(context)], dim=-1)


def ctc_head(encoded: Encoded) -> CTCLogits:
    """A user's own output layer: raw scores, no log-softmax."""
    return encoded.transpose(1, 2)


def utterance_classifier(pooled: Utterance) -> Tensor:
    return pooled.sum(dim=-1)


def frame_classifier(frames: FrameVectors) -> Tensor:
    return frames.sum(dim=-1)


def loss_with_functional_ctc(model: EncDecCTCModel, signal: AudioSig, signal_len: Lengths, transcript: Labels, transcript_len: Lengths) -> Tensor:
    log_probs, encoded_len, _ = model(input_signal=signal, input_signal_length=signal_len)
    return F.ctc_loss(log_probs, transcript, encoded_len, transcript_len)  # BUG: "B T C" into CTC loss (missing transpose) | decidable: op-rules


def decode_transposed(model: EncDecCTCModel, mel: MelSpec, mel_len: Lengths) -> LogProbs:
    encoded, _ = model.encoder(audio_signal=mel, length=mel_len)
    return model.decoder(encoder_output=encoded.transpose(1, 2))  # BUG: extra transpose | decidable: op-rules


def encode_spliced(encoder: ConvASREncoder, mel: MelSpec, mel_len: Lengths) -> Encoded:
    spliced = splice_frames(mel, context=3)
    encoded, _ = encoder(audio_signal=spliced, length=mel_len)  # BUG: channel-last into channel-first | decidable: annotations
    return encoded


def loss_from_own_head(model: EncDecCTCModel, mel: MelSpec, mel_len: Lengths, transcript: Labels, transcript_len: Lengths) -> LossValue:
    encoded, encoded_len = model.encoder(audio_signal=mel, length=mel_len)
    logits = ctc_head(encoded)
    return model.loss(log_probs=logits, targets=transcript, input_lengths=encoded_len, target_lengths=transcript_len)  # BUG: logits into log-probs | decidable: annotations


def encode_swapped(model: EncDecCTCModel, signal: AudioSig, signal_len: Lengths) -> Encoded:
    mel, mel_len = model.preprocessor(input_signal=signal, length=signal_len)
    encoded, _ = model.encoder(mel_len, mel)  # BUG: lengths into features (arguments swapped) | decidable: annotations
    return encoded


def loss_on_probabilities(model: EncDecCTCModel, signal: AudioSig, signal_len: Lengths, transcript: Labels, transcript_len: Lengths) -> LossValue:
    log_probs, encoded_len, _ = model(input_signal=signal, input_signal_length=signal_len)
    probs = log_probs.exp()
    return model.loss(log_probs=probs, targets=transcript, input_lengths=encoded_len, target_lengths=transcript_len)  # BUG: probabilities into log-probs after exp | decidable: op-rules


def classify_utterance(model: EncDecCTCModel, mel: MelSpec, mel_len: Lengths) -> Tensor:
    encoded, _ = model.encoder(audio_signal=mel, length=mel_len)
    pooled = encoded.mean(dim=-1, keepdim=True)
    return utterance_classifier(pooled)  # BUG: wrong rank after a reduction (keepdim) | decidable: op-rules


def classify_frames(model: EncDecCTCModel, mel: MelSpec, mel_len: Lengths) -> Tensor:
    encoded, _ = model.encoder(audio_signal=mel, length=mel_len)
    return frame_classifier(encoded.flatten(0, 1))  # BUG: flatten in the wrong place (B*D, T for B*T, D) | decidable: op-rules


def decode_noisy_features(model: EncDecCTCModel, mel: MelSpec) -> LogProbs:
    noisy = F.dropout(mel, p=0.1)
    return model.decoder(encoder_output=noisy)  # BUG: element mix-up after an op (spectrogram into decoder) | decidable: op-rules


def loss_with_audio_lengths(model: EncDecCTCModel, batch: Tuple[AudioSig, Lengths, Labels, Lengths]) -> LossValue:
    signal, signal_len, transcript, transcript_len = batch
    log_probs, encoded_len, _ = model(input_signal=signal, input_signal_length=signal_len)
    return model.loss(log_probs=log_probs, targets=transcript, input_lengths=signal_len, target_lengths=transcript_len)  # BUG: audio sample lengths for encoded frame lengths | decidable: sizes-or-undecidable
