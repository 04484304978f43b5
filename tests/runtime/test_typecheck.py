"""@typecheck() with real tensors: what it accepts, what it rejects, exact messages."""

from __future__ import annotations

from typing import Annotated

import pytest
import torch
from jaxtyping import Float
from torch import Tensor

from neuraltypes import NeuralModule, NeuralType, NeuralTypeError, typecheck
from neuraltypes.elements import LengthsType, LogitsType, SpectrogramType

from .models import Decoder, Enc, Encoder, Lens, Masked, Mel, Spec, spec


def error(call: object) -> NeuralTypeError:
    with pytest.raises(NeuralTypeError) as info:
        call()  # type: ignore[operator]
    return info.value


def test_chain_tags_flow() -> None:
    enc, dec = Encoder(), Decoder()
    encoded, length = enc(spec(), torch.tensor([10, 8]))
    assert encoded.neural_type == NeuralType("B D T", Enc.__metadata__[1])
    assert length.neural_type == NeuralType("B", LengthsType)
    logits = dec(encoder_output=encoded)
    assert logits.neural_type == NeuralType("B T C", LogitsType)
    assert logits.shape == (2, 10, 5)


def test_positional_and_keyword() -> None:
    enc = Encoder()
    x, n = spec(), torch.tensor([10, 8])
    assert torch.equal(enc(x, n)[0], enc(audio_signal=x, length=n)[0])
    assert torch.equal(enc(x, length=n)[0], enc(audio_signal=x, length=n)[0])


def test_semantic_mismatch() -> None:
    x = spec()
    x.neural_type = NeuralType("B D T", SpectrogramType)  # type: ignore[attr-defined]
    err = error(lambda: Decoder()(encoder_output=x))
    assert err.code == "neural-element"
    assert str(err) == (
        'Decoder.forward port "encoder_output": SpectrogramType is not '
        'AcousticEncodedRepresentation (expected "B D T" AcousticEncodedRepresentation, '
        'found "B D T" SpectrogramType, shape (2, 8, 10))'
    )


def test_subclass_element_is_accepted() -> None:
    class TakesSpec(NeuralModule):
        @typecheck()
        def forward(self, x: Spec) -> Spec:
            return x

    class MakesMel(NeuralModule):
        @typecheck()
        def forward(self, x: Spec) -> Mel:
            return x * 2

    TakesSpec()(MakesMel()(spec()))


def test_transposed_value_hint() -> None:
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
    err = error(lambda: Encoder()(torch.randn(2, 8), torch.tensor([1, 2])))
    assert err.code == "neural-axes"
    assert str(err) == (
        'Encoder.forward port "audio_signal": 2 dims where 3 ("B D T") are expected '
        '(expected "B D T" SpectrogramType, found a tensor of shape (2, 8))'
    )


def test_batch_mismatch_across_inputs() -> None:
    err = error(lambda: Encoder()(spec(batch=4), torch.tensor([1, 2, 3])))
    assert err.code == "neural-size"
    assert str(err) == (
        'Encoder.forward port "length": dim 0 (B) has size 3, but the batch size is 4 in '
        'port "audio_signal" (expected "B" LengthsType, found a tensor of shape (3,))'
    )


def test_batch_binds_outputs_too() -> None:
    class Shrinks(NeuralModule):
        @typecheck()
        def forward(self, x: Spec) -> Spec:
            return x[:1]

    err = error(lambda: Shrinks()(spec(batch=3)))
    assert str(err) == (
        'test_batch_binds_outputs_too.<locals>.Shrinks.forward return value "output": dim 0 '
        '(B) has size 1, but the batch size is 3 in port "x" (expected "B D T" '
        "SpectrogramType, found a tensor of shape (1, 8, 10))"
    )


def test_kind_letters_may_change_size() -> None:
    encoded, _ = Encoder(d_in=8, d_out=32)(spec(d=8), torch.tensor([1, 2]))
    assert encoded.shape == (2, 32, 10)


def test_unknown_keyword() -> None:
    err = error(lambda: Encoder()(audio_signal=spec(), length=torch.ones(2), lengths=1))
    assert (err.code, str(err)) == (
        "neural-port",
        'Encoder.forward: unknown port "lengths"; its ports are audio_signal, length',
    )


def test_missing_required_port() -> None:
    err = error(lambda: Encoder()(audio_signal=spec()))
    assert str(err) == (
        'Encoder.forward port "length": required port is missing (expected "B" LengthsType)'
    )


def test_none_for_required_port() -> None:
    err = error(lambda: Encoder()(spec(), None))
    assert str(err) == (
        'Encoder.forward port "length": required port is None (expected "B" LengthsType)'
    )


def test_optional_port_omitted_or_none() -> None:
    m = Masked()
    assert m(spec()).shape == (2, 8, 10)
    assert m(spec(), None).shape == (2, 8, 10)
    assert m(spec(), mask=torch.ones(2)).shape == (2, 8, 10)
    err = error(lambda: m(spec(), mask=torch.ones(3)))
    assert err.code == "neural-size"


def test_non_tensor_value() -> None:
    err = error(lambda: Encoder()([[0.0] * 10] * 8, torch.ones(2)))
    assert str(err) == (
        'Encoder.forward port "audio_signal": expected a tensor ("B D T" SpectrogramType), '
        "got list"
    )


def test_fixed_size() -> None:
    class Fixed(NeuralModule):
        @typecheck()
        def forward(self, x: Annotated[Tensor, "B D=80 T", SpectrogramType]) -> None:
            return None

    Fixed()(torch.randn(2, 80, 3))
    err = error(lambda: Fixed()(torch.randn(2, 64, 3)))
    assert str(err) == (
        'test_fixed_size.<locals>.Fixed.forward port "x": dim 1 (D=80) has size 64, expected '
        '80 (expected "B D=80 T" SpectrogramType, found a tensor of shape (2, 64, 3))'
    )


def test_jaxtyping_annotations_bind_like_jaxtyping() -> None:
    class Attention(NeuralModule):
        @typecheck()
        def forward(
            self, q: Float[Tensor, "b n d"], k: Float[Tensor, "b m d"]
        ) -> Float[Tensor, "b n m"]:
            return q @ k.transpose(1, 2)

    att = Attention()
    assert att(torch.randn(2, 3, 4), torch.randn(2, 5, 4)).shape == (2, 3, 5)
    err = error(lambda: att(torch.randn(2, 3, 4), torch.randn(2, 5, 6)))
    assert str(err) == (
        'test_jaxtyping_annotations_bind_like_jaxtyping.<locals>.Attention.forward port "k": '
        'dim 2 (d) has size 6, but the size of d is 4 in port "q" (expected "b m d" VoidType, '
        "found a tensor of shape (2, 5, 6))"
    )


def test_size_expressions() -> None:
    @typecheck()
    def pad(x: Float[Tensor, "b n"]) -> Float[Tensor, "b n+2"]:
        return torch.nn.functional.pad(x, (1, 1))

    @typecheck()
    def bad_pad(x: Float[Tensor, "b n"]) -> Float[Tensor, "b n+2"]:
        return x

    assert pad(torch.randn(2, 3)).shape == (2, 5)
    err = error(lambda: bad_pad(torch.randn(2, 3)))
    assert "dim 1 (n+2) has size 3, expected 5" in str(err)


def test_nested_containers() -> None:
    class Stack(NeuralModule):
        @typecheck()
        def forward(self, chunks: list[Spec]) -> Spec:
            return torch.cat(chunks, dim=2)

    assert Stack()([spec(), spec()]).shape == (2, 8, 20)
    err = error(lambda: Stack()([spec(), spec(batch=3)]))
    assert err.code == "neural-size"
    err = error(lambda: Stack()(spec()))
    assert str(err) == (
        'test_nested_containers.<locals>.Stack.forward port "chunks": expected a list '
        "(nesting level 1 of 1), got Tensor"
    )


def test_plain_function_and_plain_tensor_params() -> None:
    @typecheck()
    def scale(x: Spec, factor: float, other: Tensor) -> Spec:
        return x * factor

    assert scale(spec(), 2.0, torch.ones(1)).neural_type == NeuralType("B D T", SpectrogramType)


def test_output_count() -> None:
    class Wrong(NeuralModule):
        @typecheck()
        def forward(self, x: Spec) -> tuple[Spec, Lens]:
            return x  # type: ignore[return-value]

    err = error(lambda: Wrong()(spec()))
    assert str(err) == (
        "test_output_count.<locals>.Wrong.forward return value: returned one value, expected "
        "2 (output_0, output_1)"
    )


def test_output_tag_mismatch() -> None:
    class PassThrough(NeuralModule):
        @typecheck()
        def forward(self, x: Spec) -> Enc:
            return x

    err = error(lambda: PassThrough()(Masked()(spec())))
    assert err.code == "neural-element"
    assert str(err).startswith(
        'test_output_tag_mismatch.<locals>.PassThrough.forward return value "output": '
        "SpectrogramType is not AcousticEncodedRepresentation"
    )


def test_malformed_annotation_at_first_call() -> None:
    class Bad(NeuralModule):
        @typecheck()
        def forward(self, x: Annotated[Tensor, "B D+", SpectrogramType]) -> None:
            return None

    err = error(lambda: Bad()(spec()))
    assert err.code == "neural-spec"
    assert str(err) == (
        'test_malformed_annotation_at_first_call.<locals>.Bad.forward port "x": malformed '
        'axis string: "B D+": unexpected end of expression after "D+"'
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

    Base()(spec())
    tagged = Base()(spec())
    err = error(lambda: Child()(tagged))
    assert str(err).startswith(
        'test_subclass_overriding_forward.<locals>.Child.forward port "x": SpectrogramType '
        "is not AcousticEncodedRepresentation"
    )
    assert Child().input_types == {"x": NeuralType("B D T", Enc.__metadata__[1])}
    assert Base().input_types == {"x": NeuralType("B D T", SpectrogramType)}


def test_derived_types_of_the_module() -> None:
    enc = Encoder()
    assert enc.input_types == {
        "audio_signal": NeuralType("B D T", SpectrogramType),
        "length": NeuralType("B", LengthsType),
    }
    assert list((enc.output_types or {}).keys()) == ["output_0", "output_1"]
    assert Masked().input_types == {
        "x": NeuralType("B D T", SpectrogramType),
        "mask": NeuralType("B", LengthsType, optional=True),
    }
