# ruff: noqa: E501, N812
"""Ten wiring bugs a user makes around the wav2vec 2.0 model of ``wav2vec2.py``.

Each function holds one bug, on the line marked ``# BUG: <kind> | decidable: <class>``
(classes: see ``ctc_speech_bugs.py``). Apart from the bug, each function type-checks
with plain mypy.
"""

from __future__ import annotations

# the adapted lines stay as their authors wrote them (and each bug on one line):
# fmt: off
from typing import Annotated

import torch
import torch.nn.functional as F
from torch import Tensor
from wav2vec2 import (
    ConvLayerBlock,
    CTCFineTune,
    Frames,
    GreedyCTCDecoder,
    Labels,
    Lengths,
    Wav2Vec2Model,
    Waveform,
)

from neuraltypes.elements import EncodedRepresentation

Embedding = Annotated[Tensor, "B D", EncodedRepresentation]


def speaker_head(emb: Embedding) -> Tensor:
    return emb.norm(dim=-1)


def project_conv_output(model: Wav2Vec2Model, layer: ConvLayerBlock, waveforms: Waveform, lengths: Lengths) -> Frames:
    x, _ = layer(waveforms.unsqueeze(1), lengths)
    return model.encoder.feature_projection(x)  # BUG: channel-first into channel-last (missing transpose) | decidable: annotations


def encode_transposed(model: Wav2Vec2Model, waveforms: Waveform, lengths: Lengths) -> Frames:
    x, out_len = model.feature_extractor(waveforms, lengths)
    return model.encoder(x.transpose(1, 2), out_len)  # BUG: extra transpose | decidable: op-rules


def forward_with_channel_axis(model: Wav2Vec2Model, waveforms: Waveform, lengths: Lengths) -> Frames:
    x, _ = model(waveforms.unsqueeze(1), lengths)  # BUG: (batch, channel, time) as loaded from a file | decidable: op-rules
    return x


def encode_swapped(model: Wav2Vec2Model, waveforms: Waveform, lengths: Lengths) -> Frames:
    x, out_len = model.feature_extractor(waveforms, lengths)
    assert out_len is not None
    return model.encoder(out_len, x)  # BUG: lengths into features (arguments swapped) | decidable: annotations


def ctc_on_logits(task: CTCFineTune, x: Frames, labels: Labels, out_len: Lengths, label_lengths: Lengths) -> Tensor:
    logits = task.aux(x)
    return task.loss_fn(logits.transpose(0, 1), labels, out_len, label_lengths)  # BUG: logits into log-probs (no log_softmax; a plain nn.Linear gives no element type) | decidable: sizes-or-undecidable


def ctc_batch_first(task: CTCFineTune, x: Frames, labels: Labels, out_len: Lengths, label_lengths: Lengths) -> Tensor:
    log_probs = F.log_softmax(task.aux(x), dim=-1)
    return task.loss_fn(log_probs, labels, out_len, label_lengths)  # BUG: "B T C" into CTC loss (missing transpose) | decidable: op-rules


def speaker_embedding(model: Wav2Vec2Model, waveforms: Waveform) -> Tensor:
    x, _ = model(waveforms)
    emb = x.mean(dim=1, keepdim=True)
    return speaker_head(emb)  # BUG: wrong rank after a reduction (keepdim) | decidable: op-rules


def transcribe_batch(model: Wav2Vec2Model, decoder: GreedyCTCDecoder, waveforms: Waveform) -> str:
    with torch.inference_mode():
        emission, _ = model(waveforms)
    return decoder(emission)  # BUG: a batch where one utterance is expected (forgot [0]) | decidable: annotations


def skip_feature_projection(model: Wav2Vec2Model, waveforms: Waveform, lengths: Lengths) -> Frames:
    x, _ = model.feature_extractor(waveforms, lengths)
    return model.encoder.transformer(x)  # BUG: 512-dim conv features into the 768-dim transformer (projection skipped) | decidable: sizes-or-undecidable


def ctc_with_audio_lengths(task: CTCFineTune, x: Frames, labels: Labels, audio_lengths: Lengths, label_lengths: Lengths) -> Tensor:
    log_probs = F.log_softmax(task.aux(x), dim=-1).transpose(0, 1)
    return task.loss_fn(log_probs, labels, audio_lengths, label_lengths)  # BUG: waveform lengths for frame lengths | decidable: sizes-or-undecidable
