# ruff: noqa: E501
"""Ten wiring bugs a user makes around the Vision Transformer of ``vit.py``.

Each function holds one bug, on the line marked ``# BUG: <kind> | decidable: <class>``
(classes: see ``ctc_speech_bugs.py``). Apart from the bug, each function type-checks
with plain mypy.
"""

from __future__ import annotations

# the adapted lines stay as their authors wrote them (and each bug on one line):
# fmt: off
from typing import Annotated

from torch import Tensor, nn
from vit import (
    Block,
    Images,
    Labels,
    LabelSmoothingCrossEntropy,
    Logits,
    LossValue,
    Tokens,
    VisionTransformer,
)

from neuraltypes.elements import ImageValue, NormalizedImageValue

ImagesHWC = Annotated[Tensor, "B H W C", NormalizedImageValue]
RawImages = Annotated[Tensor, "B C H W", ImageValue]


def load_normalized_batch(pixels: Tensor) -> ImagesHWC:
    """A user's loader: images as decoded (height, width, channel), normalised."""
    return (pixels - 0.5) / 0.25


def predict_channels_last(model: VisionTransformer, pixels: Tensor) -> Logits:
    batch = load_normalized_batch(pixels)
    return model(batch)  # BUG: channel-last into channel-first | decidable: annotations


def encode_own_patches(model: VisionTransformer, block: Block, images: Images) -> Tokens:
    tokens = model.patch_embed.proj(images).flatten(2)
    return block(tokens)  # BUG: missing transpose after flatten (B D T for B T D) | decidable: op-rules


def encode_transposed(model: VisionTransformer, block: Block, images: Images) -> Tokens:
    tokens = model.patch_embed(images)
    return block(tokens.transpose(1, 2))  # BUG: extra transpose | decidable: op-rules


def linear_probe_wrong_axis(model: VisionTransformer, images: Images) -> Tensor:
    feats = model.forward_features(images)
    return model.head(feats.mean(dim=2))  # BUG: mean over channels instead of tokens, into the head | decidable: sizes-or-undecidable


def head_on_class_token(model: VisionTransformer, images: Images) -> Logits:
    feats = model.forward_features(images)
    return model.forward_head(feats[:, 0])  # BUG: wrong rank after indexing (head pools again) | decidable: op-rules


def nll_on_logits(model: VisionTransformer, images: Images, target: Labels) -> Tensor:
    nll = nn.NLLLoss()
    return nll(model(images), target)  # BUG: logits into log-probs (NLLLoss) | decidable: op-rules


def smoothing_on_probabilities(model: VisionTransformer, loss_fn: LabelSmoothingCrossEntropy, images: Images, target: Labels) -> LossValue:
    probs = model(images).softmax(dim=-1)
    return loss_fn(probs, target)  # BUG: probabilities into a logits port after softmax | decidable: op-rules


def probe_flattened_tokens(model: VisionTransformer, images: Images) -> Logits:
    tokens = model.forward_features(images).flatten(1)
    return model.forward_head(tokens)  # BUG: flatten in the wrong place (tokens flattened before the head) | decidable: op-rules


def predict_unnormalized(model: VisionTransformer, raw: RawImages) -> Logits:
    scaled = raw.float() / 255.0
    return model(scaled)  # BUG: element mix-up after an op (raw pixels, not normalised) | decidable: op-rules


def loss_arguments_swapped(model: VisionTransformer, loss_fn: LabelSmoothingCrossEntropy, images: Images, target: Labels) -> LossValue:
    output = model(images)
    return loss_fn(target, output)  # BUG: target and output swapped | decidable: annotations
