"""@typecheck() with real tensors: what each call checks, exact messages."""

import inspect
from typing import Annotated, NamedTuple

import pytest
import torch
from jaxtyping import Float, Int
from torch import Tensor

from neuraltypes import NeuralModule, NeuralType, typecheck
from neuraltypes._core import coerce_axes
from neuraltypes.elements import (
    AcousticEncodedRepresentation,
    LengthsType,
    LogitsType,
    SpectrogramType,
)

from .models import Decoder, Enc, Encoder, Lens, Masked, Mel, Spec, error, lens, spec

SPEC = NeuralType("B D T", SpectrogramType)
ENC = NeuralType("B D T", AcousticEncodedRepresentation)
LENS = NeuralType("B", LengthsType)


def test_encoder_decoder_chain_tags_flow() -> None:
    encoded, length = Encoder()(spec(), lens())
    assert encoded.neural_type == ENC
    assert length.neural_type == LENS
    logits = Decoder()(encoder_output=encoded)
    assert logits.neural_type == NeuralType("B T C", LogitsType)
    assert logits.shape == (2, 10, 5)


def test_positional_and_keyword_arguments_are_one_call() -> None:
    enc, x, n = Encoder(), spec(), lens()
    expected = enc(audio_signal=x, length=n)[0]
    assert torch.equal(enc(x, n)[0], expected)
    assert torch.equal(enc(x, length=n)[0], expected)
    assert torch.equal(enc(length=n, audio_signal=x)[0], expected)


def test_semantic_mismatch() -> None:
    x = Masked()(spec())  # tagged SpectrogramType
    err = error(lambda: Decoder(d_in=8)(encoder_output=x))
    assert err.code == "neural-element"
    assert [m.code for m in err.mismatches] == ["neural-element"]
    assert str(err) == (
        'Decoder.forward port "encoder_output": SpectrogramType is not '
        'AcousticEncodedRepresentation (expected "B D T" AcousticEncodedRepresentation, '
        'found "B D T" SpectrogramType, shape (2, 8, 10))'
    )


def test_more_specific_element_is_accepted_less_specific_is_not() -> None:
    class MakesMel(NeuralModule):
        @typecheck()
        def forward(self, x: Spec) -> Mel:
            return x * 2

    class TakesMel(NeuralModule):
        @typecheck()
        def forward(self, x: Mel) -> Mel:
            return x

    mel = MakesMel()(spec())
    assert Masked()(mel).shape == (2, 8, 10)  # MelSpectrogramType into SpectrogramType
    err = error(lambda: TakesMel()(Masked()(spec())))
    assert str(err) == (
        'TakesMel.forward port "x": SpectrogramType is not MelSpectrogramType (expected '
        '"B D T" MelSpectrogramType, found "B D T" SpectrogramType, shape (2, 8, 10)); '
        "SpectrogramType is more general than MelSpectrogramType"
    )


def test_transposed_axes_hint() -> None:
    class Transposer(NeuralModule):
        @typecheck()
        def forward(self, x: Spec) -> Annotated[Tensor, "B T D", SpectrogramType]:
            return x.transpose(1, 2)

    y = Transposer()(spec(t=8))
    err = error(lambda: Masked()(y))
    assert str(err) == (
        'Masked.forward port "x": axes are transposed (expected "B D T" SpectrogramType, '
        'found "B T D" SpectrogramType, shape (2, 8, 8)); did you mean .transpose(1, 2)?'
    )


def test_rank_mismatch() -> None:
    err = error(lambda: Encoder()(torch.randn(2, 8), lens()))
    assert err.code == "neural-axes"
    assert str(err) == (
        'Encoder.forward port "audio_signal": 2 dims where 3 ("B D T") are expected '
        '(expected "B D T" SpectrogramType, found a tensor of shape (2, 8))'
    )


def test_batch_mismatch_across_inputs() -> None:
    err = error(lambda: Encoder()(spec(batch=4), lens(1, 2, 3)))
    assert err.code == "neural-size"
    assert str(err) == (
        'Encoder.forward port "length": dim 0 (B) has size 3, but the batch size is 4 in '
        'port "audio_signal" (expected "B" LengthsType, found a tensor of shape (3,))'
    )


def test_batch_binds_inputs_to_outputs() -> None:
    class Shrinks(NeuralModule):
        @typecheck()
        def forward(self, x: Spec) -> Spec:
            return x[:1]

    err = error(lambda: Shrinks()(spec(batch=3)))
    assert str(err) == (
        'Shrinks.forward return value "output": dim 0 (B) has size 1, but the batch size '
        'is 3 in port "x" (expected "B D T" SpectrogramType, found a tensor of shape '
        "(1, 8, 10))"
    )


def test_kind_letters_may_change_size_between_input_and_output() -> None:
    encoded, _ = Encoder(d_in=80, d_out=512)(spec(d=80), lens())
    assert encoded.shape == (2, 512, 10)


def test_fixed_size() -> None:
    class Fixed(NeuralModule):
        @typecheck()
        def forward(self, x: Annotated[Tensor, "B D=80 T", SpectrogramType]) -> None:
            return None

    Fixed()(torch.randn(2, 80, 3))
    err = error(lambda: Fixed()(torch.randn(2, 64, 3)))
    assert str(err) == (
        'Fixed.forward port "x": dim 1 (D=80) has size 64, expected 80 (expected '
        '"B D=80 T" SpectrogramType, found a tensor of shape (2, 64, 3))'
    )


def test_unknown_keyword() -> None:
    err = error(lambda: Encoder()(audio_signal=spec(), length=lens(), lengths=1))
    assert err.code == "neural-port"
    assert str(err) == (
        'Encoder.forward: unknown argument "lengths"; the arguments are audio_signal, '
        'length; did you mean "length"?'
    )


def test_too_many_positional_arguments() -> None:
    err = error(lambda: Encoder()(spec(), lens(), lens()))
    assert (err.code, str(err)) == (
        "neural-port",
        "Encoder.forward: takes 2 positional arguments (audio_signal, length), got 3",
    )


def test_missing_required_port() -> None:
    err = error(lambda: Encoder()(audio_signal=spec()))
    assert (err.code, str(err)) == (
        "neural-port",
        'Encoder.forward port "length": required port is missing (expected "B" LengthsType)',
    )


def test_none_for_a_required_port() -> None:
    err = error(lambda: Encoder()(spec(), None))
    assert (err.code, str(err)) == (
        "neural-port",
        'Encoder.forward port "length": required port is None (expected "B" LengthsType)',
    )


def test_optional_port_omitted_none_or_given() -> None:
    m = Masked()
    assert m(spec()).shape == (2, 8, 10)
    assert m(spec(), None).shape == (2, 8, 10)
    assert m(spec(), mask=torch.ones(2)).shape == (2, 8, 10)
    err = error(lambda: m(spec(), mask=torch.ones(3)))
    assert str(err) == (
        'Masked.forward port "mask": dim 0 (B) has size 3, but the batch size is 2 in port '
        '"x" (expected "B" LengthsType, found a tensor of shape (3,))'
    )


def test_non_tensor_value_where_a_tensor_is_declared() -> None:
    err = error(lambda: Encoder()([[0.0] * 10] * 8, lens()))
    assert (err.code, str(err)) == (
        "neural-port",
        'Encoder.forward port "audio_signal": expected a tensor ("B D T" SpectrogramType), '
        "got list",
    )
    err = error(lambda: Decoder()(encoder_output=3))
    assert str(err) == (
        'Decoder.forward port "encoder_output": expected a tensor ("B D T" '
        "AcousticEncodedRepresentation), got int"
    )


def test_plain_function_non_tensor_and_plain_tensor_parameters() -> None:
    @typecheck()
    def scale(x: Spec, factor: float, other: Tensor, *, note: str = "") -> Spec:
        return x * factor

    out = scale(spec(), 2.0, torch.ones(1))
    assert out.neural_type == SPEC
    assert scale(spec(), factor=0.5, other="not checked").shape == (2, 8, 10)  # type: ignore[arg-type]
    err = error(lambda: scale(spec(), other=1))  # type: ignore[call-arg]
    assert (err.code, str(err)) == ("neural-port", 'scale: missing argument "factor"')


def test_jaxtyping_annotations_bind_like_jaxtyping() -> None:
    class Attention(NeuralModule):
        @typecheck()
        def forward(
            self, q: Float[Tensor, "b n d"], k: Float[Tensor, "b m d"]
        ) -> Float[Tensor, "b n m"]:
            return q @ k.transpose(1, 2)

    att = Attention()
    out = att(torch.randn(2, 3, 4), torch.randn(2, 5, 4))
    assert out.shape == (2, 3, 5)
    # jaxtyping names are plain names, not NeMo kinds ("b" is not Batch here)
    assert out.neural_type == NeuralType.axes_only(coerce_axes("b n m", jaxtyping=True))
    err = error(lambda: att(torch.randn(2, 3, 4), torch.randn(2, 5, 6)))
    assert str(err) == (
        'Attention.forward port "k": dim 2 (d) has size 6, but the size of d is 4 in port "q" '
        '(expected "b m d", found a tensor of shape (2, 5, 6))'
    )
    # jaxtyping names are size variables: "n" and "m" may differ, "b" may not
    err = error(lambda: att(torch.randn(2, 3, 4), torch.randn(3, 5, 4)))
    assert "dim 0 (b) has size 3, but the size of b is 2" in str(err)


def test_jaxtyping_dtype_family_is_checked() -> None:
    @typecheck()
    def count(x: Int[Tensor, " n"]) -> Float[Tensor, " n"]:
        return x.float()

    assert count(torch.arange(3)).dtype == torch.float32
    err = error(lambda: count(torch.ones(3)))
    assert (err.code, str(err)) == (
        "neural-element",
        'count port "x": dtype float32 is not Int (expected "n", found a tensor of '
        "shape (3,), dtype float32)",
    )


def test_size_expressions_use_names_bound_earlier() -> None:
    @typecheck()
    def pad(x: Float[Tensor, "b n"]) -> Float[Tensor, "b n+2"]:
        return torch.nn.functional.pad(x, (1, 1))

    @typecheck()
    def bad_pad(x: Float[Tensor, "b n"]) -> Float[Tensor, "b n+2"]:
        return x

    assert pad(torch.randn(2, 3)).shape == (2, 5)
    err = error(lambda: bad_pad(torch.randn(2, 3)))
    assert str(err) == (
        'bad_pad return value "output": dim 1 (n+2) has size 3, expected 5 (expected '
        '"b n+2", found a tensor of shape (2, 3))'
    )


def test_output_count() -> None:
    class Wrong(NeuralModule):
        @typecheck()
        def forward(self, x: Spec) -> tuple[Spec, Lens]:
            return x  # type: ignore[return-value]

    err = error(lambda: Wrong()(spec()))
    assert (err.code, str(err)) == (
        "neural-port",
        "Wrong.forward return value: returned one value (Tensor), expected 2 (output_0, output_1)",
    )


def test_none_for_a_required_output() -> None:
    @typecheck()
    def nothing(x: Spec) -> Spec:
        return None  # type: ignore[return-value]

    assert str(error(lambda: nothing(spec()))) == (
        'nothing return value "output": expected a tensor ("B D T" SpectrogramType), got None'
    )


def test_output_tag_is_checked_against_the_declared_output() -> None:
    class PassThrough(NeuralModule):
        """Returns an inner module's output (a new tensor, tagged by that module; an
        input handed back would be relabelled instead: test_call_returns_input.py)."""

        def __init__(self) -> None:
            super().__init__()
            self.inner = Masked()

        @typecheck()
        def forward(self, x: Spec) -> Enc:
            return self.inner(x)

    err = error(lambda: PassThrough()(spec()))
    assert str(err) == (
        'PassThrough.forward return value "output": SpectrogramType is not '
        'AcousticEncodedRepresentation (expected "B D T" AcousticEncodedRepresentation, '
        'found "B D T" SpectrogramType, shape (2, 8, 10))'
    )


def test_named_tuple_outputs_name_the_ports() -> None:
    class Encoded(NamedTuple):
        encoded: Enc
        encoded_len: Lens

    class NamedEncoder(NeuralModule):
        @typecheck()
        def forward(self, x: Spec, length: Lens) -> Encoded:
            return Encoded(x * 1, length[:1])

    assert list((NamedEncoder().output_types or {}).keys()) == ["encoded", "encoded_len"]
    err = error(lambda: NamedEncoder()(spec(), lens()))
    assert str(err).startswith(
        'NamedEncoder.forward return value "encoded_len": dim 0 (B) has size 1, but the '
        'batch size is 2 in port "x"'
    )


def test_subclass_overriding_forward() -> None:
    class Base(NeuralModule):
        @typecheck()
        def forward(self, x: Spec) -> Spec:
            return x * 1

    class Child(Base):
        @typecheck()
        def forward(self, x: Enc) -> Enc:  # type: ignore[override]
            return x * 1

    class Inherits(Base):
        pass

    tagged = Base()(spec())
    err = error(lambda: Child()(tagged))
    assert str(err).startswith(
        'Child.forward port "x": SpectrogramType is not AcousticEncodedRepresentation'
    )
    assert Child().input_types == {"x": ENC}
    assert Base().input_types == {"x": SPEC}
    # an inherited forward names the class it is called on
    assert str(error(lambda: Inherits()(torch.ones(2)))).startswith(
        'Inherits.forward port "x": 1 dim where 3'
    )


def test_derived_port_types() -> None:
    assert Encoder().input_types == {"audio_signal": SPEC, "length": LENS}
    assert Encoder().output_types == {"output_0": ENC, "output_1": LENS}
    assert Masked().input_types == {"x": SPEC, "mask": NeuralType("B", LengthsType, optional=True)}


def test_the_wrapper_keeps_the_signature() -> None:
    assert str(inspect.signature(Encoder.forward)) == (
        str(inspect.signature(Encoder.forward.__wrapped__))  # type: ignore[attr-defined]
    )
    assert Encoder.forward.__name__ == "forward"
    assert Encoder.forward.__qualname__ == "Encoder.forward"


def test_checks_off_behave_like_the_plain_function() -> None:
    with typecheck.disable_checks():
        with pytest.raises(TypeError) as info:
            Encoder()(audio_signal=spec())
        assert str(info.value) == (
            "Encoder.forward() missing 1 required positional argument: 'length'"
        )
        with pytest.raises(TypeError, match="unexpected keyword argument 'lengths'"):
            Encoder()(spec(), lens(), lengths=1)
        encoded, _ = Encoder()(spec(batch=4), lens(1, 2, 3))
        assert not hasattr(encoded, "neural_type")


def test_alternating_producers_share_the_tag_cache() -> None:
    class MakesMel(NeuralModule):
        @typecheck()
        def forward(self, x: Spec) -> Mel:
            return x * 2

    mel, plain = MakesMel()(spec()), Masked()(spec())
    masked = Masked()
    for _ in range(3):  # the accepted tag changes each call; every call is checked
        assert masked(mel).neural_type == SPEC
        assert masked(plain).neural_type == SPEC
    tagged_enc, _ = Encoder(d_in=8)(spec(), lens())
    assert "AcousticEncodedRepresentation is not SpectrogramType" in str(
        error(lambda: masked(tagged_enc))
    )
