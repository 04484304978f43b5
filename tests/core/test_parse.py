"""The axis-string parser: every token form of DESIGN.md, and exact error text."""

from __future__ import annotations

import pytest

from neuraltypes import AxisKind, AxisSpecError, AxisType
from neuraltypes._core import BinOp, Num, Var, parse_axes, parse_axis_token, render_axes


def kinds(text: str, **kw: bool) -> list[AxisKind | None]:
    return [a.kind for a in parse_axes(text, **kw)]  # type: ignore[misc]


def test_nemo_letters_and_words() -> None:
    assert kinds("B T D C W H S") == [
        AxisKind.Batch,
        AxisKind.Time,
        AxisKind.Dimension,
        AxisKind.Dimension,
        AxisKind.Width,
        AxisKind.Height,
        AxisKind.Singleton,
    ]
    assert kinds("batch time channel width height singleton seq sequence flowgroup any") == [
        AxisKind.Batch,
        AxisKind.Time,
        AxisKind.Channel,
        AxisKind.Width,
        AxisKind.Height,
        AxisKind.Singleton,
        AxisKind.Sequence,
        AxisKind.Sequence,
        AxisKind.FlowGroup,
        AxisKind.Any,
    ]
    assert kinds("N b t d") == [AxisKind.Batch, AxisKind.Batch, AxisKind.Time, AxisKind.Dimension]


def test_channel_is_dimension() -> None:
    assert AxisKind.Channel is AxisKind.Dimension
    assert parse_axes("C") == parse_axes("D")


def test_plain_kind_letters_are_unnamed() -> None:
    (axis,) = parse_axes("N")
    assert axis == AxisType(AxisKind.Batch)
    assert axis.name is None
    assert axis.token == "N"  # displayed as written


def test_suffix_takes_kind_and_keeps_name() -> None:
    t_enc, d_in, t_low = parse_axes("T_enc D_in t_dec")
    assert (t_enc.kind, t_enc.name) == (AxisKind.Time, "T_enc")
    assert (d_in.kind, d_in.name) == (AxisKind.Dimension, "D_in")
    assert (t_low.kind, t_low.name) == (AxisKind.Time, "t_dec")


def test_lower_case_prefixed_names_stay_names() -> None:
    d_model, n_heads, pos = parse_axes("d_model n_heads pos")
    assert (d_model.kind, d_model.name) == (None, "d_model")
    assert (n_heads.kind, n_heads.name) == (None, "n_heads")
    assert (pos.kind, pos.name) == (None, "pos")


def test_jaxtyping_style_names_everything() -> None:
    axes = parse_axes("batch t d", jaxtyping=True)
    assert [(a.kind, a.name) for a in axes] == [(None, "batch"), (None, "t"), (None, "d")]


def test_fixed_sizes() -> None:
    bare, named, word = parse_axes("80 D=80 rows=3")
    assert bare == AxisType(None, 80)
    assert named == AxisType(AxisKind.Dimension, 80)
    assert word == AxisType(None, 3)
    assert named.token == "D=80"


def test_any_and_anonymous() -> None:
    any_axis, anon, anon_named = parse_axes("any _ _batch")
    assert any_axis == AxisType(AxisKind.Any)
    assert anon == AxisType(None)
    assert anon_named == AxisType(None)


def test_variadics() -> None:
    named, rest = parse_axes("*batch d"), parse_axes("... d")
    assert named[0] == AxisType(None, name="batch", variadic=True)
    assert rest[0] == AxisType(None, variadic=True)
    assert parse_axes("*_ d")[0] == AxisType(None, variadic=True)


def test_broadcast() -> None:
    (axis,) = parse_axes("#n", jaxtyping=True)
    assert axis == AxisType(None, name="n", broadcast=True)


def test_size_expressions_parse_without_eval() -> None:
    plus, times, div, nested = parse_axes("d+1 2*d d//h (a+b)*c")
    assert plus.expr == BinOp("+", Var("d"), Num(1))
    assert times.expr == BinOp("*", Num(2), Var("d"))
    assert div.expr == BinOp("//", Var("d"), Var("h"))
    assert nested.expr == BinOp("*", BinOp("+", Var("a"), Var("b")), Var("c"))
    assert nested.expr is not None and nested.expr.evaluate({"a": 1, "b": 2, "c": 4}) == 12
    assert div.expr is not None and div.expr.evaluate({"d": 512, "h": 8}) == 64
    assert plus.expr is not None and plus.expr.evaluate({}) is None


def test_precedence_and_rendering() -> None:
    (axis,) = parse_axes("a-(b-c)")
    assert axis.expr == BinOp("-", Var("a"), BinOp("-", Var("b"), Var("c")))
    assert str(axis.expr) == "a-(b-c)"
    (axis,) = parse_axes("a+b*c")
    assert str(axis.expr) == "a+b*c"


def test_empty_string_is_a_scalar() -> None:
    assert parse_axes("") == ()
    assert parse_axes("   ") == ()


def test_render_round_trip() -> None:
    text = "B T_enc D=80 *batch 3 _ any d+1 #n"
    assert render_axes(parse_axes(text)) == text


def test_single_token() -> None:
    assert parse_axis_token("T_enc").name == "T_enc"
    with pytest.raises(AxisSpecError, match='^"B T": expected exactly one axis token$'):
        parse_axis_token("B T")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("B D+ T", '"B D+ T": unexpected end of expression after "D+"'),
        ("2*", '"2*": unexpected end of expression after "2*"'),
        ("**a", '"**a": variadic name must be an identifier, got "*a" in "**a"'),
        (
            "... B ...",
            '"... B ...": only one variadic axis ("*name" or "...") is allowed; '
            'found "..." after "..."',
        ),
        (
            "*a *b",
            '"*a *b": only one variadic axis ("*name" or "...") is allowed; found "*b" after "*a"',
        ),
        ("B D=", '"B D=": missing size after "=" in "D="'),
        ("=3", '"=3": missing axis name before "=" in "=3"'),
        ("D=x", '"D=x": size after "=" must be a non-negative integer, got "x" in "D=x"'),
        ("D=1=2", '"D=1=2": size after "=" must be a non-negative integer, got "1=2" in "D=1=2"'),
        ("(d+1", '"(d+1": unclosed "(" in "(d+1"'),
        ("d+1)", '"d+1)": unmatched ")" in "d+1)"'),
        ("()", '"()": unexpected ")" after "(" of "()"'),
        ("d++1", '"d++1": unexpected "+" after "d+" of "d++1"'),
        ("+d", '"+d": unexpected "+" at the start of "+d"'),
        ("2d", '"2d": expected an operator before "d" in "2d"'),
        ("a/b", '"a/b": use "//" for division'),
        ("B Ä", '"B Ä": non-ASCII character "Ä" (U+00C4) in "Ä"'),
        ("B \x00", '"B \\x00": unexpected character "\\x00" in "\\x00"'),
        ("B $", '"B $": unexpected character "$" in "$"'),
        ("B,T", '"B,T": axes are separated by spaces, not commas: "B,T"'),
        ("B...", '"B...": "..." must stand alone as a token, got "B..."'),
        ("#", '"#": missing axis name after "#" in "#"'),
        ("##a", '"##a": "#" given twice in "##a"'),
        ("*", '"*": missing name after "*" in "*"'),
        ("__a", '"__a": "_" given twice in "__a"'),
        ("#_", '"#_": an axis can\'t be both anonymous and broadcastable: "#_"'),
        ("*4", '"*4": a fixed size can\'t be variadic: "*4"'),
        ("_4", '"_4": a fixed size can\'t be anonymous: "_4"'),
        ("*d+1", '"*d+1": a size expression can\'t be variadic: "*d+1"'),
        (
            "(" * 40 + "a" + ")" * 40,
            '"' + "(" * 40 + "a" + ")" * 19 + '... (81 characters)": '
            "expression nested more than 32 parentheses deep",
        ),
    ],
)
def test_malformed_strings(text: str, message: str) -> None:
    with pytest.raises(AxisSpecError) as info:
        parse_axes(text)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


def test_long_strings_are_abbreviated() -> None:
    text = "B " * 5000 + "D+"
    with pytest.raises(AxisSpecError) as info:
        parse_axes(text)
    assert str(info.value) == (
        '"' + "B " * 30 + '... (10002 characters)": unexpected end of expression after "D+"'
    )
    long_token = "x" * 10_000 + "$"
    with pytest.raises(AxisSpecError) as info:
        parse_axes(long_token)
    assert str(info.value) == (
        '"'
        + "x" * 60
        + '... (10001 characters)": unexpected character "$" in "'
        + "x" * 30
        + '..."'
    )


def test_not_a_string() -> None:
    with pytest.raises(AxisSpecError, match='^"3": an axis string must be a str, got int$'):
        parse_axes(3)  # type: ignore[arg-type]
