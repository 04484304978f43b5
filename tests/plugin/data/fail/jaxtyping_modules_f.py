"""Plain nn.Modules annotated with jaxtyping only: their calls stay ``Any`` to
mypy (no new non-neural errors), yet the plugin follows the neural type each
call's ``forward`` declares into the next module it reaches."""

from typing import Any, Optional

import torch.nn.functional as F
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


class Generate(nn.Module):  # a tuple out: each unpacked item is followed
    def forward(
        self, tokens: Int[Tensor, "batch pos"]
    ) -> tuple[Float[Tensor, "batch pos d_model"], Optional[Float[Tensor, "batch d_model"]]]:
        raise NotImplementedError


def unpacked(gen: Generate, pool: Pool, tokens: Int[Tensor, "b p"], untyped: Any) -> None:
    hidden, pooled = gen(tokens)
    pool(pooled)
    pool(hidden)  # E: Pool.forward port "x": 3 axes where 2 are expected (expected "batch d_model", found "batch pos d_model")  [neural-axes]
    pool(F.softmax(hidden, dim=-1))  # E: Pool.forward port "x": 3 axes where 2 are expected (expected "batch d_model", found "batch pos d_model")  [neural-axes]
    out = gen(tokens)
    [first, _] = out
    pool(first)  # E: Pool.forward port "x": 3 axes where 2 are expected (expected "batch d_model", found "batch pos d_model")  [neural-axes]
    pool(out)  # the tuple itself: not a tensor
    a, b = gen(tokens)
    a = b  # now the second item
    pool(a)
    c, d, e = gen(tokens)  # not as many targets as items: not followed
    pool(c)
    f, *g = gen(tokens)  # starred: not followed
    pool(f)
    hidden = untyped  # no longer the call's value
    pool(hidden)


def reassigned_any(block: Block, pool: Pool, resid: Float[Tensor, "batch pos d_model"], x: Float[Tensor, "batch d_model"], untyped: Any) -> None:
    h = block(resid)
    pool(h)  # E: Pool.forward port "x": 3 axes where 2 are expected (expected "batch d_model", found "batch pos d_model")  [neural-axes]
    h = untyped
    pool(h)  # carries nothing: last assigned an untyped value
    h = block(resid)
    pooled = pool(x)
    h = pooled
    pool(h)  # the pooled value, last assigned
