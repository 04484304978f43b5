"""The element types: what the numbers in a tensor mean.

NeMo's 43 element types, with NeMo's names and parents, so NeMo code keeps working.
A subclass is more specific than its parent: a value of ``MelSpectrogramType`` is
accepted where ``SpectrogramType`` is declared. Subclass :class:`ElementType` (or
any of these) to add your own. This module does not import torch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._core.elements import ElementType, VoidType

__all__ = [
    "AcousticEncodedRepresentation",
    "AudioSignal",
    "BoolType",
    "CategoricalValuesType",
    "ChannelType",
    "ClassificationTarget",
    "ElementType",
    "EmbeddedTextType",
    "EncodedRepresentation",
    "FloatType",
    "HypothesisType",
    "ImageFeatureValue",
    "ImageValue",
    "Index",
    "IntType",
    "LabelsType",
    "Length",
    "LengthsType",
    "LogDeterminantType",
    "LogitsType",
    "LogprobsType",
    "LossType",
    "MFCCSpectrogramType",
    "MaskType",
    "MelSpectrogramType",
    "NormalDistributionLogVarianceType",
    "NormalDistributionMeanType",
    "NormalDistributionSamplesType",
    "NormalizedImageValue",
    "PredictionsType",
    "ProbabilityDistributionSamplesType",
    "ProbsType",
    "RegressionValuesType",
    "SequenceToSequenceAlignmentType",
    "SpectrogramType",
    "StringLabel",
    "StringType",
    "Target",
    "TokenDurationType",
    "TokenIndex",
    "TokenLogDurationType",
    "VideoSignal",
    "VoidType",
]


class ChannelType(ElementType):
    """Convolutional input/output channels."""


class EmbeddedTextType(ChannelType):
    """Output of a word/text embedding layer."""


class LogitsType(ElementType):
    """Unnormalised scores (before softmax)."""


class ProbsType(ElementType):
    """Probabilities, e.g. the output of a softmax."""


class LogprobsType(ElementType):
    """Log-probabilities, e.g. the output of a log-softmax."""


class LabelsType(ElementType):
    """Labels of some kind; the base of more specific label types."""


class HypothesisType(LabelsType):
    """A decoded hypothesis, to be turned into a label."""


class LengthsType(ElementType):
    """Lengths of something (e.g. valid frames per batch item)."""


class LossType(ElementType):
    """The output of a loss."""


class EncodedRepresentation(ChannelType):
    """An encoded representation, e.g. an encoder's output."""


class AcousticEncodedRepresentation(EncodedRepresentation):
    """The representation an acoustic encoder returns."""


class SpectrogramType(ChannelType):
    """A spectrogram."""


class MelSpectrogramType(SpectrogramType):
    """A mel spectrogram."""


class MFCCSpectrogramType(SpectrogramType):
    """MFCC features."""


class PredictionsType(LabelsType):
    """Predictions a model returns."""


class RegressionValuesType(PredictionsType):
    """Predicted values of a regression task."""


class CategoricalValuesType(PredictionsType):
    """Predicted classes of a classification task."""


class MaskType(PredictionsType):
    """A boolean mask."""


class Index(ElementType):
    """The index of a sample."""


class Target(ElementType):
    """A target value."""


class ClassificationTarget(Target):
    """The target class of a classification task."""


class ImageValue(ElementType):
    """A value of one image channel (e.g. R of RGB)."""


class NormalizedImageValue(ImageValue):
    """An image channel value normalised to [0, 1]."""


class ImageFeatureValue(ImageValue):
    """A value of an image feature map."""


class StringType(ElementType):
    """A string."""


class StringLabel(StringType):
    """A class name as a string (e.g. "hamster")."""


class BoolType(ElementType):
    """A boolean."""


class IntType(ElementType):
    """An integer."""


class FloatType(ElementType):
    """A float."""


class TokenIndex(IntType):
    """The index of a token in a vocabulary."""


class Length(IntType):
    """A length (e.g. of a list)."""


class ProbabilityDistributionSamplesType(ElementType):
    """Samples from a probability distribution."""


class NormalDistributionSamplesType(ProbabilityDistributionSamplesType):
    """Samples from a normal distribution."""


class SequenceToSequenceAlignmentType(ElementType):
    """Alignment between encoder and decoder steps (seq2seq attention)."""


class NormalDistributionMeanType(ElementType):
    """The mean of a normal distribution."""


class NormalDistributionLogVarianceType(ElementType):
    """The log-variance of a normal distribution."""


class TokenDurationType(ElementType):
    """The duration of a token."""


class TokenLogDurationType(ElementType):
    """The log-duration of a token."""


class LogDeterminantType(ElementType):
    """A log-determinant (flow models)."""


class AudioSignal(ElementType):
    """An audio waveform sampled at ``freq`` Hz; None (the default) matches any rate.

    Two signals are the same only if their rates match (or one is None).
    """

    def __init__(self, freq: int | None = None) -> None:
        self._params: dict[str, Any] = {"freq": freq}

    @property
    def type_parameters(self) -> Mapping[str, Any]:
        return self._params


class VideoSignal(ElementType):
    """A video at ``fps`` frames per second; None (the default) matches any rate."""

    def __init__(self, fps: int | None = None) -> None:
        self._params: dict[str, Any] = {"fps": fps}

    @property
    def type_parameters(self) -> Mapping[str, Any]:
        return self._params
