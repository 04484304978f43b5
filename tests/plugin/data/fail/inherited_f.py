"""An inherited forward: messages name the class the call went through (as the
runtime does), whether the module is called or its forward is."""

from typing import Annotated

from torch import Tensor

from neuraltypes import NeuralModule, typecheck
from neuraltypes.elements import LengthsType, SpectrogramType


class Base(NeuralModule):
    @typecheck()
    def forward(self, x: Annotated[Tensor, "B D T", SpectrogramType]) -> None:
        return None


class Child(Base):
    pass


def wire(child: Child, base: Base, lens: Annotated[Tensor, "B", LengthsType]) -> None:
    child(lens)  # E: Child.forward port "x": LengthsType is not SpectrogramType (expected "B D T" SpectrogramType, found "B" LengthsType); also 1 axis where 3 are expected  [neural-element]
    child.forward(lens)  # E: Child.forward port "x": LengthsType is not SpectrogramType (expected "B D T" SpectrogramType, found "B" LengthsType); also 1 axis where 3 are expected  [neural-element]
    base.forward(lens)  # E: Base.forward port "x": LengthsType is not SpectrogramType (expected "B D T" SpectrogramType, found "B" LengthsType); also 1 axis where 3 are expected  [neural-element]
