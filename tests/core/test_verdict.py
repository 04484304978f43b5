"""The connection rule and its one wording."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from neuraltypes import NeuralType, NeuralTypeError
from neuraltypes._core import (
    check_connection,
    render_mismatches,
    swap_hint,
    swapped_with,
    where_port,
    where_return,
)
from neuraltypes.elements import (
    AcousticEncodedRepresentation,
    LengthsType,
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


def test_one_message_for_all_mismatches_of_a_value() -> None:
    found = check_connection(
        NeuralType("B T D", SpectrogramType), NeuralType("B D T", AcousticEncodedRepresentation)
    )
    assert render_mismatches(DEC, found) == (
        'Decoder.forward port "encoder_output": SpectrogramType is not '
        'AcousticEncodedRepresentation (expected "B D T" AcousticEncodedRepresentation, '
        'found "B T D" SpectrogramType); also axes are transposed'
    )
    hint = swap_hint("encoder_output", "length")
    assert render_mismatches(DEC, found, hint) == (
        'Decoder.forward port "encoder_output": SpectrogramType is not '
        'AcousticEncodedRepresentation (expected "B D T" AcousticEncodedRepresentation, '
        'found "B T D" SpectrogramType); also axes are transposed; arguments swapped? the '
        'values for "encoder_output" and "length" each fit the other\'s port'
    )


def test_a_call_wide_hint_replaces_the_mismatch_hint() -> None:
    found = check_connection(NeuralType("B T D"), NeuralType("B D T"))
    assert render_mismatches(DEC, found) == found[0].render(DEC)
    assert found[0].hint == "did you mean .transpose(1, 2)?"
    assert render_mismatches(DEC, found, "hint") == (
        'Decoder.forward port "encoder_output": axes are transposed (expected "B D T" '
        'VoidType, found "B T D" VoidType); hint'
    )


def test_compare_and_raise_error_gives_the_one_message() -> None:
    port = NeuralType("B D T", AcousticEncodedRepresentation)
    with pytest.raises(NeuralTypeError) as info:
        port.compare_and_raise_error(
            "Decoder.forward", "encoder_output", NeuralType("B", LengthsType)
        )
    assert str(info.value) == (
        'Decoder.forward port "encoder_output": LengthsType is not '
        'AcousticEncodedRepresentation (expected "B D T" AcousticEncodedRepresentation, '
        'found "B" LengthsType); also 1 axis where 3 are expected'
    )
    assert [m.code for m in info.value.mismatches] == ["neural-element", "neural-axes"]


def fits_table(table: dict[tuple[int, int], bool]) -> Callable[[int, int], bool]:
    """``fits(argument, port)`` from the pairs that fit (the others do not)."""
    return lambda argument, port: table.get((argument, port), False)


def test_swapped_with_needs_each_to_fit_the_others_port_and_neither_its_own() -> None:
    swapped = fits_table({(0, 1): True, (1, 0): True})
    assert [swapped_with(i, 2, swapped) for i in (0, 1)] == [1, 0]
    one_way = fits_table({(0, 1): True})
    assert [swapped_with(i, 2, one_way) for i in (0, 1)] == [None, None]
    second_fits_its_own = fits_table({(0, 1): True, (1, 0): True, (1, 1): True})
    assert [swapped_with(i, 2, second_fits_its_own) for i in (0, 1)] == [None, None]
    rotation = fits_table({(0, 1): True, (1, 2): True, (2, 0): True})
    assert [swapped_with(i, 3, rotation) for i in (0, 1, 2)] == [None, None, None]
    third_and_first = fits_table({(0, 2): True, (2, 0): True})
    assert [swapped_with(i, 3, third_and_first) for i in (0, 1, 2)] == [2, None, 0]
