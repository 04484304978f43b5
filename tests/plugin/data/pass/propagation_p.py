"""Tensor code the propagation rules follow (or leave alone) without a false error:
what the rules can't be sure of drops the neural type."""

from typing import Annotated, Any, Optional

import torch
import torch.nn.functional as F
from jaxtyping import Float
from torch import Tensor, nn

from neural_aliases_p import Enc, Lens, LogProbs, Spec
from neuraltypes import NeuralModule
from neuraltypes.elements import AcousticEncodedRepresentation

EncT = Annotated[Tensor, "B T D", AcousticEncodedRepresentation]


class Decoder(NeuralModule):
    def forward(self, encoder_output: Enc) -> LogProbs:
        raise NotImplementedError


def uncertain(dec: Decoder, enc: Enc, enc_t: EncT, dims: tuple[int, int], n: int) -> None:
    dec(enc_t.transpose(*dims))  # unpacked arguments: not decided
    dec(enc_t.view(-1, n, 3))  # sizes not literal: rank known, axes anonymous
    dec(enc_t.reshape(enc.shape))  # not a literal shape: not decided
    dec(enc_t.transpose(1, n))  # a dim that is not a literal
    dec(enc_t[..., :n].transpose(1, 2))
    dec(enc_t.masked_fill(torch.zeros(2, 3, 4, dtype=torch.bool), 0.0).transpose(1, 2))


def broadcasts(x: Float[Tensor, "b n d"], y: Float[Tensor, "b m d"], mask: Float[Tensor, "b n"]) -> None:
    takes(x + y)  # names are sizes local to a function: n and m may be equal
    takes(x * mask.unsqueeze(-1))
    takes(x * mask[:, :, None])


def takes(h: Float[Tensor, "b n d"]) -> None:
    pass


class Block(NeuralModule):
    def __init__(self) -> None:
        super().__init__()
        self.ln = nn.LayerNorm(80)
        self.proj = nn.Linear(80, 80)
        self.layers = nn.ModuleList([nn.Linear(80, 80) for _ in range(3)])
        self.decoder = Decoder()

    def forward(self, x: EncT, lens: Optional[Lens] = None) -> LogProbs:
        x = x + self.proj(self.ln(x))  # a residual keeps "B T D"
        for layer in self.layers:
            x = layer(x)
        x = F.dropout(x, 0.1).transpose(1, 2)
        if lens is not None:
            x = x * (lens > 0)[:, None, None]
        return self.decoder(x)


def reassigned(dec: Decoder, spec: Spec, untyped_value: object) -> None:
    spec = spec.transpose(1, 2).transpose(1, 2).float()
    enc = torch.tanh(spec)
    enc = enc.unsqueeze(0).squeeze(0)
    dec(enc.new_zeros(enc.shape))  # an op outside the table: a plain Tensor


def reversed_operator(dec: Decoder, spec: Spec, anything: Any) -> None:
    spec = anything  # no longer the declared spectrogram: it carries nothing
    dec(2 * spec)  # 2 * spec calls spec.__rmul__(2): its receiver is on the right


def class_probabilities(
    logits: Float[Tensor, "batch d_vocab"], soft: Float[Tensor, "batch d_vocab"], hard: Tensor, any_dtype: Annotated[Tensor, "B C"]
) -> None:
    F.cross_entropy(logits, soft)  # a floating target of the input's rank: probabilities
    F.cross_entropy(logits, any_dtype)  # dtype not known: maybe probabilities
    F.cross_entropy(logits, hard)  # a plain target: not checked
    F.cross_entropy(logits.unsqueeze(-1), soft)  # one axis less than "batch d_vocab 1": indices


class Channels(NeuralModule):
    def __init__(self, dim: int) -> None:
        super().__init__()
        self.conv = nn.Conv1d(dim, dim, 3, padding=1)
        self.decoder = Decoder()

    def forward(self, enc: Enc, unknown: Annotated[Tensor, "B _ T"]) -> None:
        self.decoder(self.conv(enc))  # channel-first in, channel-first out
        self.decoder(self.conv(unknown))  # an anonymous channel axis stays anonymous
