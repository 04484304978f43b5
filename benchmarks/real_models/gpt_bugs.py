# ruff: noqa: E501, F722, N803
"""Ten wiring bugs a user makes around the GPT of ``gpt.py`` (jaxtyping ports).

Each function holds one bug, on the line marked ``# BUG: <kind> | decidable: <class>``
(classes: see ``ctc_speech_bugs.py``). jaxtyping names (``pos``, ``d_model``) are
size variables local to each function and only ``batch`` is an axis kind, so a bug
that swaps two named axes of equal rank is not decidable from the types. Apart
from the bug, each function type-checks with plain mypy.
"""

from __future__ import annotations

# the adapted lines stay as their authors wrote them (and each bug on one line):
# fmt: off
import torch
from gpt import GPT, Block, CausalSelfAttention, LogitsBPV, Residual, Scalar, TokenIds
from jaxtyping import Float, Int
from torch import Tensor
from torch.nn import functional as F


def sample(probs: Float[Tensor, "batch d_vocab"]) -> Int[Tensor, "batch 1"]:
    return torch.multinomial(probs, num_samples=1)


def classify(h: Float[Tensor, "batch d_model"]) -> Float[Tensor, "batch 2"]:
    return h[:, :2]


def block_on_token_ids(block: Block, idx: TokenIds) -> Residual:
    return block(idx)  # BUG: token ids into a block that takes embeddings (rank 2 for 3) | decidable: annotations


def loss_without_flattening(logits: LogitsBPV, targets: TokenIds) -> Tensor:
    return F.cross_entropy(logits, targets)  # BUG: "B T V" into cross-entropy (class axis is 1) | decidable: sizes-or-undecidable


def loss_targets_not_flattened(logits: LogitsBPV, targets: TokenIds) -> Tensor:
    return F.cross_entropy(logits.view(-1, logits.size(-1)), targets)  # BUG: targets keep rank 2 while logits are flattened | decidable: op-rules


def sample_all_positions(model: GPT, idx: TokenIds) -> Int[Tensor, "batch 1"]:
    logits, _ = model(idx)
    probs = F.softmax(logits, dim=-1)
    return sample(probs)  # BUG: forgot logits[:, -1, :] (rank 3 into rank 2) | decidable: op-rules


def classify_pooled(model: GPT, x: Residual) -> Float[Tensor, "batch 2"]:
    pooled = x.mean(dim=1, keepdim=True)
    return classify(pooled)  # BUG: wrong rank after a reduction (keepdim) | decidable: op-rules


def attend_sequence_first(attn: CausalSelfAttention, x: Residual) -> Residual:
    return attn(x.transpose(0, 1))  # BUG: sequence-first habit from nn.MultiheadAttention (extra transpose) | decidable: sizes-or-undecidable


def forward_float_ids(model: GPT, idx: TokenIds) -> LogitsBPV:
    logits, _ = model(idx.float())  # BUG: element mix-up after an op (float token ids) | decidable: op-rules
    return logits


def last_position_only(block: Block, x: Residual) -> Residual:
    return block(x[:, -1])  # BUG: wrong rank after indexing (last position, not a list index) | decidable: op-rules


def append_on_batch_axis(idx: TokenIds, idx_next: Int[Tensor, "batch 1"]) -> TokenIds:
    return torch.cat((idx, idx_next), dim=0)  # BUG: concatenated along the batch axis | decidable: sizes-or-undecidable


def attend_with_head_axis(attn: CausalSelfAttention, x: Residual) -> Residual:
    return attn(x.unsqueeze(1))  # BUG: extra axis (unsqueeze for heads) | decidable: op-rules


def train_step_loss(model: GPT, X: TokenIds, Y: TokenIds) -> Scalar:
    _, loss = model(X, Y)
    assert loss is not None
    return loss
