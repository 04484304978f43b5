"""Plain nn.Modules annotated with jaxtyping only: their calls stay ``Any`` to
mypy (no new non-neural errors), yet the plugin follows the neural type each
call's ``forward`` declares into the next module it reaches."""

from jaxtyping import Float, Int
from torch import Tensor, nn


class Embed(nn.Module):
    def forward(self, tokens: Int[Tensor, "batch pos"]) -> Float[Tensor, "batch pos d_model"]:
        raise NotImplementedError


class Block(nn.Module):
    def forward(self, resid: Float[Tensor, "batch pos d_model"]) -> Float[Tensor, "batch pos d_model"]:
        return resid


class Pool(nn.Module):
    def forward(self, x: Float[Tensor, "batch d_model"]) -> Float[Tensor, "batch d_model"]:
        return x


def chain(embed: Embed, block: Block, pool: Pool, tokens: Int[Tensor, "b p"]) -> None:
    r2 = block(embed(tokens))
    reveal_type(r2)  # N: Revealed type is "Any"
    pool(r2)  # E: Pool.forward port "x": 3 axes where 2 are expected (expected "batch d_model", found "batch pos d_model")  [neural-axes]
    pool(x=r2)  # E: Pool.forward port "x": 3 axes where 2 are expected (expected "batch d_model", found "batch pos d_model")  [neural-axes]
    pool(block(embed(tokens)))  # E: Pool.forward port "x": 3 axes where 2 are expected (expected "batch d_model", found "batch pos d_model")  [neural-axes]
    block(tokens)  # E: Block.forward port "resid": 2 axes where 3 are expected (expected "batch pos d_model", found "b p"); also dtype Int is not Float  [neural-axes]
    block(block(r2))
    pooled = pool(r2[:, 0])  # indexing an Any: unknown, so not checked
    block(pooled)  # E: Block.forward port "resid": 2 axes where 3 are expected (expected "batch pos d_model", found "batch d_model")  [neural-axes]


class Holder(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.block = Block()
        self.pool = Pool()
        self.cached = self.block(self.block(None))

    def forward(self, resid: Float[Tensor, "batch pos d_model"]) -> None:
        self.pool(self.cached)  # made in another function: not followed
        h = self.block(resid)
        self.pool(h)  # E: Pool.forward port "x": 3 axes where 2 are expected (expected "batch d_model", found "batch pos d_model")  [neural-axes]
