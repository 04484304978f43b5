# ruff: noqa: E712, E501, E741, B007, UP006, UP035, UP045, B010, SIM102
"""A QuartzNet-style CTC speech recogniser: preprocessor -> convolutional encoder ->
1x1 decoder with log-softmax -> CTC loss.

Adapted from NVIDIA NeMo (https://github.com/NVIDIA/NeMo, version 2.6.0rc0, commit
8cfedd7203462cb251a914e700e5605444277561), Apache License 2.0, Copyright (c) NVIDIA
CORPORATION. Files:

- nemo/collections/asr/parts/submodules/jasper.py: ``MaskedConv1d``, ``JasperBlock``
- nemo/collections/asr/modules/conv_asr.py: ``ConvASREncoder``, ``ConvASRDecoder``
- nemo/collections/asr/modules/audio_preprocessing.py: ``AudioPreprocessor.forward``
- nemo/collections/asr/losses/ctc.py: ``CTCLoss``
- nemo/collections/asr/models/ctc_models.py: ``EncDecCTCModel.forward``, ``training_step``

The ``forward`` bodies are NeMo's lines. Changed: the ports NeMo declares in
``input_types``/``output_types`` properties are written as annotations on ``forward``
(the README's migration section); constructors are shortened to the QuartzNet path;
NeMo's mixins (adapters, access registry, export, quantization) are reduced to the
methods ``forward`` calls, which report "not enabled"; the featurizer and
SpecAugment are small stand-ins (marked), since their NeMo bodies are hundreds of
lines of signal processing with no wiring in them; ``training_step`` keeps the
lines that wire modules together (logging and auxiliary losses dropped).
"""

from __future__ import annotations

# the adapted lines stay as their authors wrote them (and each bug on one line):
# fmt: off
import logging
from typing import Annotated, Dict, List, Optional, Tuple

import torch
from torch import Tensor, nn

from neuraltypes import Loss, NeuralModule, typecheck
from neuraltypes.elements import (
    AcousticEncodedRepresentation,
    AudioSignal,
    LabelsType,
    LengthsType,
    LogprobsType,
    LossType,
    MelSpectrogramType,
    SpectrogramType,
)

AudioSig = Annotated[Tensor, "B T", AudioSignal]
Lengths = Annotated[Tensor, "B", LengthsType]
Spec = Annotated[Tensor, "B D T", SpectrogramType]
MelSpec = Annotated[Tensor, "B D T", MelSpectrogramType]
Encoded = Annotated[Tensor, "B D T", AcousticEncodedRepresentation]
LogProbs = Annotated[Tensor, "B T D", LogprobsType]
Labels = Annotated[Tensor, "B T", LabelsType]
LossValue = Annotated[Tensor, "", LossType]

PYTORCH_QUANTIZATION_AVAILABLE = False


class _NoAdapters:
    """Stand-in for NeMo's AdapterModuleMixin / AccessMixin: nothing is enabled."""

    def is_adapter_available(self) -> bool:
        return False

    def get_enabled_adapters(self) -> List[str]:
        return []

    def forward_enabled_adapters(self, x: Tensor) -> Tensor:
        return x

    def is_access_enabled(self, guid: Optional[str] = None) -> bool:
        return False

    def register_accessible_tensor(self, name: str, tensor: Optional[Tensor]) -> None:
        pass


def _masked_conv_init_lens(lens, current_maxlen, original_maxlen):
    if current_maxlen > original_maxlen:
        new_lens = torch.arange(current_maxlen)
        new_max_lens = torch.tensor(current_maxlen)
    else:
        new_lens = lens
        new_max_lens = original_maxlen
    return new_lens, new_max_lens


class MaskedConv1d(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1):
        super().__init__()
        self.real_out_channels = out_channels
        self.heads = -1
        self._padding = padding
        self.pad_layer = None
        self.conv = nn.Conv1d(
            in_channels, out_channels, kernel_size, stride=stride, padding=padding, dilation=dilation, groups=groups, bias=False
        )
        self.use_mask = True
        self.same_padding = (self.conv.stride[0] == 1) and (
            2 * self.conv.padding[0] == self.conv.dilation[0] * (self.conv.kernel_size[0] - 1)
        )
        self.same_padding_asymmetric = False
        self.max_len = torch.tensor(0)
        self.lens = torch.tensor(0)

    def get_seq_len(self, lens):
        if self.same_padding or self.same_padding_asymmetric:
            return lens
        return (
            torch.div(
                lens + 2 * self.conv.padding[0] - self.conv.dilation[0] * (self.conv.kernel_size[0] - 1) - 1,
                self.conv.stride[0],
                rounding_mode='trunc',
            )
            + 1
        )

    def forward(self, x, lens):
        if self.use_mask:
            # Generally will be called by ConvASREncoder, but kept as single gpu backup.
            if x.size(2) > self.max_len:
                self.update_masked_length(x.size(2), device=lens.device)
            x = self.mask_input(x, lens)

        # Update lengths
        lens = self.get_seq_len(lens)

        # asymmtric pad if necessary
        if self.pad_layer is not None:
            x = self.pad_layer(x)

        sh = x.shape
        if self.heads != -1:
            x = x.view(-1, self.heads, sh[-1])

        out = self.conv(x)

        if self.heads != -1:
            out = out.view(sh[0], self.real_out_channels, -1)

        return out, lens

    def update_masked_length(self, max_len, seq_range=None, device=None):
        if seq_range is None:
            self.lens, self.max_len = _masked_conv_init_lens(self.lens, max_len, self.max_len)
            self.lens = self.lens.to(device)
        else:
            self.lens = seq_range
            self.max_len = torch.tensor(max_len)

    def mask_input(self, x, lens):
        max_len = x.size(2)
        mask = self.lens[:max_len].unsqueeze(0).to(lens.device) < lens.unsqueeze(1)
        x = x * mask.unsqueeze(1).to(device=x.device)
        return x


class JasperBlock(nn.Module, _NoAdapters):
    """QuartzNet's block: ``repeat`` time-channel separable convolutions with batch
    norm, a 1x1 residual branch, then activation and dropout."""

    def __init__(self, inplanes, planes, repeat=3, kernel_size=11, stride=1, dilation=1, dropout=0.2, residual=True):
        super().__init__()
        padding = (dilation * (kernel_size - 1)) // 2
        layers: List[nn.Module] = []
        in_ch = inplanes
        for _ in range(repeat):
            layers.append(MaskedConv1d(in_ch, in_ch, kernel_size, stride=stride, padding=padding, dilation=dilation, groups=in_ch))
            layers.append(MaskedConv1d(in_ch, planes, kernel_size=1))
            layers.append(nn.BatchNorm1d(planes, eps=1e-3, momentum=0.1))
            if _ != repeat - 1:
                layers.append(nn.ReLU())
                layers.append(nn.Dropout(dropout))
            in_ch = planes
        self.mconv = nn.ModuleList(layers)
        self.res = None
        if residual:
            self.res = nn.ModuleList(
                [nn.ModuleList([MaskedConv1d(inplanes, planes, kernel_size=1), nn.BatchNorm1d(planes, eps=1e-3, momentum=0.1)])]
            )
        self.mout = nn.Sequential(nn.ReLU(), nn.Dropout(dropout))
        self.residual_mode = 'add'
        self.quantize = False
        self.dense_residual = False
        self.layer_idx = 0
        self.interctc_should_capture = None
        self.access_cfg: Dict[str, Dict[str, List[int]]] = {}

    def forward(self, input_: Tuple[List[Tensor], Optional[Tensor]]) -> Tuple[List[Tensor], Optional[Tensor]]:
        """
        Forward pass of the module.

        Args:
            input_: The input is a tuple of two values - the preprocessed audio signal as well as the lengths
                of the audio signal. The audio signal is padded to the shape [B, D, T] and the lengths are
                a torch vector of length B.

        Returns:
            The output of the block after processing the input through `repeat` number of sub-blocks,
            as well as the lengths of the encoded audio after padding/striding.
        """
        lens_orig = None
        xs = input_[0]
        if len(input_) == 2:
            xs, lens_orig = input_

        # compute forward convolutions
        out = xs[-1]

        lens = lens_orig
        for i, l in enumerate(self.mconv):
            # if we're doing masked convolutions, we need to pass in and
            # possibly update the sequence lengths
            # if (i % 4) == 0 and self.conv_mask:
            if isinstance(l, (MaskedConv1d, SqueezeExcite)):
                out, lens = l(out, lens)
            else:
                out = l(out)

        # compute the residuals
        if self.res is not None:
            for i, layer in enumerate(self.res):
                res_out = xs[i]
                for j, res_layer in enumerate(layer):
                    if isinstance(res_layer, MaskedConv1d):
                        res_out, _ = res_layer(res_out, lens_orig)
                    else:
                        res_out = res_layer(res_out)

                if self.residual_mode == 'add' or self.residual_mode == 'stride_add':
                    if PYTORCH_QUANTIZATION_AVAILABLE and self.quantize:
                        out = self.residual_quantizer(out) + res_out
                    elif not PYTORCH_QUANTIZATION_AVAILABLE and self.quantize:
                        raise ImportError(
                            "pytorch-quantization is not installed. Install from "
                            "https://github.com/NVIDIA/TensorRT/tree/master/tools/pytorch-quantization."
                        )
                    else:
                        out = out + res_out
                else:
                    out = torch.max(out, res_out)

        # compute the output
        out = self.mout(out)

        # Support ASR Adapters
        if self.is_adapter_available():
            # Check for all available and enabled adapters
            adapter_names = self.get_enabled_adapters()

            if len(adapter_names) > 0:
                out = out.transpose(1, 2)  # (B, T, C)

                # Call the adapters
                out = self.forward_enabled_adapters(out)

                out = out.transpose(1, 2)  # (B, C, T)

        if self.is_access_enabled(getattr(self, "model_guid", None)):
            # for adapters
            if self.access_cfg.get('save_encoder_tensors', False):
                self.register_accessible_tensor(name='encoder', tensor=out)
            # for interctc - even though in some cases it's the same, we
            # want to register separate key to be able to modify it later
            # during interctc processing, if required
            if self.interctc_should_capture is None:
                capture_layers = self.access_cfg.get('interctc', {}).get('capture_layers', [])
                self.interctc_should_capture = self.layer_idx in capture_layers
            if self.interctc_should_capture:
                # shape is the same as the shape of audio_signal output, i.e. [B, D, T]
                self.register_accessible_tensor(name=f'interctc/layer_output_{self.layer_idx}', tensor=out)
                self.register_accessible_tensor(name=f'interctc/layer_length_{self.layer_idx}', tensor=lens)

        if self.res is not None and self.dense_residual:
            return xs + [out], lens

        return [out], lens

    def residual_quantizer(self, x: Tensor) -> Tensor:
        return x


class SqueezeExcite(nn.Module):
    """Not used by QuartzNet; named by ``JasperBlock.forward``."""


class _Featurizer(nn.Module):
    """Stand-in for NeMo's FilterbankFeatures (not NeMo's code): framing, power
    spectrum, a fixed filterbank, log."""

    def __init__(self, n_mels: int = 64, win: int = 400, hop: int = 160) -> None:
        super().__init__()
        self.win, self.hop = win, hop
        self.register_buffer("filters", torch.rand(n_mels, win // 2 + 1))

    def forward(self, x: Tensor, seq_len: Tensor) -> Tuple[Tensor, Tensor]:
        frames = x.unfold(1, self.win, self.hop)
        power = torch.fft.rfft(frames, dim=-1).abs() ** 2
        filters: Tensor = self.filters  # type: ignore[assignment]
        mel = torch.log(power @ filters.T + 1e-6).transpose(1, 2)
        return mel, torch.div(seq_len - self.win, self.hop, rounding_mode='floor') + 1


class AudioToMelSpectrogramPreprocessor(NeuralModule):
    def __init__(self, features: int = 64) -> None:
        super().__init__()
        self.featurizer = _Featurizer(n_mels=features)
        self.register_buffer("dtype_sentinel_tensor", torch.tensor((), dtype=torch.float32), persistent=False)

    def get_features(self, input_signal, length):
        return self.featurizer(input_signal, length)

    @typecheck()
    @torch.no_grad()
    def forward(self, input_signal: AudioSig, length: Lengths) -> Tuple[MelSpec, Lengths]:
        if input_signal.dtype != torch.float32:
            logging.warning(
                f"AudioPreprocessor received an input signal of dtype {input_signal.dtype}, rather than torch.float32. In sweeps across multiple datasets, we have found that the preprocessor is not robust to low precision  mathematics. As such, it runs in float32.",
            )
        processed_signal, processed_length = self.get_features(input_signal.to(torch.float32), length)
        processed_signal = processed_signal.to(self.dtype_sentinel_tensor.dtype)
        return processed_signal, processed_length


class SpectrogramAugmentation(NeuralModule):
    """Stand-in for NeMo's SpecAugment (not NeMo's code): masks a few time steps.
    NeMo's ports: ``input_spec`` "B D T" SpectrogramType, ``length`` "B"."""

    def __init__(self, time_width: int = 10) -> None:
        super().__init__()
        self.time_width = time_width

    @typecheck()
    def forward(self, input_spec: Spec, length: Lengths) -> Spec:
        start = int(torch.randint(0, max(1, int(length.min()) - self.time_width), ()))
        augmented_spec = input_spec.clone()
        augmented_spec[:, :, start : start + self.time_width] = 0.0
        return augmented_spec


class ConvASREncoder(NeuralModule, _NoAdapters):
    """
    Convolutional encoder for ASR models. With this class you can implement JasperNet and QuartzNet models.
    """

    def __init__(self, jasper: List[Dict[str, int]], feat_in: int) -> None:
        super().__init__()
        self._feat_in = feat_in
        encoder_layers = []
        self._subsampling_factor = 1
        for lcfg in jasper:
            encoder_layers.append(
                JasperBlock(
                    feat_in,
                    lcfg['filters'],
                    repeat=lcfg['repeat'],
                    kernel_size=lcfg['kernel'],
                    stride=lcfg['stride'],
                    dilation=lcfg['dilation'],
                    residual=bool(lcfg['residual']),
                )
            )
            feat_in = lcfg['filters']
            self._subsampling_factor *= int(lcfg['stride'])
        self._feat_out = feat_in
        self.encoder = torch.nn.Sequential(*encoder_layers)
        self.max_audio_length = 0

    @typecheck()
    def forward(self, audio_signal: Spec, length: Lengths) -> Tuple[Encoded, Lengths]:
        self.update_max_sequence_length(seq_length=audio_signal.size(2), device=audio_signal.device)
        s_input, length = self.encoder(([audio_signal], length))
        if length is None:
            return s_input[-1]

        return s_input[-1], length

    def update_max_sequence_length(self, seq_length: int, device):
        """
        Find global max audio length across all nodes in distributed training and update the max_audio_length
        """
        if torch.distributed.is_initialized():
            global_max_len = torch.tensor([seq_length], dtype=torch.float32, device=device)

            # Update across all ranks in the distributed system
            torch.distributed.all_reduce(global_max_len, op=torch.distributed.ReduceOp.MAX)

            seq_length = global_max_len.int().item()

        if seq_length > self.max_audio_length:
            if seq_length < 5000:
                seq_length = seq_length * 2
            elif seq_length < 10000:
                seq_length = seq_length * 1.5
            self.max_audio_length = seq_length

            device = next(self.parameters()).device
            seq_range = torch.arange(0, self.max_audio_length, device=device)
            if hasattr(self, 'seq_range'):
                self.seq_range = seq_range
            else:
                self.register_buffer('seq_range', seq_range, persistent=False)

            # Update all submodules
            for name, m in self.named_modules():
                if isinstance(m, MaskedConv1d):
                    m.update_masked_length(self.max_audio_length, seq_range=self.seq_range)
                elif isinstance(m, SqueezeExcite):
                    m.set_max_len(self.max_audio_length, seq_range=self.seq_range)

    @property
    def subsampling_factor(self) -> int:
        return self._subsampling_factor


class ConvASRDecoder(NeuralModule, _NoAdapters):
    """Simple ASR Decoder for use with CTC-based models such as JasperNet and QuartzNet"""

    def __init__(self, feat_in: int, num_classes: int, add_blank: bool = True) -> None:
        super().__init__()
        self._feat_in = feat_in
        # Add 1 for blank char
        self._num_classes = num_classes + 1 if add_blank else num_classes

        self.decoder_layers = torch.nn.Sequential(
            torch.nn.Conv1d(self._feat_in, self._num_classes, kernel_size=1, bias=True)
        )
        # to change, requires running ``model.temperature = T`` explicitly
        self.temperature = 1.0

    @typecheck()
    def forward(self, encoder_output: Encoded) -> LogProbs:
        # Adapter module forward step
        if self.is_adapter_available():
            encoder_output = encoder_output.transpose(1, 2)  # [B, T, C]
            encoder_output = self.forward_enabled_adapters(encoder_output)
            encoder_output = encoder_output.transpose(1, 2)  # [B, C, T]

        if self.temperature != 1.0:
            return torch.nn.functional.log_softmax(
                self.decoder_layers(encoder_output).transpose(1, 2) / self.temperature, dim=-1
            )
        return torch.nn.functional.log_softmax(self.decoder_layers(encoder_output).transpose(1, 2), dim=-1)

    @property
    def num_classes_with_blank(self):
        return self._num_classes


class CTCLoss(nn.CTCLoss, Loss):
    def __init__(self, num_classes, zero_infinity=False, reduction='mean_batch'):
        self._blank = num_classes
        # Don't forget to properly call base constructor
        if reduction not in ['none', 'mean', 'sum', 'mean_batch', 'mean_volume']:
            raise ValueError('`reduction` must be one of [mean, sum, mean_batch, mean_volume]')

        self.config_reduction = reduction
        if reduction == 'mean_batch' or reduction == 'mean_volume':
            ctc_reduction = 'none'
            self._apply_reduction = True
        elif reduction in ['sum', 'mean', 'none']:
            ctc_reduction = reduction
            self._apply_reduction = False
        super().__init__(blank=self._blank, reduction=ctc_reduction, zero_infinity=zero_infinity)

    def reduce(self, losses, target_lengths):
        if self.config_reduction == 'mean_batch':
            losses = losses.mean()  # global batch size average
        elif self.config_reduction == 'mean_volume':
            losses = losses.sum() / target_lengths.sum()  # same as above but longer samples weigh more

        return losses

    @typecheck()
    def forward(self, log_probs: LogProbs, targets: Labels, input_lengths: Lengths, target_lengths: Lengths) -> LossValue:
        # override forward implementation
        # custom logic, if necessary
        input_lengths = input_lengths.long()
        target_lengths = target_lengths.long()
        targets = targets.long()
        # here we transpose because we expect [B, T, D] while PyTorch assumes [T, B, D]
        log_probs = log_probs.transpose(1, 0)
        loss = super().forward(
            log_probs=log_probs, targets=targets, input_lengths=input_lengths, target_lengths=target_lengths
        )
        if self._apply_reduction:
            loss = self.reduce(loss, target_lengths)
        return loss


QUARTZNET_5x1 = [
    {'filters': 256, 'repeat': 1, 'kernel': 33, 'stride': 2, 'dilation': 1, 'residual': 0},
    *[{'filters': 256, 'repeat': 1, 'kernel': k, 'stride': 1, 'dilation': 1, 'residual': 1} for k in (33, 39, 51, 63, 75)],
    {'filters': 512, 'repeat': 1, 'kernel': 87, 'stride': 1, 'dilation': 2, 'residual': 0},
    {'filters': 1024, 'repeat': 1, 'kernel': 1, 'stride': 1, 'dilation': 1, 'residual': 0},
]


class EncDecCTCModel(NeuralModule):
    """NeMo's CTC model: its ``forward`` and the wiring of its ``training_step``."""

    def __init__(self, features: int = 64, vocabulary_size: int = 28) -> None:
        super().__init__()
        self.preprocessor = AudioToMelSpectrogramPreprocessor(features)
        self.spec_augmentation = SpectrogramAugmentation()
        self.encoder = ConvASREncoder(QUARTZNET_5x1, feat_in=features)
        self.decoder = ConvASRDecoder(feat_in=1024, num_classes=vocabulary_size)
        self.loss = CTCLoss(num_classes=self.decoder.num_classes_with_blank - 1, zero_infinity=True)

    @typecheck()
    def forward(
        self,
        input_signal: Optional[AudioSig] = None,
        input_signal_length: Optional[Lengths] = None,
        processed_signal: Optional[Spec] = None,
        processed_signal_length: Optional[Lengths] = None,
    ) -> Tuple[LogProbs, Lengths, Labels]:
        has_input_signal = input_signal is not None and input_signal_length is not None
        has_processed_signal = processed_signal is not None and processed_signal_length is not None
        if (has_input_signal ^ has_processed_signal) == False:
            raise ValueError(
                f"{self} Arguments ``input_signal`` and ``input_signal_length`` are mutually exclusive "
                " with ``processed_signal`` and ``processed_signal_len`` arguments."
            )

        if not has_processed_signal:
            processed_signal, processed_signal_length = self.preprocessor(
                input_signal=input_signal,
                length=input_signal_length,
            )

        if self.spec_augmentation is not None and self.training:
            processed_signal = self.spec_augmentation(input_spec=processed_signal, length=processed_signal_length)

        encoder_output = self.encoder(audio_signal=processed_signal, length=processed_signal_length)
        encoded = encoder_output[0]
        encoded_len = encoder_output[1]
        log_probs = self.decoder(encoder_output=encoded)
        greedy_predictions = log_probs.argmax(dim=-1, keepdim=False)

        return (
            log_probs,
            encoded_len,
            greedy_predictions,
        )

    def training_step(self, batch: Tuple[AudioSig, Lengths, Labels, Lengths], batch_nb: int) -> Dict[str, Tensor]:
        signal, signal_len, transcript, transcript_len = batch
        log_probs, encoded_len, predictions = self.forward(input_signal=signal, input_signal_length=signal_len)

        loss_value = self.loss(
            log_probs=log_probs, targets=transcript, input_lengths=encoded_len, target_lengths=transcript_len
        )
        return {'loss': loss_value}
