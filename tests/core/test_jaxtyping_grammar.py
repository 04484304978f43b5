"""jaxtyping axis strings are read with jaxtyping's own grammar: an annotation is
refused (neural-spec, AxisSpecError) exactly when jaxtyping refuses it, and what
jaxtyping accepts but neuraltypes can't interpret (a symbolic size it evaluates as
Python, such as ``torch.long``) is an axis of unknown size."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from jaxtyping import Float

from neuraltypes._core import AxisSpecError, parse_axes, render_axes


def jaxtyping_accepts(text: str) -> bool:
    try:
        Float[torch.Tensor, text]
    except Exception:  # noqa: BLE001 - any refusal counts
        return False
    return True


def we_accept(text: str) -> bool:
    try:
        parse_axes(text, jaxtyping=True)
    except AxisSpecError:
        return False
    return True


ACCEPTED_BY_JAXTYPING = [
    "num_faces 3 torch.long",
    "batch λ",
    "min(a,b) c",
    "x=y=z",
    "rows=3 cols=4",
    "=4",
    "foo=bar",
    "?p *",
    "b n+2",
    "#b _ ...",
    "*batch #c",
    "3.5",
    "+3",
]
REFUSED_BY_JAXTYPING = [
    "a, b",
    "a#",
    "#",
    "**x",
    "##x",
    "__x",
    "_4",
    "*4",
    "#_",
    "_foo+bar",
    "*foo+bar",
    "?4",
    "a...",
    "*a *b",
    "... ...",
]


@pytest.mark.parametrize("text", ACCEPTED_BY_JAXTYPING)
def test_accepted_as_jaxtyping_accepts(text: str) -> None:
    assert jaxtyping_accepts(text)
    assert we_accept(text)


@pytest.mark.parametrize("text", REFUSED_BY_JAXTYPING)
def test_refused_as_jaxtyping_refuses(text: str) -> None:
    assert not jaxtyping_accepts(text)
    assert not we_accept(text)


def test_what_is_not_read_is_an_axis_of_unknown_size() -> None:
    axes = parse_axes("num_faces 3 torch.long", jaxtyping=True)
    assert [(a.name, a.size, a.expr, a.variadic) for a in axes] == [
        ("num_faces", None, None, False),
        (None, 3, None, False),
        (None, None, None, False),
    ]
    assert render_axes(axes) == "num_faces 3 torch.long"
    assert parse_axes(render_axes(axes), jaxtyping=True) == axes


def test_refusals_name_the_token() -> None:
    with pytest.raises(AxisSpecError) as err:
        parse_axes("b a#", jaxtyping=True)
    assert str(err.value) == '"b a#": "#" (broadcastable) goes before the axis name: "a#"'
    with pytest.raises(AxisSpecError) as err:
        parse_axes("b ?4", jaxtyping=True)
    assert str(err.value) == '"b ?4": a fixed size can\'t be tied to a PyTree path: "?4"'


def test_neuraltypes_strings_keep_their_strict_grammar() -> None:
    with pytest.raises(AxisSpecError) as err:
        parse_axes("B torch.long")
    assert str(err.value) == '"B torch.long": unexpected character "." in "torch.long"'


TOKEN = st.text(alphabet="ab_*#?=.+-/()0123, λ²", min_size=1, max_size=6)


@settings(max_examples=400, deadline=None)
@given(st.lists(TOKEN, min_size=1, max_size=3).map(" ".join))
def test_same_verdict_as_jaxtyping(text: str) -> None:
    assert we_accept(text) == jaxtyping_accepts(text), text
