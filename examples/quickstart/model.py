"""An encoder and a CTC decoder, and the training step that wires them into torch's
CTC loss, with one bug: one that only shows after two torch operations."""

import torch
import torch.nn.functional as F
from asr_types import Encoded, Lengths, Logits, MelSpec
from torch import Tensor, nn

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
    def forward(self, encoder_output: Encoded) -> Logits:
        return self.proj(encoder_output).transpose(1, 2)


def ctc_step(
    encoder: Encoder,
    decoder: CTCDecoder,
    mel: MelSpec,
    mel_len: Lengths,
    targets: Tensor,
    target_len: Tensor,
) -> Tensor:
    encoded, encoded_len = encoder(mel, mel_len)
    log_probs = decoder(encoder_output=encoded).log_softmax(dim=-1)  # "B T C" log-probs
    return F.ctc_loss(log_probs, targets, encoded_len, target_len)  # the bug: CTC wants "T B C"
