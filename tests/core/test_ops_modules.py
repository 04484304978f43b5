"""Ports and results of torch's standard layers and losses (the core's table)."""

from __future__ import annotations

from neuraltypes._core.ops import (
    NOT_DECIDED,
    NOT_LITERAL,
    UNKNOWN_TENSOR,
    Arg,
    propagate,
    propagate_module,
)
from neuraltypes.elements import (
    AcousticEncodedRepresentation,
    LengthsType,
    LogitsType,
    LogprobsType,
    SpectrogramType,
)

from .test_ops import messages, shown, t

NN = "torch.nn.modules."
F = "torch.nn.functional."
NO_INIT: tuple[tuple[Arg, ...], dict[str, Arg]] = ((), {})


def call(
    module: str, init: tuple[tuple[Arg, ...], dict[str, Arg]] | None, *args: Arg, **kwargs: Arg
) -> object:
    outcome = propagate_module(module, init, args, kwargs)
    assert outcome.problems == ()
    return shown(outcome.result)


ENC = t("B D T", AcousticEncodedRepresentation)
LENS = t("B", LengthsType)


def test_pass_through_layers() -> None:
    for cls in ("dropout.Dropout", "linear.Identity", "activation.ReLU", "activation.GELU",
                "normalization.LayerNorm"):  # fmt: skip
        assert call(NN + cls, NO_INIT, ENC) == ("B D T", "AcousticEncodedRepresentation")
        assert call(NN + cls, None, ENC) == ("B D T", "AcousticEncodedRepresentation")


def test_softmax_modules_take_their_dim_from_the_constructor() -> None:
    logits = t("B T C", LogitsType)
    log_softmax = NN + "activation.LogSoftmax"
    assert call(log_softmax, ((-1,), {}), logits) == ("B T C", "LogprobsType")
    assert call(log_softmax, ((), {"dim": 2}), logits) == ("B T C", "LogprobsType")
    assert call(log_softmax, ((1,), {}), logits) == ("B T C", None)
    assert call(log_softmax, None, logits) == ("B T C", None)  # constructor unseen
    assert call(NN + "activation.Softmax", ((-1,), {}), logits) == ("B T C", "ProbsType")
    assert call(NN + "activation.Sigmoid", NO_INIT, logits) == ("B T C", "ProbsType")


def test_linear() -> None:
    linear = NN + "linear.Linear"
    assert call(linear, ((80, 256), {}), t("B T D=80", SpectrogramType)) == ("B T 256", None)
    assert call(linear, ((NOT_LITERAL, NOT_LITERAL), {}), t("B T D")) == ("B T _", None)
    assert call(linear, ((), {"in_features": 80, "out_features": 10}), t("*b D")) == (
        "*b 10",
        None,
    )
    assert call(linear, None, t("B T D")) is None
    outcome = propagate_module(linear, ((80, 256), {}), [t("B T D=40")])
    assert messages(outcome) == [
        (
            "neural-size",
            'Linear.forward port "input": dim -1 (80) has size 40, expected 80 (expected "... 80", '
            'found "B T D=40")',
        )
    ]


def test_conv1d_is_channel_first() -> None:
    """The output's channels are still the channel axis (kind ``D``/``C``), of
    ``out_channels`` where it is a literal: known or not, the layout is torch's."""
    conv = NN + "conv.Conv1d"
    assert call(conv, ((80, 256, 3), {}), ENC) == ("B D=256 T", None)
    assert call(conv, ((80, NOT_LITERAL, 3), {}), ENC) == ("B D T", None)
    assert call(conv, None, ENC) == ("B D T", None)  # constructor unseen
    assert call(conv, ((NOT_LITERAL, 256, 3), {}), t("D T")) == ("D=256 T", None)
    assert call(conv, ((80, 256), {"kernel_size": 3, "stride": 2}), t("B D=80 T_enc")) == (
        "B D=256 T",
        None,
    )
    assert call(conv, ((1, 256, 3), {}), t("B 1 T")) == ("B 256 T", None)  # no kind to keep
    outcome = propagate_module(conv, ((80, 256, 3), {}), [t("B T D", SpectrogramType)])
    assert messages(outcome) == [
        (
            "neural-axes",
            'Conv1d.forward port "input": dim 1 is T where C=80 is expected (expected "B C=80 _", '
            'found "B T D" SpectrogramType)',
        )
    ]
    outcome = propagate_module(conv, ((80, 256, 3), {}), [t("B D=40 T")])
    assert messages(outcome) == [
        (
            "neural-size",
            'Conv1d.forward port "input": dim 1 (C=80) has size 40, expected 80 (expected "B C=80 '
            '_", found "B D=40 T")',
        )
    ]


def test_conv2d_spatial_axes_carry_no_kind() -> None:
    """A spectrogram seen as a one-channel image ("B 1 D T") is a fine Conv2d input."""
    conv = NN + "conv.Conv2d"
    assert call(conv, ((1, 32, 3), {}), t("B 1 D T")) == ("B 32 D T", None)


def test_pooling_and_batch_norm() -> None:
    assert call(NN + "pooling.MaxPool1d", ((2,), {}), ENC) == ("B D T", None)
    assert call(NN + "pooling.MaxPool1d", None, ENC) is None  # return_indices unknown
    assert call(NN + "pooling.AvgPool1d", None, t("B D=80 T")) == ("B D=80 T", None)
    assert call(NN + "batchnorm.BatchNorm1d", ((80,), {}), ENC) == (
        "B D T",
        "AcousticEncodedRepresentation",
    )
    outcome = propagate_module(NN + "batchnorm.BatchNorm1d", ((80,), {}), [t("B T D")])
    assert messages(outcome) == [
        (
            "neural-axes",
            'BatchNorm1d.forward port "input": dim 1 is T where C=80 is expected (expected '
            '"B C=80 _", found "B T D")',
        )
    ]


def test_embedding_adds_an_axis() -> None:
    tokens = t("B T")
    assert call(NN + "sparse.Embedding", ((1000, 64), {}), tokens) == ("B T 64", None)
    assert call(NN + "sparse.Embedding", None, tokens) is None


def test_lstm_layout_comes_from_batch_first() -> None:
    lstm = NN + "rnn.LSTM"
    time_first = t("T B D")
    assert call(lstm, ((80, 128), {}), time_first) == (("T B 128", None), None)
    assert call(lstm, ((80, 128), {"bidirectional": True}), time_first) == (
        ("T B 256", None),
        None,
    )
    assert call(lstm, ((80, 128), {"proj_size": 32}), time_first) == (("T B 32", None), None)
    assert call(lstm, ((80, 128), {"batch_first": True}), t("B T D")) == (("B T 128", None), None)
    assert call(lstm, ((80, 128), {"batch_first": NOT_LITERAL}), time_first) is None
    assert call(lstm, None, time_first) is None
    outcome = propagate_module(lstm, ((80, 128), {}), [t("B T D")])
    assert messages(outcome) == [
        (
            "neural-axes",
            'LSTM.forward port "input": axes are transposed (expected "T B D", found "B T D"); '
            "did you mean .transpose(0, 1)?",
        )
    ]


def test_multihead_attention() -> None:
    mha = NN + "activation.MultiheadAttention"
    q = t("B T D", SpectrogramType)
    assert call(mha, ((256, 4), {"batch_first": True}), q, q, q) == (("B T D", None), None)
    outcome = propagate_module(mha, ((256, 4), {}), [q, q, q])
    assert [code for code, _ in messages(outcome)] == ["neural-axes"] * 3


def test_ctc_loss_ports() -> None:
    ctc = NN + "loss.CTCLoss"
    log_probs = t("T B C", LogprobsType)
    assert call(ctc, NO_INIT, log_probs, UNKNOWN_TENSOR, LENS, LENS) == ("", "LossType")
    assert call(ctc, ((), {"reduction": "none"}), log_probs, UNKNOWN_TENSOR, LENS, LENS) == (
        "B",
        "LossType",
    )
    assert call(ctc, None, log_probs, UNKNOWN_TENSOR, LENS, LENS) is None
    assert call(ctc, NO_INIT, t("t b c", jaxtyping=True), UNKNOWN_TENSOR, LENS, LENS) == (
        "",
        "LossType",
    )
    outcome = propagate_module(
        ctc, NO_INIT, [t("B T C", LogprobsType), UNKNOWN_TENSOR, LENS, LENS]
    )
    assert messages(outcome) == [
        (
            "neural-axes",
            'CTCLoss.forward port "log_probs": axes are transposed (expected "T B C" '
            'LogprobsType, found "B T C" LogprobsType); did you mean .transpose(0, 1)?',
        )
    ]


def test_ctc_loss_logits_and_lengths_mix_ups() -> None:
    ctc = NN + "loss.CTCLoss"
    outcome = propagate_module(ctc, NO_INIT, [t("T B C", LogitsType), UNKNOWN_TENSOR, ENC, LENS])
    assert messages(outcome) == [
        (
            "neural-element",
            'CTCLoss.forward port "log_probs": LogitsType is not LogprobsType (expected "T B C" '
            'LogprobsType, found "T B C" LogitsType)',
        ),
        (
            "neural-axes",
            'CTCLoss.forward port "input_lengths": 3 axes where 1 are expected (expected "B", '
            'found "B D T" AcousticEncodedRepresentation)',
        ),
    ]


def test_functional_losses_check_the_same_ports() -> None:
    outcome = propagate(F + "ctc_loss", [t("T B C", LogitsType), UNKNOWN_TENSOR, LENS, LENS])
    assert messages(outcome) == [
        (
            "neural-element",
            'torch.nn.functional.ctc_loss port "log_probs": LogitsType is not LogprobsType '
            '(expected "T B C" LogprobsType, found "T B C" LogitsType)',
        )
    ]
    assert outcome.result is not None
    outcome = propagate(F + "nll_loss", [t("B T C", LogprobsType), t("B T")])
    assert messages(outcome) == [
        (
            "neural-axes",
            'torch.nn.functional.nll_loss port "input": dim 1 is T where C is expected '
            '(expected "B C ..." LogprobsType, found "B T C" LogprobsType)',
        )
    ]
    ok = propagate(F + "cross_entropy", [t("B C T", LogitsType), t("B T")], {"reduction": "sum"})
    assert (ok.problems, shown(ok.result)) == ((), ("", "LossType"))
    legacy = propagate(F + "nll_loss", [t("B C", LogprobsType), t("B")], {"reduce": False})
    assert (legacy.problems, legacy.result) == ((), None)


def test_class_targets_have_the_inputs_rank_less_the_class_axis() -> None:
    """nll_loss / cross_entropy: class indices have one axis less than the input;
    cross-entropy's probabilities (a floating target) have the input's rank."""
    flat, tokens = t("_ _"), t("batch pos", dtype="Int", jaxtyping=True)
    outcome = propagate(F + "cross_entropy", [flat, tokens])
    assert messages(outcome) == [
        (
            "neural-axes",
            'torch.nn.functional.cross_entropy port "target": 2 axes where 1 are expected '
            '(expected "_", found "batch pos")',
        )
    ]
    assert propagate(F + "cross_entropy", [flat, t("B C", dtype="Float32")]).problems == ()
    assert propagate(F + "cross_entropy", [flat, t("B C")]).problems == ()  # dtype unknown
    assert propagate(F + "cross_entropy", [t("B C T"), t("B T", dtype="Int64")]).problems == ()
    assert propagate(F + "cross_entropy", [t("C"), t("")]).problems == ()
    outcome = propagate(F + "cross_entropy", [t("B C T"), t("B")])
    assert messages(outcome) == [
        (
            "neural-axes",
            'torch.nn.functional.cross_entropy port "target": 1 axis where 2 are expected '
            '(expected "_ _", found "B")',
        )
    ]
    outcome = propagate(F + "nll_loss", [t("B C", LogprobsType), t("B C", dtype="Float")])
    assert [code for code, _ in messages(outcome)] == ["neural-axes"]
    outcome = propagate_module(NN + "loss.CrossEntropyLoss", NO_INIT, [flat, tokens])
    assert messages(outcome) == [
        (
            "neural-axes",
            'CrossEntropyLoss.forward port "target": 2 axes where 1 are expected (expected "_", '
            'found "batch pos")',
        )
    ]
    # unknown ranks are not checked
    assert propagate(F + "cross_entropy", [t("B ..."), tokens]).problems == ()
    assert propagate(F + "cross_entropy", [flat, t("*b")]).problems == ()
    assert propagate(F + "cross_entropy", [flat, UNKNOWN_TENSOR]).problems == ()


def test_nll_loss_module_and_unbatched_inputs() -> None:
    nll = NN + "loss.NLLLoss"
    assert call(nll, NO_INIT, t("B C", LogprobsType), t("B")) == ("", "LossType")
    assert call(nll, NO_INIT, t("C", LogprobsType), UNKNOWN_TENSOR) == ("", "LossType")
    outcome = propagate_module(nll, NO_INIT, [t("B C", LogitsType), t("B")])
    assert [code for code, _ in messages(outcome)] == ["neural-element"]


def test_unknown_modules_and_plain_tensors_are_not_decided() -> None:
    assert propagate_module(NN + "transformer.Transformer", NO_INIT, [ENC]) == NOT_DECIDED
    assert propagate_module(NN + "linear.Linear", ((80, 256), {}), [UNKNOWN_TENSOR]) == NOT_DECIDED
    assert propagate_module(NN + "linear.Linear", ((80, 256), {}), [ENC, ENC]) == NOT_DECIDED
