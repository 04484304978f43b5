"""Inference through module calls, jaxtyping, aliases by attribute, malformed annotations."""

from typing import Annotated

from jaxtyping import Float, Int
from torch import Tensor
from typing import TypeAlias

import neural_aliases_f as na
from neuraltypes import NeuralModule, typecheck
from neuraltypes.elements import LengthsType, SpectrogramType

Hidden: TypeAlias = Float[Tensor, "batch pos d_model"]
Tokens = Int[Tensor, "batch pos"]


class Encoder(NeuralModule):
    @typecheck()
    def forward(self, audio: na.Spec, length: na.Lens) -> tuple[na.Enc, na.Lens]:
        return audio, length


def inferred(enc: Encoder, mel: na.Mel, lens: na.Lens) -> None:
    encoded, encoded_len = enc(mel, lens)
    reveal_type(encoded)  # N: Revealed type is "torch._tensor.Tensor"
    reveal_type(enc(mel, lens))  # N: Revealed type is "tuple[torch._tensor.Tensor, torch._tensor.Tensor]"
    enc(mel)  # E: Missing positional argument "length" in call to "forward" of "Encoder"  [call-arg]  # N: "__call__" is considered instance variable, to make it class variable use ClassVar[...]
    enc(encoded, lens)  # E: Encoder.forward port "audio": AcousticEncodedRepresentation is not SpectrogramType (expected "B D T" SpectrogramType, found "B D T" AcousticEncodedRepresentation)  [neural-element]
    pair = enc(mel, lens)
    enc(pair[0], lens)  # E: Encoder.forward port "audio": AcousticEncodedRepresentation is not SpectrogramType (expected "B D T" SpectrogramType, found "B D T" AcousticEncodedRepresentation)  [neural-element]
    if (walrus := pair[1]) is not None:
        enc(mel, walrus)


class Holder:
    def __init__(self, enc: Encoder, value: na.Enc) -> None:
        self.enc = enc
        self.value = value

    def run(self, lens: na.Lens) -> None:
        self.enc(self.value, lens)  # E: Encoder.forward port "audio": AcousticEncodedRepresentation is not SpectrogramType (expected "B D T" SpectrogramType, found "B D T" AcousticEncodedRepresentation)  [neural-element]


def embed(tokens: Tokens) -> Hidden:
    raise NotImplementedError


def attend(x: Hidden) -> Hidden:
    return x


def jaxtyping_flows(tokens: Tokens, hidden: Hidden, flat: Float[Tensor, "batch d_model"]) -> None:
    attend(embed(tokens))
    attend(hidden)
    attend(flat)  # E: attend port "x": 2 axes where 3 are expected (expected "batch pos d_model", found "batch d_model")  [neural-axes]
    attend(tokens)  # E: attend port "x": 2 axes where 3 are expected (expected "batch pos d_model", found "batch pos"); also dtype Int is not Float  [neural-axes]


def jaxtyping_into_semantic(hidden: Float[Tensor, "b d t"]) -> None:
    takes_spec(hidden)  # an unknown element: axes checked only
    takes_spec(hidden.mT)  # (plain after a torch op)


def takes_spec(x: na.Spec) -> None:
    pass


def malformed(
    a: Annotated[Tensor, "B D+", SpectrogramType],  # E: neural type annotation: malformed axis string: "B D+": unexpected end of expression after "D+"  [neural-spec]
    b: Annotated[Tensor, "B", "T", LengthsType],  # E: neural type annotation: two axis strings, "B" and "T"  [neural-spec]
    c: Annotated[Tensor, "B", 3],  # E: neural type annotation: unexpected metadata 3: expected an axis string and an element type (an ElementType class or instance)  [neural-spec]
    d: Float[Tensor, "b **x"],  # E: neural type annotation: malformed axis string: "b **x": "*" given twice in "**x"  [neural-spec]
) -> None:
    takes_spec(a)
