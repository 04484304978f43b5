# ruff: noqa: E501, UP006, UP035, UP045, N812
"""A self-supervised speech encoder (wav2vec 2.0) fine-tuned with CTC: a strided
convolution stack over the waveform -> feature projection -> convolutional
positional embedding -> transformer encoder -> linear head -> CTC loss.

Adapted from torchaudio (https://github.com/pytorch/audio, commit
27ca542b4be24237706788e830644a7f06c21727), BSD 2-Clause License, Copyright (c) 2017
Facebook Inc. (Soumith Chintala). Files:

- src/torchaudio/models/wav2vec2/components.py: ``LayerNorm``, ``ConvLayerBlock``,
  ``FeatureExtractor``, ``FeatureProjection``, ``ConvolutionalPositionalEmbedding``,
  ``SelfAttention``, ``FeedForward``, ``EncoderLayer``, ``Transformer``, ``Encoder``
- src/torchaudio/models/wav2vec2/model.py: ``Wav2Vec2Model.forward``
- examples/hubert/lightning_modules.py: ``HuBERTFineTuneModule._step`` (the CTC
  fine-tuning step's wiring; commit 1b81ccad24878eb9705d042e07bd9d226654d13c)
- examples/tutorials/speech_recognition_pipeline_tutorial.py: ``GreedyCTCDecoder``

The ``forward`` bodies are torchaudio's lines. Changed: ports are annotated with
neural types (aliases below) on plain ``nn.Module`` classes, torchaudio's style;
constructors are shortened (no weight norm on the positional convolution, no layer
drop in the builder); the fine-tuning step drops the masking generator and logging.
"""

from __future__ import annotations

# the adapted lines stay as their authors wrote them (and each bug on one line):
# fmt: off
from typing import Annotated, List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.nn import Module

from neuraltypes.elements import (
    AcousticEncodedRepresentation,
    AudioSignal,
    LabelsType,
    LengthsType,
    LogitsType,
    LossType,
)

Waveform = Annotated[Tensor, "B T", AudioSignal]
Lengths = Annotated[Tensor, "B", LengthsType]
ConvInput = Annotated[Tensor, "B D T"]  # waveform (one channel) or a previous block's output
ConvFeatures = Annotated[Tensor, "B D T", AcousticEncodedRepresentation]
Frames = Annotated[Tensor, "B T D", AcousticEncodedRepresentation]
Emissions = Annotated[Tensor, "B T D", LogitsType]
Emission = Annotated[Tensor, "T D"]  # one utterance; only argmax is taken, any element
Labels = Annotated[Tensor, "B T", LabelsType]
LossValue = Annotated[Tensor, "", LossType]


class LayerNorm(nn.LayerNorm):
    """Layer norm with transpose"""

    def forward(self, input: Tensor) -> Tensor:
        x = input.transpose(-2, -1)
        x = nn.functional.layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)
        x = x.transpose(-2, -1)
        return x


class ConvLayerBlock(Module):
    """Convolution unit of FeatureExtractor"""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int, bias: bool, layer_norm: Optional[Module]) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride
        self.layer_norm = layer_norm
        self.conv = nn.Conv1d(
            in_channels=in_channels,
            out_channels=out_channels,
            kernel_size=kernel_size,
            stride=stride,
            bias=bias,
        )

    def forward(
        self,
        x: ConvInput,
        length: Optional[Lengths],
    ) -> Tuple[ConvFeatures, Optional[Lengths]]:
        x = self.conv(x)
        if self.layer_norm is not None:
            x = self.layer_norm(x)
        x = nn.functional.gelu(x)

        if length is not None:
            length = torch.div(length - self.kernel_size, self.stride, rounding_mode="floor") + 1
            # When input length is 0, the resulting length can be negative. So fix it here.
            length = torch.max(torch.zeros_like(length), length)
        return x, length


class FeatureExtractor(Module):
    """Extract features from audio"""

    def __init__(self, conv_layers: nn.ModuleList) -> None:
        super().__init__()
        self.conv_layers = conv_layers

    def forward(
        self,
        x: Waveform,
        length: Optional[Lengths],
    ) -> Tuple[Frames, Optional[Lengths]]:
        if x.ndim != 2:
            raise ValueError(f"Expected the input Tensor to be 2D (batch, time). Found: {list(x.shape)}")

        x = x.unsqueeze(1)  # (batch, channel==1, frame)
        for layer in self.conv_layers:
            x, length = layer(x, length)  # (batch, feature, frame)
        x = x.transpose(1, 2)  # (batch, frame, feature)
        return x, length


class FeatureProjection(Module):
    """Layer that connects FeatureExtractor and Encoder"""

    def __init__(self, in_features: int, out_features: int, dropout: float) -> None:
        super().__init__()
        self.layer_norm = nn.LayerNorm(in_features)
        self.projection = nn.Linear(in_features, out_features)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: Frames) -> Frames:
        x = self.layer_norm(x)
        x = self.projection(x)
        x = self.dropout(x)
        return x


class ConvolutionalPositionalEmbedding(Module):
    """Positional embedding which is placed at the beginning of Transformer."""

    def __init__(self, embed_dim: int, kernel_size: int, groups: int) -> None:
        super().__init__()
        self.embed_dim = embed_dim
        self.kernel_size = kernel_size
        self.conv = nn.Conv1d(
            in_channels=embed_dim,
            out_channels=embed_dim,
            kernel_size=kernel_size,
            padding=kernel_size // 2,
            groups=groups,
        )
        self.num_remove: int = 1 if kernel_size % 2 == 0 else 0

    def forward(self, x: Frames) -> Frames:
        x = x.transpose(-2, -1)
        x = self.conv(x)
        if self.num_remove > 0:
            x = x[..., : -self.num_remove]
        x = torch.nn.functional.gelu(x)
        x = x.transpose(-2, -1)
        return x


class SelfAttention(Module):
    """Multihead Self Attention module"""

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0) -> None:
        super().__init__()
        head_dim = embed_dim // num_heads
        if head_dim * num_heads != embed_dim:
            raise ValueError(f"`embed_dim ({embed_dim})` is not divisible by `num_heads ({num_heads})`")
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.head_dim = head_dim
        self.scaling = self.head_dim**-0.5
        self.k_proj = nn.Linear(embed_dim, embed_dim, bias=True)
        self.v_proj = nn.Linear(embed_dim, embed_dim, bias=True)
        self.q_proj = nn.Linear(embed_dim, embed_dim, bias=True)
        self.out_proj = nn.Linear(embed_dim, embed_dim, bias=True)

    def forward(
        self,
        x: Frames,
        attention_mask: Optional[Tensor] = None,
        position_bias: Optional[Tensor] = None,
        key_padding_mask: Optional[Tensor] = None,
    ) -> Tuple[Frames, Optional[Tensor]]:
        if x.ndim != 3 or x.shape[2] != self.embed_dim:
            raise ValueError(
                f"The expected input shape is (batch, sequence, embed_dim=={self.embed_dim}). " f"Found {x.shape}."
            )
        batch_size, length, embed_dim = x.size()
        if attention_mask is not None:
            shape_ = (batch_size, 1, length, length)
            if attention_mask.size() != shape_:
                raise ValueError(f"The expected attention mask shape is {shape_}. " f"Found {attention_mask.size()}.")

        shape = (batch_size, length, self.num_heads, self.head_dim)
        q = self.q_proj(x).view(*shape).transpose(2, 1)  # B, nH, L, Hd
        k = self.k_proj(x).view(*shape).transpose(2, 1)  # B, nH, L, Hd
        v = self.v_proj(x).view(*shape).transpose(2, 1)  # B, nH, L, Hd
        dropout = self.dropout if self.training else 0.0
        attn_output = torch.nn.functional.scaled_dot_product_attention(
            q, k, v, attn_mask=attention_mask, dropout_p=dropout, is_causal=False
        )
        attn_output = attn_output.transpose(1, 2).reshape(batch_size, -1, self.num_heads * self.head_dim)
        output = self.out_proj(attn_output)
        return output, None  # Necessary for compatibility with WavLMSelAttention


class FeedForward(Module):
    """Layer that follows attention layer in encoder layer."""

    def __init__(self, io_features: int, intermediate_features: int, intermediate_dropout: float, output_dropout: float) -> None:
        super().__init__()
        self.intermediate_dense = nn.Linear(io_features, intermediate_features)
        self.intermediate_dropout = nn.Dropout(intermediate_dropout)
        self.output_dense = nn.Linear(intermediate_features, io_features)
        self.output_dropout = nn.Dropout(output_dropout)

    def forward(self, x: Frames) -> Frames:
        x = self.intermediate_dense(x)
        x = torch.nn.functional.gelu(x)
        x = self.intermediate_dropout(x)

        x = self.output_dense(x)
        x = self.output_dropout(x)
        return x


class EncoderLayer(Module):
    """A layer unit in encoder. Combines multihead self attention and feed forward."""

    def __init__(self, attention: SelfAttention, dropout: float, layer_norm_first: bool, feed_forward: FeedForward) -> None:
        super().__init__()
        self.attention = attention
        self.dropout = nn.Dropout(dropout)
        self.layer_norm = nn.LayerNorm(attention.embed_dim)
        self.layer_norm_first = layer_norm_first
        self.feed_forward = feed_forward
        self.final_layer_norm = nn.LayerNorm(attention.embed_dim)

    def forward(
        self,
        x: Frames,
        attention_mask: Optional[Tensor] = None,
        position_bias: Optional[Tensor] = None,
        key_padding_mask: Optional[Tensor] = None,
    ) -> Tuple[Frames, Optional[Tensor]]:
        residual = x

        if self.layer_norm_first:
            x = self.layer_norm(x)

        x, position_bias = self.attention(
            x, attention_mask=attention_mask, position_bias=position_bias, key_padding_mask=key_padding_mask
        )

        x = self.dropout(x)
        x = residual + x

        if self.layer_norm_first:
            x = x + self.feed_forward(self.final_layer_norm(x))
        else:
            x = self.layer_norm(x)
            x = self.final_layer_norm(x + self.feed_forward(x))
        return x, position_bias


class Transformer(Module):
    def __init__(self, pos_conv_embed: ConvolutionalPositionalEmbedding, dropout: float, layers: nn.ModuleList, layer_norm_first: bool, layer_drop: float) -> None:
        super().__init__()
        self.pos_conv_embed = pos_conv_embed
        self.layer_norm = nn.LayerNorm(pos_conv_embed.embed_dim)
        self.layer_norm_first = layer_norm_first
        self.layer_drop = layer_drop
        self.dropout = nn.Dropout(dropout)
        self.layers = layers

    def _preprocess(self, x: Frames) -> Frames:
        x = x + self.pos_conv_embed(x)

        if self.layer_norm_first:
            x = self.layer_norm(x)

        x = self.dropout(x)
        return x

    def forward(
        self,
        x: Frames,
        attention_mask: Optional[Tensor] = None,
        position_bias: Optional[Tensor] = None,
    ) -> Frames:
        x = self._preprocess(x)
        for layer in self.layers:
            if not (self.training and self.layer_drop > 0 and torch.rand(1).item() <= self.layer_drop):
                x, position_bias = layer(x, attention_mask, position_bias=position_bias)

        if not self.layer_norm_first:
            x = self.layer_norm(x)
        return x


class Encoder(Module):
    def __init__(self, feature_projection: FeatureProjection, transformer: Transformer) -> None:
        super().__init__()
        self.feature_projection = feature_projection
        self.transformer = transformer

    def _preprocess(
        self,
        features: Frames,
        lengths: Optional[Lengths] = None,
    ) -> Tuple[Frames, Optional[Tensor]]:
        x = self.feature_projection(features)

        mask: Optional[Tensor] = None
        if lengths is not None:
            batch_size, max_len, _ = x.shape
            # create mask for padded elements and zero-out them
            mask = torch.arange(max_len, device=lengths.device).expand(batch_size, max_len) >= lengths[:, None]
            x[mask] = 0.0
            # extend the mask to attention shape and set weight
            mask = -10000.0 * mask[:, None, None, :].to(dtype=features.dtype)
            mask = mask.expand(batch_size, 1, max_len, max_len)
        return x, mask

    def forward(
        self,
        features: Frames,
        lengths: Optional[Lengths] = None,
    ) -> Frames:
        x, mask = self._preprocess(features, lengths)
        x = self.transformer(x, attention_mask=mask)
        return x


def _get_feature_extractor(shapes: List[Tuple[int, int, int]]) -> FeatureExtractor:
    blocks = []
    in_channels = 1
    for i, (out_channels, kernel_size, stride) in enumerate(shapes):
        normalization = nn.GroupNorm(num_groups=out_channels, num_channels=out_channels, affine=True) if i == 0 else None
        blocks.append(ConvLayerBlock(in_channels, out_channels, kernel_size, stride, bias=False, layer_norm=normalization))
        in_channels = out_channels
    return FeatureExtractor(nn.ModuleList(blocks))


def _get_encoder(in_features: int, embed_dim: int, num_layers: int, num_heads: int, ff_interm_features: int, dropout: float = 0.1) -> Encoder:
    feature_projection = FeatureProjection(in_features, embed_dim, dropout)
    pos_conv = ConvolutionalPositionalEmbedding(embed_dim, kernel_size=128, groups=16)
    encoder_layers = nn.ModuleList()
    for _ in range(num_layers):
        attention = SelfAttention(embed_dim=embed_dim, num_heads=num_heads, dropout=dropout)
        feed_forward = FeedForward(embed_dim, ff_interm_features, dropout, dropout)
        encoder_layers.append(EncoderLayer(attention, dropout, layer_norm_first=False, feed_forward=feed_forward))
    transformer = Transformer(pos_conv, dropout, encoder_layers, layer_norm_first=True, layer_drop=0.05)
    return Encoder(feature_projection, transformer)


class Wav2Vec2Model(Module):
    """The base architecture: ``[(512, 10, 5)] + [(512, 3, 2)] * 4 + [(512, 2, 2)] * 2``
    convolutions, 768-dimensional transformer with 12 layers."""

    def __init__(self, aux_num_out: Optional[int] = None) -> None:
        super().__init__()
        self.feature_extractor = _get_feature_extractor([(512, 10, 5)] + [(512, 3, 2)] * 4 + [(512, 2, 2)] * 2)
        self.encoder = _get_encoder(512, 768, num_layers=12, num_heads=12, ff_interm_features=3072)
        self.aux = nn.Linear(768, aux_num_out) if aux_num_out is not None else None

    def forward(
        self,
        waveforms: Waveform,
        lengths: Optional[Lengths] = None,
    ) -> Tuple[Frames, Optional[Lengths]]:
        x, lengths = self.feature_extractor(waveforms, lengths)
        x = self.encoder(x, lengths)
        if self.aux is not None:
            x = self.aux(x)
        return x, lengths


class GreedyCTCDecoder(torch.nn.Module):
    def __init__(self, labels: List[str], blank: int = 0) -> None:
        super().__init__()
        self.labels = labels
        self.blank = blank

    def forward(self, emission: Emission) -> str:
        """Given a sequence emission over labels, get the best path string
        Args:
          emission (Tensor): Logit tensors. Shape `[num_seq, num_label]`.

        Returns:
          str: The resulting transcript
        """
        indices = torch.argmax(emission, dim=-1)  # [num_seq,]
        indices = torch.unique_consecutive(indices, dim=-1)
        indices = [i for i in indices if i != self.blank]
        return "".join([self.labels[i] for i in indices])


class CTCFineTune(nn.Module):
    """The CTC fine-tuning step of torchaudio's HuBERT/wav2vec2 recipe."""

    def __init__(self, aux_num_out: int = 29) -> None:
        super().__init__()
        self.model = Wav2Vec2Model()
        self.aux = torch.nn.Linear(768, aux_num_out)
        self.loss_fn = torch.nn.CTCLoss(blank=0, reduction="sum", zero_infinity=True)

    def step(self, batch: Tuple[Waveform, Labels, Lengths, Lengths]) -> LossValue:
        waveforms, labels, audio_lengths, label_lengths = batch
        with torch.no_grad():
            x, out_len = self.model.feature_extractor(waveforms, audio_lengths)
        x, attention_mask = self.model.encoder._preprocess(x, out_len)
        x = self.model.encoder.transformer(x, attention_mask=attention_mask)
        logits = self.aux(x)
        log_probs = F.log_softmax(logits, dim=-1)
        log_probs = log_probs.transpose(0, 1)
        loss = self.loss_fn(
            log_probs,
            labels,
            out_len,
            label_lengths,
        )
        return loss


def transcribe(model: Wav2Vec2Model, decoder: GreedyCTCDecoder, waveform: Waveform) -> str:
    """The tutorial's inference: emissions of the first utterance, greedy decoding."""
    with torch.inference_mode():
        emission, _ = model(waveform)
    transcript = decoder(emission[0])
    return transcript
