"""A value assigned from something that carries no neural type carries none,
whatever its variable or attribute was declared as (issue: stale types)."""

from typing import Annotated, Any

from torch import Tensor, nn

from neuraltypes import NeuralModule
from neuraltypes.elements import ChannelType

Images = Annotated[Tensor, "B C H W", ChannelType]
Tokens = Annotated[Tensor, "B T D", ChannelType]


class Blocks(NeuralModule):
    def forward(self, x: Tokens) -> Tokens:
        return x


def untyped(x):  # type: ignore[no-untyped-def]
    return x


class ViT(NeuralModule):
    def __init__(self, patch_embed: nn.Module, image: Images) -> None:
        super().__init__()
        self.patch_embed = patch_embed
        self.blocks = Blocks()
        self.image: Images = image

    def forward(self, x: Images, y: Images) -> Tokens:
        self.blocks(y)  # E: Blocks.forward port "x": 4 axes where 3 are expected (expected "B T D" ChannelType, found "B C H W" ChannelType)  [neural-axes]
        x = self.patch_embed(x)  # a module typed nn.Module: Any
        self.blocks(x)
        y = untyped(y)  # an untyped function: Any
        self.blocks(y)
        self.blocks(self.image)  # E: Blocks.forward port "x": 4 axes where 3 are expected (expected "B T D" ChannelType, found "B C H W" ChannelType)  [neural-axes]
        self.image = self.patch_embed(x)
        self.blocks(self.image)
        return self.blocks(x)


def tuple_targets(blocks: Blocks, a: Images, b: Images, anything: Any) -> None:
    a, b = anything
    blocks(a)
    blocks(b)


def declared_local(blocks: Blocks, anything: Any, image: Images) -> None:
    local: Images = anything  # an annotated declaration states the value's type
    blocks(local)  # E: Blocks.forward port "x": 4 axes where 3 are expected (expected "B T D" ChannelType, found "B C H W" ChannelType)  [neural-axes]
    local = anything
    blocks(local)
    local = image
    blocks(local)  # E: Blocks.forward port "x": 4 axes where 3 are expected (expected "B T D" ChannelType, found "B C H W" ChannelType)  [neural-axes]
