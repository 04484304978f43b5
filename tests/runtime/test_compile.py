"""torch.compile(fullgraph=True) over checked modules: no graph breaks."""

from __future__ import annotations

import torch
from torch import Tensor, nn

from neuraltypes import typecheck

from .models import Decoder, Encoder


class Model(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.encoder = Encoder()
        self.decoder = Decoder()

    def forward(self, x: Tensor, length: Tensor) -> tuple[Tensor, Tensor]:
        encoded, encoded_len = self.encoder(x, length)
        return self.decoder(encoder_output=encoded), encoded_len


def test_no_graph_breaks_with_checks_on_and_off() -> None:
    model = Model()
    x, length = torch.randn(2, 8, 10), torch.tensor([10, 7])
    explained = torch._dynamo.explain(model)(x, length)
    assert explained.graph_break_count == 0
    assert explained.graph_count == 1

    graphs: list[torch.fx.GraphModule] = []

    def counting_backend(gm: torch.fx.GraphModule, example_inputs: list[Tensor]) -> object:
        graphs.append(gm)
        return gm.forward

    torch._dynamo.reset()
    compiled = torch.compile(model, fullgraph=True, backend=counting_backend)
    eager = model(x, length)[0]
    assert torch.allclose(compiled(x, length)[0], eager)
    with typecheck.disable_checks():
        assert torch.allclose(compiled(x, length)[0], eager)
    assert len(graphs) >= 1
    torch._dynamo.reset()


def test_aot_autograd_compile_runs() -> None:
    model = Model()
    x, length = torch.randn(2, 8, 10), torch.tensor([10, 7])
    torch._dynamo.reset()
    compiled = torch.compile(model, fullgraph=True, backend="aot_eager")
    assert torch.allclose(compiled(x, length)[0], model(x, length)[0])
    torch._dynamo.reset()
