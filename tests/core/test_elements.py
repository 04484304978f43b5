"""NeMo's 43 element types: same names, same parents."""

from __future__ import annotations

import neuraltypes.elements as E

PARENTS = {
    "ElementType": None,
    "VoidType": "ElementType",
    "ChannelType": "ElementType",
    "EmbeddedTextType": "ChannelType",
    "LogitsType": "ElementType",
    "ProbsType": "ElementType",
    "LogprobsType": "ElementType",
    "LabelsType": "ElementType",
    "HypothesisType": "LabelsType",
    "LengthsType": "ElementType",
    "LossType": "ElementType",
    "EncodedRepresentation": "ChannelType",
    "AcousticEncodedRepresentation": "EncodedRepresentation",
    "AudioSignal": "ElementType",
    "VideoSignal": "ElementType",
    "SpectrogramType": "ChannelType",
    "MelSpectrogramType": "SpectrogramType",
    "MFCCSpectrogramType": "SpectrogramType",
    "PredictionsType": "LabelsType",
    "RegressionValuesType": "PredictionsType",
    "CategoricalValuesType": "PredictionsType",
    "MaskType": "PredictionsType",
    "Index": "ElementType",
    "Target": "ElementType",
    "ClassificationTarget": "Target",
    "ImageValue": "ElementType",
    "NormalizedImageValue": "ImageValue",
    "ImageFeatureValue": "ImageValue",
    "StringType": "ElementType",
    "StringLabel": "StringType",
    "BoolType": "ElementType",
    "IntType": "ElementType",
    "FloatType": "ElementType",
    "TokenIndex": "IntType",
    "Length": "IntType",
    "ProbabilityDistributionSamplesType": "ElementType",
    "NormalDistributionSamplesType": "ProbabilityDistributionSamplesType",
    "SequenceToSequenceAlignmentType": "ElementType",
    "NormalDistributionMeanType": "ElementType",
    "NormalDistributionLogVarianceType": "ElementType",
    "TokenDurationType": "ElementType",
    "TokenLogDurationType": "ElementType",
    "LogDeterminantType": "ElementType",
}


def test_all_43_with_their_parents() -> None:
    assert len(PARENTS) == 43
    assert sorted(E.__all__) == sorted(PARENTS)
    for name, parent in PARENTS.items():
        cls = getattr(E, name)
        if parent is not None:
            assert cls.__bases__ == (getattr(E, parent),), name


def test_instances_compare_equal_and_hash() -> None:
    assert E.SpectrogramType() == E.SpectrogramType()
    assert E.SpectrogramType() != E.MelSpectrogramType()
    assert E.AudioSignal(16000) == E.AudioSignal(16000)
    assert E.AudioSignal(16000) != E.AudioSignal(8000)
    assert len({E.LogitsType(), E.LogitsType(), E.AudioSignal(1), E.AudioSignal(1)}) == 2


def test_parameters() -> None:
    assert dict(E.AudioSignal(16000).type_parameters) == {"freq": 16000}
    assert dict(E.VideoSignal(30).type_parameters) == {"fps": 30}
    assert dict(E.AudioSignal().type_parameters) == {"freq": None}
    assert repr(E.VideoSignal(30)) == "VideoSignal(fps=30)"
    assert repr(E.LogitsType()) == "LogitsType"


def test_compare_needs_an_element() -> None:
    try:
        E.LogitsType().compare("LogitsType")  # type: ignore[arg-type]
    except TypeError as err:
        assert str(err) == "LogitsType.compare() needs an ElementType instance, got str"
    else:
        raise AssertionError("no error")
