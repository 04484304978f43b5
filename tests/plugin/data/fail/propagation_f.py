"""Neural types follow tensors through torch: each rule family, with the errors a
wrong wire gives after the operation (the rules are neuraltypes._core.ops)."""

from typing import Annotated

import torch
import torch.nn.functional as F
from jaxtyping import Float, Int
from torch import Tensor, nn

from neural_aliases_f import Enc, Lens, Logits, LogProbs, Spec
from neuraltypes import NeuralModule
from neuraltypes.elements import AcousticEncodedRepresentation

EncT = Annotated[Tensor, "B T D", AcousticEncodedRepresentation]


class Decoder(NeuralModule):
    def forward(self, encoder_output: Enc) -> Logits:
        raise NotImplementedError


class CTC(NeuralModule):
    def forward(self, log_probs: LogProbs, lengths: Lens) -> Tensor:
        raise NotImplementedError


def axis_order(dec: Decoder, enc_t: EncT, enc: Enc) -> None:
    dec(enc_t.transpose(1, 2))
    dec(enc_t.mT)
    dec(enc_t.permute(0, 2, 1))
    dec(enc_t.swapaxes(-1, -2))
    dec(enc_t)  # E: Decoder.forward port "encoder_output": axes are transposed (expected "B D T" AcousticEncodedRepresentation, found "B T D" AcousticEncodedRepresentation); did you mean .transpose(1, 2)?  [neural-axes]
    dec(enc.transpose(1, 2))  # E: Decoder.forward port "encoder_output": axes are transposed (expected "B D T" AcousticEncodedRepresentation, found "B T D" AcousticEncodedRepresentation); did you mean .transpose(1, 2)?  [neural-axes]
    dec(enc_t.transpose(1, 2).transpose(1, 2))  # E: Decoder.forward port "encoder_output": axes are transposed (expected "B D T" AcousticEncodedRepresentation, found "B T D" AcousticEncodedRepresentation); did you mean .transpose(1, 2)?  [neural-axes]


def same_data(dec: Decoder, enc: Enc, enc_t: EncT, other: Tensor) -> None:
    dec(enc.float().contiguous().detach().clone())
    dec(enc.to(torch.float16).cpu())
    dec(enc.type_as(other))
    dec(enc_t.float())  # E: Decoder.forward port "encoder_output": axes are transposed (expected "B D T" AcousticEncodedRepresentation, found "B T D" AcousticEncodedRepresentation); did you mean .transpose(1, 2)?  [neural-axes]


def meaning(ctc: CTC, logits: Logits, lens: Lens) -> None:
    ctc(logits.log_softmax(-1), lens)
    ctc(F.log_softmax(logits, dim=-1), lens)
    ctc(torch.log_softmax(logits, -1), lens)
    ctc(logits, lens)  # E: CTC.forward port "log_probs": LogitsType is not LogprobsType (expected "B T C" LogprobsType, found "B T C" LogitsType)  [neural-element]
    ctc(logits.softmax(-1), lens)  # E: CTC.forward port "log_probs": ProbsType is not LogprobsType (expected "B T C" LogprobsType, found "B T C" ProbsType)  [neural-element]
    ctc(logits.log_softmax(-1).exp(), lens)  # E: CTC.forward port "log_probs": ProbsType is not LogprobsType (expected "B T C" LogprobsType, found "B T C" ProbsType)  [neural-element]
    ctc(logits.softmax(-1).log(), lens)


def elementwise(dec: Decoder, enc: Enc, enc_t: EncT, spec: Spec) -> None:
    dec(F.gelu(enc) + enc)
    dec(torch.relu(enc) * 2.0)
    dec(enc + spec)  # elements disagree: the result's element is unknown
    dec(enc.sigmoid() - 1)
    dec(enc + enc_t)  # E: operator "+": axes do not broadcast: dim -1 is D where T is expected (expected "B D T" AcousticEncodedRepresentation, found "B T D" AcousticEncodedRepresentation)  [neural-axes]
    dec(F.dropout(enc_t, 0.1))  # E: Decoder.forward port "encoder_output": axes are transposed (expected "B D T" AcousticEncodedRepresentation, found "B T D" AcousticEncodedRepresentation); did you mean .transpose(1, 2)?  [neural-axes]
    dec(F.gelu(enc_t))  # E: Decoder.forward port "encoder_output": axes are transposed (expected "B D T" AcousticEncodedRepresentation, found "B T D" AcousticEncodedRepresentation); did you mean .transpose(1, 2)?  [neural-axes]
    dec(F.softplus(enc_t))  # E: Decoder.forward port "encoder_output": axes are transposed (expected "B D T" AcousticEncodedRepresentation, found "B T D" AcousticEncodedRepresentation); did you mean .transpose(1, 2)?  [neural-axes]
    dec(F.logsigmoid(enc_t))  # E: Decoder.forward port "encoder_output": axes are transposed (expected "B D T" AcousticEncodedRepresentation, found "B T D" AcousticEncodedRepresentation); did you mean .transpose(1, 2)?  [neural-axes]


def rank(dec: Decoder, enc: Enc, lens: Lens, dim: int) -> None:
    dec(enc.sum(1, keepdim=True))
    dec(enc.mean(-1))  # E: Decoder.forward port "encoder_output": 2 axes where 3 are expected (expected "B D T" AcousticEncodedRepresentation, found "B D")  [neural-axes]
    dec(enc[:, 0])  # E: Decoder.forward port "encoder_output": 2 axes where 3 are expected (expected "B D T" AcousticEncodedRepresentation, found "B T" AcousticEncodedRepresentation)  [neural-axes]
    dec(enc[:, :, 1:])
    dec(enc.unsqueeze(1))  # E: Decoder.forward port "encoder_output": 4 axes where 3 are expected (expected "B D T" AcousticEncodedRepresentation, found "B 1 D T" AcousticEncodedRepresentation)  [neural-axes]
    dec(enc.flatten(1))  # E: Decoder.forward port "encoder_output": 2 axes where 3 are expected (expected "B D T" AcousticEncodedRepresentation, found "B _" AcousticEncodedRepresentation)  [neural-axes]
    dec(enc.sum(dim))  # a dim that is not a literal: not decided
    dec(torch.cat([enc, enc], dim=1))


def jaxtyping_flow(x: Float[Tensor, "batch pos d_model"], w: Float[Tensor, "d_model d_head"]) -> None:
    takes_heads(torch.einsum("bpd,dh->bph", x, w))
    takes_heads(x @ w)
    takes_heads(x.mean(1))  # E: takes_heads port "h": 2 axes where 3 are expected (expected "batch pos d_head", found "batch d_model")  [neural-axes]


def takes_heads(h: Float[Tensor, "batch pos d_head"]) -> None:
    pass


class Model(NeuralModule):
    def __init__(self) -> None:
        super().__init__()
        self.proj = nn.Linear(80, 256)
        self.norm = nn.LayerNorm(80)
        self.ctc = nn.CTCLoss()
        self.decoder = Decoder()

    def forward(self, enc: Enc, enc_t: EncT, logits: Logits, lens: Lens) -> None:
        self.decoder(self.norm(enc_t))  # E: Decoder.forward port "encoder_output": axes are transposed (expected "B D T" AcousticEncodedRepresentation, found "B T D" AcousticEncodedRepresentation); did you mean .transpose(1, 2)?  [neural-axes]
        self.decoder(self.norm(enc_t).transpose(1, 2))
        hidden = self.proj(enc_t)
        self.decoder(hidden)  # E: Decoder.forward port "encoder_output": dim 1 is T where D is expected (expected "B D T" AcousticEncodedRepresentation, found "B T 256")  [neural-axes]
        log_probs = logits.log_softmax(-1)
        self.ctc(log_probs.transpose(0, 1), lens, lens, lens)
        self.ctc(log_probs, lens, lens, lens)  # E: CTCLoss.forward port "log_probs": axes are transposed (expected "T B C" LogprobsType, found "B T C" LogprobsType); did you mean .transpose(0, 1)?  [neural-axes]
        self.ctc(logits.transpose(0, 1), lens, lens, lens)  # E: CTCLoss.forward port "log_probs": LogitsType is not LogprobsType (expected "T B C" LogprobsType, found "T B C" LogitsType)  [neural-element]
        F.ctc_loss(log_probs, lens, lens, lens)  # E: torch.nn.functional.ctc_loss port "log_probs": axes are transposed (expected "T B C" LogprobsType, found "B T C" LogprobsType); did you mean .transpose(0, 1)?  [neural-axes]
        F.ctc_loss(logits, lens, lens, lens)  # E: torch.nn.functional.ctc_loss port "log_probs": LogitsType is not LogprobsType (expected "T B C" LogprobsType, found "B T C" LogitsType); also axes are transposed  [neural-element]


Images = Annotated[Tensor, "B C H W"]


class TakesTokens(NeuralModule):
    def forward(self, x: EncT) -> None:
        raise NotImplementedError


class Patches(NeuralModule):
    """Convolutions whose sizes are variables: the output is still channel-first."""

    def __init__(self, channels: int, dim: int) -> None:
        super().__init__()
        self.proj = nn.Conv2d(channels, dim, kernel_size=16, stride=16)
        self.conv = nn.Conv1d(dim, dim, 3, padding=1)
        self.tokens = TakesTokens()
        self.decoder = Decoder()

    def forward(self, images: Images, enc: Enc) -> None:
        self.tokens(self.proj(images).flatten(2).transpose(1, 2))
        self.tokens(self.proj(images).flatten(2))  # E: TakesTokens.forward port "x": dim 1 is C where T is expected (expected "B T D" AcousticEncodedRepresentation, found "B C _")  [neural-axes]
        self.decoder(self.conv(enc))
        self.tokens(self.conv(enc))  # E: TakesTokens.forward port "x": axes are transposed (expected "B T D" AcousticEncodedRepresentation, found "B D T"); did you mean .transpose(1, 2)?  [neural-axes]


def class_targets(logits: Float[Tensor, "batch pos d_vocab"], targets: Int[Tensor, "batch pos"]) -> None:
    F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
    F.cross_entropy(logits.transpose(1, 2), targets)
    F.cross_entropy(logits.view(-1, logits.size(-1)), targets)  # E: torch.nn.functional.cross_entropy port "target": 2 axes where 1 are expected (expected "_", found "batch pos")  [neural-axes]
    nn.CrossEntropyLoss()(logits.flatten(0, 1), targets)  # E: CrossEntropyLoss.forward port "target": 2 axes where 1 are expected (expected "_", found "batch pos")  [neural-axes]
    F.nll_loss(logits.log_softmax(-1).transpose(1, 2), targets.unsqueeze(-1))  # E: torch.nn.functional.nll_loss port "target": 3 axes where 2 are expected (expected "_ _", found "batch pos 1")  [neural-axes]
