"""Property tests of the propagation rules: reorders undo, rules never raise, and
what they return renders to an axis string that parses back."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from neuraltypes._core import parse_axes, render_axes
from neuraltypes._core.ops import (
    NOT_LITERAL,
    OPS,
    SCALAR,
    UNKNOWN_TENSOR,
    Arg,
    Result,
    TensorType,
    propagate,
)

TOKENS = st.sampled_from(["B", "T", "D", "C", "T_enc", "pos", "_", "1", "80", "D=80", "S", "#n"])


@st.composite
def tensors(draw: st.DrawFn, min_rank: int = 0, variadic: bool = True) -> TensorType:
    tokens = draw(st.lists(TOKENS, min_size=min_rank, max_size=5))
    if variadic and draw(st.booleans()) and draw(st.booleans()):
        tokens.insert(draw(st.integers(0, len(tokens))), draw(st.sampled_from(["...", "*b"])))
    return TensorType(parse_axes(" ".join(tokens)), ("neuraltypes.elements.LogitsType",))


def axes_of(result: Result) -> tuple[object, ...] | None:
    assert isinstance(result, TensorType)
    return result.axes


@given(tensors(min_rank=1), st.data())
def test_transpose_twice_is_identity(x: TensorType, data: st.DataObject) -> None:
    assert x.axes is not None
    rank = len(x.axes)
    i = data.draw(st.integers(-rank, rank - 1))
    j = data.draw(st.integers(-rank, rank - 1))
    once = propagate("Tensor.transpose", [x, i, j]).result
    if once is None:
        return
    assert isinstance(once, TensorType)
    assert propagate("Tensor.transpose", [once, i, j]).result == x


@given(tensors(min_rank=1, variadic=False), st.randoms())
def test_permute_by_the_inverse_is_identity(x: TensorType, random: object) -> None:
    assert x.axes is not None
    order = list(range(len(x.axes)))
    random.shuffle(order)  # type: ignore[attr-defined]
    inverse = [order.index(i) for i in range(len(order))]
    once = propagate("Tensor.permute", [x, tuple(order)]).result
    assert isinstance(once, TensorType)
    assert propagate("Tensor.permute", [once, tuple(inverse)]).result == x


@given(tensors(), st.data())
def test_unsqueeze_then_squeeze_is_identity(x: TensorType, data: st.DataObject) -> None:
    assert x.axes is not None
    rank = len(x.axes)
    dim = data.draw(st.integers(-rank - 1, rank))
    once = propagate("Tensor.unsqueeze", [x, dim]).result
    if once is None:
        return
    assert propagate("Tensor.squeeze", [once, dim]).result == x


@given(tensors(min_rank=1), st.data())
def test_movedim_back_is_identity(x: TensorType, data: st.DataObject) -> None:
    assert x.axes is not None
    rank = len(x.axes)
    src, dst = data.draw(st.integers(0, rank - 1)), data.draw(st.integers(0, rank - 1))
    once = propagate("Tensor.movedim", [x, src, dst]).result
    if once is None:
        return
    assert propagate("Tensor.movedim", [once, dst, src]).result == x


LITERALS: st.SearchStrategy[Arg] = st.one_of(
    st.integers(-4, 4),
    st.booleans(),
    st.none(),
    st.just(...),
    st.just(NOT_LITERAL),
    st.just(SCALAR),
    st.just(UNKNOWN_TENSOR),
    st.sampled_from(["cuda", "mean", "none", "btd,dv->btv", "...d->d", "ii"]),
    st.builds(slice, st.integers(-3, 3) | st.none(), st.integers(-3, 3) | st.none()),
    st.tuples(st.integers(-3, 3), st.integers(-3, 3)),
    tensors(),
)


@settings(max_examples=400)
@given(
    st.sampled_from(sorted(OPS)),
    tensors(),
    st.lists(LITERALS, max_size=4),
    st.dictionaries(st.sampled_from(["dim", "keepdim", "other", "dtype"]), LITERALS, max_size=2),
)
def test_rules_never_raise_and_results_parse_back(
    op: str, x: TensorType, args: list[Arg], kwargs: dict[str, Arg]
) -> None:
    """Whatever they are given, the rules answer (not decided at worst), and every
    axis string they produce parses back into the same axes."""
    outcome = propagate(op, [x, *args], kwargs)
    results = [outcome.result]
    while results:
        result = results.pop()
        if isinstance(result, tuple):
            results.extend(result)
        elif isinstance(result, TensorType) and result.axes is not None:
            text = render_axes(result.axes)
            assert parse_axes(text, jaxtyping=result.jaxtyping) == result.axes
