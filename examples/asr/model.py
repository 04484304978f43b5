"""Preprocessor -> encoder -> decoder -> CTC loss, each a typed NeuralModule."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from neuraltypes import Loss, NeuralModule, typecheck

from .asr_types import (
    Audio,
    Encoded,
    EncodedFrames,
    Labels,
    Lengths,
    Logits,
    LogProbs,
    LossValue,
    MelSpec,
)


class MelPreprocessor(NeuralModule):
    """Frames raw audio and projects each frame to ``n_mels`` log energies."""

    def __init__(self, n_mels: int = 40, win: int = 400, hop: int = 160) -> None:
        super().__init__()
        self.win, self.hop = win, hop
        # a fixed (non-trainable) filterbank stands in for a mel filterbank
        self.register_buffer("filters", torch.rand(n_mels, win // 2 + 1))

    @typecheck()
    def forward(self, audio: Audio, audio_len: Lengths) -> tuple[MelSpec, Lengths]:
        frames = audio.unfold(1, self.win, self.hop)  # B T win
        power = torch.fft.rfft(frames, dim=-1).abs() ** 2  # B T F
        filters: torch.Tensor = self.filters  # type: ignore[assignment]
        mel = torch.log(power @ filters.T + 1e-6).transpose(1, 2)  # B D T
        frames_len = torch.clamp((audio_len - self.win) // self.hop + 1, min=1)
        return mel, frames_len


class ConvEncoder(NeuralModule):
    """Two strided 1-D convolutions: time is halved twice."""

    def __init__(self, n_mels: int = 40, hidden: int = 64) -> None:
        super().__init__()
        self.conv1 = nn.Conv1d(n_mels, hidden, kernel_size=3, stride=2, padding=1)
        self.conv2 = nn.Conv1d(hidden, hidden, kernel_size=3, stride=2, padding=1)

    @typecheck()
    def forward(self, features: MelSpec, length: Lengths) -> tuple[Encoded, Lengths]:
        x = F.relu(self.conv1(features))
        x = F.relu(self.conv2(x))
        length = (length + 1) // 2
        length = (length + 1) // 2
        return x, length


class CTCDecoder(NeuralModule):
    """A linear layer from each frame to the vocabulary: logits, time first."""

    def __init__(self, hidden: int = 64, vocab: int = 29) -> None:
        super().__init__()
        self.proj = nn.Linear(hidden, vocab)

    @typecheck()
    def forward(self, encoder_output: EncodedFrames) -> Logits:
        return self.proj(encoder_output)


class CTCLoss(Loss):
    """CTC loss over typed inputs; the output is a scalar LossType."""

    @typecheck()
    def forward(
        self, log_probs: LogProbs, targets: Labels, input_lengths: Lengths, target_lengths: Lengths
    ) -> LossValue:
        return F.ctc_loss(
            log_probs.transpose(0, 1), targets, input_lengths, target_lengths, zero_infinity=True
        )


class SpeechRecognizer(nn.Module):
    """The whole model. Its wiring is what mypy checks: between the typed modules a
    transpose (channels first to time first) and a log-softmax (logits to log-probs),
    which the plugin follows."""

    def __init__(self, n_mels: int = 40, hidden: int = 64, vocab: int = 29) -> None:
        super().__init__()
        self.preprocessor = MelPreprocessor(n_mels)
        self.encoder = ConvEncoder(n_mels, hidden)
        self.decoder = CTCDecoder(hidden, vocab)

    def forward(self, audio: Audio, audio_len: Lengths) -> tuple[LogProbs, Lengths]:
        mel, mel_len = self.preprocessor(audio=audio, audio_len=audio_len)
        encoded, encoded_len = self.encoder(mel, mel_len)
        logits = self.decoder(encoder_output=encoded.transpose(1, 2))
        return logits.log_softmax(dim=-1), encoded_len
