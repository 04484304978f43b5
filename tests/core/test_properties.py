"""Property tests: round trips, compare laws, and a fuzz of the parser."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from neuraltypes import AxisSpecError, NeuralType, NeuralTypeComparisonResult
from neuraltypes._core import parse_axes, render_axes
from neuraltypes.elements import (
    AudioSignal,
    LengthsType,
    LogitsType,
    MelSpectrogramType,
    SpectrogramType,
    VoidType,
)

R = NeuralTypeComparisonResult

IDENT = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,6}", fullmatch=True)
KIND = st.sampled_from(["B", "N", "T", "D", "C", "W", "H", "S", "batch", "time", "any", "T_enc"])


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 2 or draw(st.booleans()):
        return draw(st.one_of(IDENT, st.integers(0, 99).map(str)))
    op = draw(st.sampled_from(["+", "-", "*", "//"]))
    left = draw(expressions(depth + 1))
    right = draw(expressions(depth + 1))
    if draw(st.booleans()):
        return f"({left}){op}{right}"
    return f"{left}{op}{right}"


SIMPLE_TOKEN = st.one_of(
    KIND,
    IDENT,
    st.integers(0, 4096).map(str),
    st.tuples(IDENT, st.integers(0, 512)).map(lambda t: f"{t[0]}={t[1]}"),
    st.just("_"),
    IDENT.map(lambda n: f"#{n}"),
)


@st.composite
def axis_strings(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(st.one_of(SIMPLE_TOKEN, expressions()), max_size=6))
    if draw(st.booleans()):
        variadic = draw(st.one_of(st.just("..."), IDENT.map(lambda n: f"*{n}")))
        tokens.insert(draw(st.integers(0, len(tokens))), variadic)
    sep = draw(st.sampled_from([" ", "  ", "\t", " \n "]))
    return sep.join(tokens)


@settings(max_examples=400)
@given(axis_strings(), st.booleans())
def test_parse_render_parse_round_trip(text: str, jaxtyping: bool) -> None:
    axes = parse_axes(text, jaxtyping=jaxtyping)
    rendered = render_axes(axes)
    assert parse_axes(rendered, jaxtyping=jaxtyping) == axes
    # rendering without the written labels gives the same axes too
    canonical = " ".join(
        type(a)(a.kind, a.size, a.is_list, a.name, a.expr, a.variadic, a.broadcast).token
        for a in axes
    )
    assert parse_axes(canonical, jaxtyping=jaxtyping) == axes


ELEMENTS = st.sampled_from(
    [
        VoidType(),
        SpectrogramType(),
        MelSpectrogramType(),
        LogitsType(),
        LengthsType(),
        AudioSignal(16000),
        AudioSignal(8000),
        AudioSignal(),
    ]
)
KIND_STRINGS = st.lists(KIND, max_size=5).map(" ".join)


@settings(max_examples=300)
@given(KIND_STRINGS, ELEMENTS)
def test_compare_with_itself_is_same(axes: str, element: object) -> None:
    t = NeuralType(axes, element)
    assert t.compare(t) is R.SAME
    assert t.compare(NeuralType(axes, element)) is R.SAME


@settings(max_examples=300)
@given(KIND_STRINGS, KIND_STRINGS, ELEMENTS)
def test_transposition_is_symmetric(a: str, b: str, element: object) -> None:
    first = NeuralType(a, element)
    second = NeuralType(b, element)
    assert (first.compare(second) is R.TRANSPOSE_SAME) == (
        second.compare(first) is R.TRANSPOSE_SAME
    )


@settings(max_examples=300)
@given(st.permutations(["B", "T", "D", "H"]), ELEMENTS)
def test_true_permutations_are_transpositions(order: list[str], element: object) -> None:
    declared = NeuralType("B T D H", element)
    given_ = NeuralType(" ".join(order), element)
    expected = R.SAME if order == ["B", "T", "D", "H"] else R.TRANSPOSE_SAME
    assert declared.compare(given_) is expected


@settings(max_examples=300)
@given(KIND_STRINGS, ELEMENTS, ELEMENTS)
def test_greater_and_less_mirror(axes: str, a: object, b: object) -> None:
    first, second = NeuralType(axes, a), NeuralType(axes, b)
    if first.compare(second) is R.GREATER:
        assert second.compare(first) is R.LESS
    if first.compare(second) is R.LESS:
        assert second.compare(first) is R.GREATER


@settings(max_examples=2000)
@given(st.text(max_size=40), st.booleans())
def test_fuzz_random_text_never_crashes(text: str, jaxtyping: bool) -> None:
    try:
        axes = parse_axes(text, jaxtyping=jaxtyping)
    except AxisSpecError as err:
        message = str(err)
        assert message.startswith('"')
        assert '": ' in message
    else:
        assert parse_axes(render_axes(axes), jaxtyping=jaxtyping) == axes


@settings(max_examples=1000)
@given(st.text(alphabet="Bbdt_*#.=()+-/0123456789 xyz,?", max_size=30))
def test_fuzz_syntax_characters(text: str) -> None:
    try:
        parse_axes(text)
    except AxisSpecError:
        pass


def test_fuzz_huge_strings() -> None:
    for text in ["B " * 20_000, "(" * 10_000, "a+" * 10_000 + "1", "x" * 100_000]:
        try:
            parse_axes(text)
        except AxisSpecError as err:
            assert len(str(err)) < 300
        else:
            assert render_axes(parse_axes(text)) == " ".join(text.split())


def test_long_expressions_are_refused() -> None:
    text = "a+" * 10_000 + "1"
    try:
        parse_axes(text)
    except AxisSpecError as err:
        assert str(err).endswith(
            'size expression "a+a+a+a+a+a+a+a+a+a+a+a+a+a+a+..." is longer than 200 parts'
        )
    else:
        raise AssertionError("a 20001-part expression was accepted")
