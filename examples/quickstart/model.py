"""An encoder and a CTC decoder, and the code that wires them, with one bug."""

import torch
from asr_types import Encoded, Lengths, LogProbs, MelSpec
from torch import nn

from neuraltypes import NeuralModule, typecheck


class Encoder(NeuralModule):
    def __init__(self, n_mels: int = 80, hidden: int = 80) -> None:
        super().__init__()
        self.conv = nn.Conv1d(n_mels, hidden, kernel_size=3, stride=2, padding=1)

    @typecheck()
    def forward(self, features: MelSpec, length: Lengths) -> tuple[Encoded, Lengths]:
        return torch.relu(self.conv(features)), (length + 1) // 2


class CTCDecoder(NeuralModule):
    def __init__(self, hidden: int = 80, vocab: int = 29) -> None:
        super().__init__()
        self.proj = nn.Conv1d(hidden, vocab, kernel_size=1)

    @typecheck()
    def forward(self, encoder_output: Encoded) -> LogProbs:
        return self.proj(encoder_output).transpose(1, 2).log_softmax(dim=-1)


def transcribe(encoder: Encoder, decoder: CTCDecoder, mel: MelSpec, mel_len: Lengths) -> LogProbs:
    encoded, encoded_len = encoder(mel, mel_len)
    return decoder(encoder_output=mel)  # the bug: the decoder should get `encoded`
