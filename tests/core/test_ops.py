"""Propagation of neural types through torch operations (the core's rules)."""

from __future__ import annotations

import pytest

from neuraltypes._core import element_info, parse_axes, render_axes
from neuraltypes._core.ops import (
    NOT_DECIDED,
    NOT_LITERAL,
    SCALAR,
    UNKNOWN_TENSOR,
    Arg,
    Dtype,
    Outcome,
    Result,
    TensorType,
    propagate,
)
from neuraltypes.elements import (
    AcousticEncodedRepresentation,
    ElementType,
    LengthsType,
    LogitsType,
    LogprobsType,
    LossType,
    ProbsType,
    SpectrogramType,
    TokenDurationType,
    TokenLogDurationType,
)

F = "torch.nn.functional."


def el(cls: type[ElementType]) -> tuple[str, ...]:
    """The element tuple of a class, as the plugin gives it."""
    return element_info(cls()).ancestors


def t(
    axes: str | None,
    element: type[ElementType] | None = None,
    dtype: str | None = None,
    jaxtyping: bool = False,
) -> TensorType:
    parsed = None if axes is None else parse_axes(axes, jaxtyping=jaxtyping)
    return TensorType(parsed, None if element is None else el(element), dtype, jaxtyping)


def shown(result: Result) -> object:
    """A result as (axis string, element short name), recursively for tuples."""
    if result is None:
        return None
    if isinstance(result, tuple):
        return tuple(shown(item) for item in result)
    axes = None if result.axes is None else render_axes(result.axes)
    element = None if result.element is None else result.element[0].rpartition(".")[2]
    return (axes, element)


def run(op: str, *args: Arg, **kwargs: Arg) -> object:
    outcome = propagate(op, args, kwargs)
    assert outcome.problems == ()
    return shown(outcome.result)


def messages(outcome: Outcome) -> list[tuple[str, str]]:
    return [(p.mismatch.code, p.render()) for p in outcome.problems]


ENC = t("B D T", AcousticEncodedRepresentation)
LOGITS = t("B T C", LogitsType)


# -- same data ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "op",
    ["Tensor.clone", "Tensor.detach", "Tensor.contiguous", "Tensor.cpu", "Tensor.cuda",
     "Tensor.requires_grad_", "Tensor.to", "torch.clone", "torch.detach", "Tensor.float",
     "Tensor.long", "Tensor.half"],
)  # fmt: skip
def test_same_data_keeps_axes_and_element(op: str) -> None:
    assert run(op, ENC) == ("B D T", "AcousticEncodedRepresentation")


def test_casts_set_the_jaxtyping_dtype_category() -> None:
    x = t("b t", dtype="Float32", jaxtyping=True)
    assert propagate("Tensor.long", [x]).result == t("b t", dtype="Int64", jaxtyping=True)
    assert propagate("Tensor.half", [x]).result == t("b t", dtype="Float16", jaxtyping=True)
    to = propagate("Tensor.to", [x, Dtype("torch.bfloat16")]).result
    assert to == t("b t", dtype="BFloat16", jaxtyping=True)
    assert propagate("Tensor.to", [x], {"dtype": Dtype("long")}).result == t(
        "b t", dtype="Int64", jaxtyping=True
    )


def test_to_a_device_keeps_the_dtype_and_an_unknown_argument_forgets_it() -> None:
    x = t("b t", dtype="Float32", jaxtyping=True)
    assert propagate("Tensor.to", [x, "cuda"]).result == x
    assert propagate("Tensor.to", [x, "cuda"], {"non_blocking": True}).result == x
    # `x.to(self.device)`: the argument might be a dtype
    assert propagate("Tensor.to", [x, NOT_LITERAL]).result == t("b t", jaxtyping=True)


def test_type_as_takes_the_other_tensors_dtype() -> None:
    x = t("b t", dtype="Float32", jaxtyping=True)
    other = t("n", dtype="Int64", jaxtyping=True)
    assert propagate("Tensor.type_as", [x, other]).result == t(
        "b t", dtype="Int64", jaxtyping=True
    )
    assert propagate("Tensor.type", [x, Dtype("float64")]).result == t(
        "b t", dtype="Float64", jaxtyping=True
    )
    assert propagate("Tensor.type", [x]) == NOT_DECIDED  # returns a str


# -- elementwise ----------------------------------------------------------------------


def test_dtype_kept_only_where_torch_keeps_it() -> None:
    """A dtype category the rules can't be sure of is forgotten (never a wrong one:
    the plugin checks it against the ports)."""
    f32, i64 = t("b t", dtype="Float32", jaxtyping=True), t("b t", dtype="Int64", jaxtyping=True)
    mask = t("b t", dtype="Bool", jaxtyping=True)
    unknown = t("b t", jaxtyping=True)
    assert propagate("torch.sigmoid", [f32]).result == f32
    assert propagate("torch.sigmoid", [i64]).result == unknown  # a float tensor
    assert propagate("torch.relu", [mask]).result == unknown
    assert propagate("Tensor.__mul__", [i64, 2]).result == i64
    assert propagate("Tensor.__mul__", [mask, 2]).result == unknown  # an integer tensor
    assert propagate("Tensor.__mul__", [mask, mask]).result == mask
    assert propagate("Tensor.__truediv__", [i64, 2]).result == unknown


@pytest.mark.parametrize(
    "op",
    ["torch.relu", "Tensor.relu", F + "relu", F + "gelu", F + "silu", "torch.tanh",
     F + "dropout", F + "leaky_relu", F + "layer_norm"],
)  # fmt: skip
def test_activations_keep_axes_and_element(op: str) -> None:
    assert run(op, ENC) == ("B D T", "AcousticEncodedRepresentation")


def test_arithmetic_keeps_axes_and_forgets_the_element() -> None:
    assert run("torch.sqrt", ENC) == ("B D T", None)
    assert run("Tensor.__neg__", LOGITS) == ("B T C", None)
    assert run("torch.exp", ENC) == ("B D T", None)


@pytest.mark.parametrize(
    ("op", "element", "expected"),
    [
        ("torch.exp", LogprobsType, "ProbsType"),
        ("Tensor.exp", TokenLogDurationType, "TokenDurationType"),
        ("torch.log", ProbsType, "LogprobsType"),
        ("Tensor.log", TokenDurationType, "TokenLogDurationType"),
        ("torch.sigmoid", LogitsType, "ProbsType"),
        (F + "logsigmoid", LogitsType, "LogprobsType"),
        ("torch.sigmoid", SpectrogramType, "SpectrogramType"),  # an activation: kept
        ("torch.exp", LogitsType, None),
        ("torch.log", LogprobsType, None),
    ],
)
def test_meaning_changes(op: str, element: type[ElementType], expected: str | None) -> None:
    assert run(op, t("B T C", element)) == ("B T C", expected)


def test_a_subclass_counts_as_its_parent_in_the_meaning_table() -> None:
    class MyLogits(LogitsType):
        pass

    assert run(F + "log_softmax", t("B T C", MyLogits), -1) == ("B T C", "LogprobsType")


@pytest.mark.parametrize(
    ("op", "args", "kwargs", "expected"),
    [
        (F + "log_softmax", (-1,), {}, "LogprobsType"),
        (F + "log_softmax", (), {"dim": 2}, "LogprobsType"),
        ("Tensor.log_softmax", (-1,), {}, "LogprobsType"),
        ("torch.softmax", (-1,), {}, "ProbsType"),
        (F + "softmax", (-1,), {}, "ProbsType"),
        (F + "log_softmax", (1,), {}, None),  # over time: not the class axis
        (F + "log_softmax", (NOT_LITERAL,), {}, None),  # dim unknown
        (F + "log_softmax", (), {}, None),  # implicit dim
    ],
)
def test_softmax_over_the_class_axis(
    op: str, args: tuple[Arg, ...], kwargs: dict[str, Arg], expected: str | None
) -> None:
    assert run(op, LOGITS, *args, **kwargs) == ("B T C", expected)


def test_softmax_of_log_probs_is_probs_and_of_probs_unknown() -> None:
    assert run(F + "softmax", t("B T C", LogprobsType), -1) == ("B T C", "ProbsType")
    assert run(F + "softmax", t("B T C", ProbsType), -1) == ("B T C", None)


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("B T D", "B T D", "B T D"),
        ("B T D", "D", "B T D"),
        ("D", "B T D", "B T D"),
        ("B T D", "B 1 D", "B T D"),
        ("B 1 D", "B T D", "B T D"),
        ("B T D", "B S D", "B T D"),  # a singleton axis stretches
        ("B T _", "B T D=80", "B T D=80"),
        ("B T D=80", "80", "B T D=80"),
        ("B T D", "B T_enc D", "B T D"),
        ("*b T D", "D", "*b T D"),
        ("... D", "T D", None),  # the "..." may hold anything: not certain
        ("*b D", "*c D", None),
        ("", "B T", "B T"),
    ],
)
def test_broadcast_axes(left: str, right: str, expected: str | None) -> None:
    outcome = propagate("Tensor.__add__", [t(left, SpectrogramType), t(right)])
    assert outcome.problems == ()
    # not certain: the axes are unknown, the element is still kept
    assert shown(outcome.result) == (expected, "SpectrogramType")


def test_broadcast_with_a_scalar_and_elements() -> None:
    assert run("Tensor.__mul__", ENC, 2) == ("B D T", "AcousticEncodedRepresentation")
    assert run("Tensor.__rmul__", ENC, 0.5) == ("B D T", "AcousticEncodedRepresentation")
    assert run("torch.add", ENC, SCALAR) == ("B D T", "AcousticEncodedRepresentation")
    # the two sides agree / one has none / they differ
    assert run("torch.add", ENC, ENC) == ("B D T", "AcousticEncodedRepresentation")
    assert run("torch.add", ENC, t("B D T")) == ("B D T", "AcousticEncodedRepresentation")
    assert run("torch.sub", ENC, t("B D T", SpectrogramType)) == ("B D T", None)
    # a plain tensor of unknown shape: the element stays, the axes are unknown
    assert run("torch.mul", ENC, UNKNOWN_TENSOR) == (None, "AcousticEncodedRepresentation")
    # an argument that might be a tensor
    assert propagate("torch.add", [ENC, NOT_LITERAL]) == NOT_DECIDED


def test_where_masked_fill_clamp() -> None:
    mask = t("B 1 T")
    assert run("torch.where", mask, ENC, 0.0) == ("B D T", "AcousticEncodedRepresentation")
    assert run("Tensor.masked_fill", ENC, mask, 0.0) == ("B D T", "AcousticEncodedRepresentation")
    assert run("torch.clamp", ENC, None, 1.0) == ("B D T", "AcousticEncodedRepresentation")
    assert run("Tensor.clamp", ENC, min=0) == ("B D T", "AcousticEncodedRepresentation")
    assert run("torch.pow", ENC, 2) == ("B D T", None)


def test_broadcast_kind_conflict_message() -> None:
    outcome = propagate("Tensor.__add__", [ENC, t("B T D", SpectrogramType)])
    assert outcome.result is None
    assert messages(outcome) == [
        (
            "neural-axes",
            'operator "+": axes do not broadcast: dim -1 is D where T is expected (expected '
            '"B D T" AcousticEncodedRepresentation, found "B T D" SpectrogramType)',
        )
    ]


def test_broadcast_rank_conflict_message() -> None:
    """A per-batch vector added without ``unsqueeze``: the ranks line up wrongly."""
    outcome = propagate("torch.add", [t("B T D"), t("B D")])
    assert messages(outcome) == [
        (
            "neural-axes",
            "torch.add: axes do not broadcast: dim -2 is B where T is expected (expected "
            '"B T D", found "B D")',
        )
    ]


def test_broadcast_size_conflict_message() -> None:
    outcome = propagate("Tensor.__mul__", [t("B T D=40", SpectrogramType), t("D=80")])
    assert messages(outcome) == [
        (
            "neural-size",
            'operator "*": axes do not broadcast: dim -1 (D=40) has size 80, expected 40 '
            '(expected "B T D=40" SpectrogramType, found "D=80")',
        )
    ]


def test_broadcast_of_three_operands_names_what_met_so_far() -> None:
    outcome = propagate("torch.where", [t("B T 1"), t("B T D"), t("B D T")])
    assert messages(outcome) == [
        (
            "neural-axes",
            "torch.where: axes do not broadcast: dim -1 is T where D is expected (expected "
            '"B T D", found "B D T")',
        )
    ]
    # a mask without its unsqueeze
    outcome = propagate("torch.where", [t("B T"), t("B T D"), 0.0])
    assert messages(outcome) == [
        (
            "neural-axes",
            "torch.where: axes do not broadcast: dim -1 is D where T is expected (expected "
            '"B T", found "B T D")',
        )
    ]


def test_jaxtyping_names_never_conflict() -> None:
    x = t("batch pos d_model", jaxtyping=True)
    y = t("batch seq d_model", jaxtyping=True)
    out = propagate("Tensor.__add__", [x, y]).result
    assert out == x


# -- axis order -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "args", "expected"),
    [
        ("Tensor.transpose", (1, 2), "B T D"),
        ("Tensor.transpose", (-1, -2), "B T D"),
        ("torch.transpose", (0, 1), "D B T"),
        ("Tensor.swapaxes", (1, 2), "B T D"),
        ("Tensor.permute", (0, 2, 1), "B T D"),
        ("Tensor.permute", ((2, 0, 1),), "T B D"),
        ("Tensor.permute", (-1, 0, 1), "T B D"),
        ("torch.permute", ((0, 2, 1),), "B T D"),
        ("Tensor.movedim", (1, -1), "B T D"),
        ("torch.movedim", ((0, 1), (2, 0)), "D T B"),
        ("Tensor.T", (), "T D B"),
        ("Tensor.mT", (), "B T D"),
    ],
)
def test_axis_order(op: str, args: tuple[Arg, ...], expected: str) -> None:
    assert run(op, ENC, *args) == (expected, "AcousticEncodedRepresentation")


@pytest.mark.parametrize(
    ("axes", "op", "args", "expected"),
    [
        ("*b D T", "Tensor.transpose", (-1, -2), "*b T D"),
        ("*b D T", "Tensor.mT", (), "*b T D"),
        ("B ... T", "Tensor.transpose", (0, -1), "T ... B"),
        ("*b D T", "Tensor.transpose", (0, 1), None),  # inside the variadic run
        ("*b D T", "Tensor.permute", (0, 2, 1), None),
        ("*b D T", "Tensor.T", (), None),
        ("B D T", "Tensor.transpose", (1, 3), None),  # out of range
        ("B D T", "Tensor.transpose", (1, NOT_LITERAL), None),
        ("B D T", "Tensor.permute", (0, 1), None),
        ("B D T", "Tensor.permute", (0, 1, 1), None),
        ("B D T", "Tensor.t", (), None),
        ("D T", "Tensor.t", (), "T D"),
    ],
)
def test_axis_order_edges(axes: str, op: str, args: tuple[Arg, ...], expected: str | None) -> None:
    got = run(op, t(axes, SpectrogramType), *args)
    assert got == (None if expected is None else (expected, "SpectrogramType"))


# -- rank changes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("axes", "op", "args", "kwargs", "expected"),
    [
        ("B D T", "Tensor.unsqueeze", (1,), {}, "B 1 D T"),
        ("B D T", "Tensor.unsqueeze", (-1,), {}, "B D T 1"),
        ("B D T", "torch.unsqueeze", (3,), {}, "B D T 1"),
        ("B D T", "Tensor.unsqueeze", (4,), {}, None),
        ("*b D", "Tensor.unsqueeze", (-1,), {}, "*b D 1"),
        ("*b D", "Tensor.unsqueeze", (1,), {}, None),
        ("B 1 T", "Tensor.squeeze", (1,), {}, "B T"),
        ("B S T", "Tensor.squeeze", (1,), {}, "B T"),
        ("B D=80 T", "Tensor.squeeze", (1,), {}, "B D=80 T"),  # not 1: no-op
        ("B D T", "Tensor.squeeze", (1,), {}, None),  # size unknown
        ("B 1 T", "Tensor.squeeze", (), {}, None),
        ("2 1 3", "Tensor.squeeze", (), {}, "2 3"),
        ("B 1 1", "Tensor.squeeze", ((1, 2),), {}, "B"),
        ("B D T", "Tensor.flatten", (1,), {}, "B _"),
        ("B D T", "Tensor.flatten", (), {}, "_"),
        ("B 4 8", "torch.flatten", (1,), {}, "B 32"),
        ("B D T", "Tensor.flatten", (1, 1), {}, "B D T"),
        ("B ... T", "Tensor.flatten", (0, -1), {}, "_"),
        ("*b D T", "Tensor.flatten", (1,), {}, None),
        ("", "Tensor.flatten", (), {}, "1"),
        ("B T D", "Tensor.unflatten", (-1, (8, 64)), {}, "B T 8 64"),
        ("B T D", "Tensor.unflatten", (-1, (SCALAR, -1)), {}, "B T _ _"),
        ("B T 512", "Tensor.unflatten", (-1, (8, -1)), {}, "B T 8 64"),
        ("B T 512", "Tensor.unflatten", (-1, (8, 60)), {}, None),  # torch raises
        ("B T D", "Tensor.unflatten", (-1, NOT_LITERAL), {}, None),
        ("B T D", "Tensor.view", (SCALAR, SCALAR, 8, -1), {}, "_ _ 8 _"),
        ("B T D", "Tensor.view", ((SCALAR, -1),), {}, "_ _"),
        ("B T D", "Tensor.reshape", (-1,), {}, "_"),
        ("2 3 4", "Tensor.reshape", (6, -1), {}, "6 4"),
        ("2 3 4", "torch.reshape", ((-1,),), {}, "24"),
        ("B T D", "Tensor.view", (NOT_LITERAL,), {}, None),  # maybe x.view(other.shape)
        ("B T D", "Tensor.view", (Dtype("float16"),), {}, None),
        ("B T D", "Tensor.view", (-1, -1), {}, None),
    ],
)
def test_rank_changes(
    axes: str, op: str, args: tuple[Arg, ...], kwargs: dict[str, Arg], expected: str | None
) -> None:
    got = run(op, t(axes, SpectrogramType), *args, **kwargs)
    assert got == (None if expected is None else (expected, "SpectrogramType"))


@pytest.mark.parametrize(
    ("op", "args", "kwargs", "expected"),
    [
        ("Tensor.sum", (), {}, ""),
        ("Tensor.sum", (1,), {}, "B T"),
        ("Tensor.mean", (-1,), {"keepdim": True}, "B D 1"),
        ("torch.mean", ((1, 2),), {}, "B"),
        ("torch.sum", (), {"dim": None, "keepdim": True}, "1 1 1"),
        ("Tensor.amax", (), {}, ""),
        ("Tensor.amax", ((),), {}, ""),
        ("torch.logsumexp", (1,), {}, "B T"),
        ("torch.logsumexp", (), {}, None),
        ("Tensor.norm", (), {"dim": -1}, "B D"),
        ("Tensor.sum", ((),), {}, None),
        ("Tensor.sum", ((1, 1),), {}, None),
        ("Tensor.sum", (NOT_LITERAL,), {}, None),
        ("Tensor.sum", (1, NOT_LITERAL), {}, None),
        ("Tensor.argmax", (), {}, ""),
        ("Tensor.argmax", (1,), {}, "B T"),
    ],
)
def test_reductions(
    op: str, args: tuple[Arg, ...], kwargs: dict[str, Arg], expected: str | None
) -> None:
    got = run(op, ENC, *args, **kwargs)
    assert got == (None if expected is None else (expected, None))


def test_reduction_elements() -> None:
    loss = t("B", LossType)
    assert run("Tensor.mean", loss) == ("", "LossType")
    assert run("Tensor.sum", loss) == ("", "LossType")
    assert run("Tensor.amax", t("B", LengthsType)) == ("", "LengthsType")
    assert run("Tensor.max", t("B", LengthsType)) == ("", "LengthsType")
    assert run("Tensor.argmax", LOGITS, -1) == ("B T", "PredictionsType")
    assert run("Tensor.argmax", LOGITS, 1) == ("B C", None)


def test_max_min_forms() -> None:
    assert run("Tensor.max", LOGITS, -1) == (("B T", None), ("B T", "PredictionsType"))
    assert run("torch.min", ENC, 1, True) == (("B 1 T", None), ("B 1 T", None))
    assert run("torch.max", ENC, ENC) == ("B D T", "AcousticEncodedRepresentation")
    assert run("torch.max", ENC, other=t("B 1 T")) == ("B D T", "AcousticEncodedRepresentation")
    assert propagate("Tensor.max", [ENC, NOT_LITERAL]) == NOT_DECIDED


@pytest.mark.parametrize(
    ("axes", "key", "expected"),
    [
        ("B D T", 0, "D T"),
        ("B D T", SCALAR, "D T"),
        ("B D T", (slice(None), 0), "B T"),
        ("B D T", (..., 0), "B D"),
        ("B D T", (..., None), "B D T 1"),
        ("B D T", (None, ...), "1 B D T"),
        ("B D T", (slice(None), None), "B 1 D T"),
        ("B D T", (slice(None), slice(None), slice(None, 5)), "B D T"),
        ("B D=80 T", (slice(None), slice(0, 40)), "B D=40 T"),
        ("B D=80 T", (slice(None), slice(None, None, 2)), "B D=40 T"),
        ("B D=80 T", (slice(None), slice(SCALAR, None)), "B D T"),
        ("b d_model t", (slice(None), slice(0, 4)), "b _ t"),
        ("B D T", (0, 0, 0), ""),
        ("B D T", (0, 0, 0, 0), None),  # too many indices
        ("B D T", (..., 0, ...), None),
        ("B D T", t("B"), None),  # advanced indexing
        ("B D T", NOT_LITERAL, None),
        ("*b D T", (..., 0), "*b D"),
        ("*b D T", 0, None),
        ("*b D T", (0, ...), None),
    ],
)
def test_indexing(axes: str, key: Arg, expected: str | None) -> None:
    got = run("Tensor.__getitem__", t(axes, SpectrogramType), key)
    assert got == (None if expected is None else (expected, "SpectrogramType"))


def test_cat_and_stack() -> None:
    a, b = t("B T D", SpectrogramType), t("B T D", SpectrogramType)
    assert run("torch.cat", (a, b), 1) == ("B T D", "SpectrogramType")
    assert run("torch.cat", (a, t("B T D")), dim=-1) == ("B T D", "SpectrogramType")
    assert run("torch.cat", (t("B 3 D"), t("B 5 D")), 1) == ("B 8 D", None)
    assert run("torch.cat", (t("B T 3"), t("B T D")), -1) == ("B T _", None)
    assert run("torch.stack", (a, b)) == ("2 B T D", "SpectrogramType")
    assert run("torch.stack", (a, b, a), -1) == ("B T D 3", "SpectrogramType")
    assert run("torch.stack", (a, t("B T D", LogitsType)), 1) == ("B 2 T D", None)
    assert run("torch.cat", (a, t("B D T")), 0) is None  # the other axes differ
    assert run("torch.cat", (a, t("B T")), 0) is None
    assert run("torch.cat", (a, b), NOT_LITERAL) is None
    assert run("torch.cat", (a, UNKNOWN_TENSOR), 1) is None
    assert propagate("torch.cat", [NOT_LITERAL, 1]) == NOT_DECIDED


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("B T D", "D V", "B T V"),
        ("T D", "D V", "T V"),
        ("B H T D", "B H D S", "B H T S"),
        ("B T D", "D", "B T"),
        ("D", "D V", "V"),
        ("D", "D", ""),
        ("*b T D", "D V", "*b T V"),
        ("B T D", "B D S", "B T S"),
        ("B T D", "*b D S", None),
    ],
)
def test_matmul(left: str, right: str, expected: str | None) -> None:
    got = run("torch.matmul", t(left, SpectrogramType), t(right))
    assert got == (None if expected is None else (expected, None))
    assert run("Tensor.__matmul__", t(left), t(right)) == got


def test_rmatmul_swaps() -> None:
    assert run("Tensor.__rmatmul__", t("D V"), t("B T D")) == ("B T V", None)


@pytest.mark.parametrize(
    ("equation", "operands", "expected"),
    [
        ("btd,dv->btv", ("B T D", "D V"), "B T V"),
        ("b t d, d v -> b v t", ("B T D", "D V"), "B V T"),
        ("bhtd,bhsd->bhts", ("B H T D", "B H S D"), "B H T S"),
        ("ij,jk", ("T D", "D V"), "T V"),  # implicit output: letters used once, sorted
        ("...d,dv->...v", ("B T D", "D V"), "B T V"),
        ("...d,dv", ("*b D", "D V"), "*b V"),
        ("bij->b", ("B T D",), "B"),
        ("btd->", ("B T D",), ""),
        ("ii->i", ("D D",), "D"),
        ("btd,dv->btv", ("B T", "D V"), None),  # rank differs
        ("btd->btx", ("B T D",), None),  # unknown letter
        ("btd->bb", ("B T D",), None),
        ("bt1,dv->btv", ("B T D", "D V"), None),
        ("btd,dv->btv", ("B T D",), None),
    ],
)
def test_einsum(equation: str, operands: tuple[str, ...], expected: str | None) -> None:
    tensors = [t(axes) for axes in operands]
    got = run("torch.einsum", equation, *tensors)
    assert got == (None if expected is None else (expected, None))
    assert run("torch.einsum", equation, tuple(tensors)) == got


def test_einsum_needs_a_literal_equation() -> None:
    assert propagate("torch.einsum", [NOT_LITERAL, ENC]) == NOT_DECIDED


# -- what is not decided -------------------------------------------------------------


def test_not_decided() -> None:
    assert propagate("torch.fft.fft", [ENC]) == NOT_DECIDED  # not in the table
    assert propagate("Tensor.transpose", [UNKNOWN_TENSOR, 1, 2]) == NOT_DECIDED
    assert propagate("Tensor.transpose", [ENC, 1, 2, 3]) == NOT_DECIDED  # does not bind
    assert propagate("Tensor.transpose", [ENC, 1], {"dim0": 2}) == NOT_DECIDED
    assert propagate("Tensor.transpose", [ENC], {"nope": 2}) == NOT_DECIDED
    assert propagate("torch.relu", [t(None)]) == NOT_DECIDED


def test_jaxtyping_style_is_carried() -> None:
    x = t("batch pos d_model", jaxtyping=True)
    out = propagate("Tensor.transpose", [x, 1, 2]).result
    assert out == t("batch d_model pos", jaxtyping=True)
    mixed = propagate("Tensor.__add__", [x, t("B T D")]).result
    assert isinstance(mixed, TensorType) and mixed.jaxtyping
