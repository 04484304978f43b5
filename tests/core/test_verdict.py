"""The connection rule and its one wording."""

from __future__ import annotations

from neuraltypes import NeuralType
from neuraltypes._core import check_connection, where_port, where_return
from neuraltypes.elements import (
    AcousticEncodedRepresentation,
    MelSpectrogramType,
    SpectrogramType,
)

DEC = where_port("Decoder.forward", "encoder_output")


def render(found: NeuralType, expected: NeuralType) -> list[tuple[str, str]]:
    return [(m.code, m.render(DEC)) for m in check_connection(found, expected)]


def test_where() -> None:
    assert DEC == 'Decoder.forward port "encoder_output"'
    assert where_return("Encoder.forward", "encoded") == 'Encoder.forward return value "encoded"'
    assert where_return("Encoder.forward") == "Encoder.forward return value"


def test_accepted() -> None:
    assert (
        check_connection(
            NeuralType("B D T", MelSpectrogramType), NeuralType("B D T", SpectrogramType)
        )
        == ()
    )


def test_element_mismatch() -> None:
    assert render(
        NeuralType("B D T", SpectrogramType), NeuralType("B D T", AcousticEncodedRepresentation)
    ) == [
        (
            "neural-element",
            'Decoder.forward port "encoder_output": SpectrogramType is not '
            'AcousticEncodedRepresentation (expected "B D T" AcousticEncodedRepresentation, '
            'found "B D T" SpectrogramType)',
        )
    ]


def test_more_general_element() -> None:
    assert render(
        NeuralType("B D T", SpectrogramType), NeuralType("B D T", MelSpectrogramType)
    ) == [
        (
            "neural-element",
            'Decoder.forward port "encoder_output": SpectrogramType is not MelSpectrogramType '
            '(expected "B D T" MelSpectrogramType, found "B D T" SpectrogramType); '
            "SpectrogramType is more general than MelSpectrogramType",
        )
    ]


def test_void_value() -> None:
    assert render(NeuralType("B D T"), NeuralType("B D T", SpectrogramType)) == [
        (
            "neural-element",
            'Decoder.forward port "encoder_output": VoidType is not SpectrogramType '
            '(expected "B D T" SpectrogramType, found "B D T" VoidType); a VoidType '
            "(unconstrained) value is accepted only where VoidType is declared",
        )
    ]


def test_transposed_with_hint() -> None:
    assert render(NeuralType("B T D"), NeuralType("B D T")) == [
        (
            "neural-axes",
            'Decoder.forward port "encoder_output": axes are transposed (expected "B D T" '
            'VoidType, found "B T D" VoidType); did you mean .transpose(1, 2)?',
        )
    ]


def test_permutation_hint() -> None:
    (m,) = check_connection(NeuralType("T D B"), NeuralType("B D T"))
    assert m.hint == "did you mean .transpose(0, 2)?"
    (m,) = check_connection(NeuralType("D T B"), NeuralType("B D T"))
    assert m.hint == "did you mean .permute(2, 0, 1)?"


def test_rank_kind_and_size() -> None:
    assert render(NeuralType("B T"), NeuralType("B D T")) == [
        (
            "neural-axes",
            'Decoder.forward port "encoder_output": 2 axes where 3 are expected (expected '
            '"B D T" VoidType, found "B T" VoidType)',
        )
    ]
    assert render(NeuralType("B H T"), NeuralType("B W T")) == [
        (
            "neural-axes",
            'Decoder.forward port "encoder_output": dim 1 is H where W is expected (expected '
            '"B W T" VoidType, found "B H T" VoidType)',
        )
    ]
    assert render(NeuralType("B D=64 T"), NeuralType("B D=80 T")) == [
        (
            "neural-size",
            'Decoder.forward port "encoder_output": dim 1 (D=80) has size 64, expected 80 '
            '(expected "B D=80 T" VoidType, found "B D=64 T" VoidType)',
        )
    ]


def test_element_and_axes_both_reported() -> None:
    codes = [
        m.code
        for m in check_connection(
            NeuralType("B T D", SpectrogramType),
            NeuralType("B D T", AcousticEncodedRepresentation),
        )
    ]
    assert codes == ["neural-element", "neural-axes"]


def test_unknown_size_is_gradual_but_strict_on_request() -> None:
    assert check_connection(NeuralType("B D T"), NeuralType("B D=80 T")) == ()
    (m,) = check_connection(NeuralType("B D T"), NeuralType("B D=80 T"), gradual=False)
    assert m.problem == "dim 1 (D=80) has unknown size, expected 80"


def test_variadic_messages() -> None:
    (m,) = check_connection(NeuralType("T"), NeuralType("B ... T"))
    assert m.problem == 'too few axes for "B ... T"'
    (m,) = check_connection(NeuralType("B D T"), NeuralType("... D"))
    assert m.problem == "dim -1 is T where D is expected"


def test_missing_axes() -> None:
    (m,) = check_connection(NeuralType(None, SpectrogramType), NeuralType("B", SpectrogramType))
    assert (m.code, m.problem) == ("neural-axes", "the value has no declared axes")
