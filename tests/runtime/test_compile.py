"""torch.compile(fullgraph=True) over checked modules: no graph breaks, checks on or
off, the same results as eager; torch.fx tracing goes through too."""

import pytest
import torch
from torch import Tensor, nn

from neuraltypes import typecheck

from .models import Decoder, Encoder, Masked
from .test_containers import Stack
from .test_modules import NemoStyle


class Model(nn.Module):
    """Annotated modules (fast path), a list port and a NeMo-style module (reference
    path), an optional port."""

    def __init__(self) -> None:
        super().__init__()
        self.encoder = Encoder()
        self.decoder = Decoder()
        self.masked = Masked()
        self.stack = Stack()
        self.nemo = NemoStyle(8)

    def forward(self, x: Tensor, length: Tensor) -> tuple[Tensor, Tensor]:
        x = self.stack([self.masked(x), self.masked(x, mask=length)])
        encoded, encoded_len = self.encoder(x, length)
        logits = self.decoder(encoder_output=encoded)
        return logits + self.nemo(audio_signal=x, length=length).mean(), encoded_len


def inputs() -> tuple[Tensor, Tensor]:
    return torch.randn(2, 8, 10), torch.tensor([10, 7])


def test_explain_finds_no_graph_breaks() -> None:
    model = Model()
    model(*inputs())  # an eager call first: the checkers exist, tags are set
    torch._dynamo.reset()
    explained = torch._dynamo.explain(model)(*inputs())
    assert explained.graph_break_count == 0
    assert explained.graph_count == 1
    torch._dynamo.reset()


def test_fullgraph_compile_with_checks_on_and_off_matches_eager() -> None:
    model = Model().eval()
    x, length = inputs()
    graphs: list[torch.fx.GraphModule] = []

    def counting_backend(gm: torch.fx.GraphModule, example_inputs: list[Tensor]) -> object:
        graphs.append(gm)
        return gm.forward

    torch._dynamo.reset()
    compiled = torch.compile(model, fullgraph=True, backend=counting_backend)
    eager = model(x, length)
    out = compiled(x, length)
    assert len(graphs) == 1
    assert torch.allclose(out[0], eager[0]) and torch.equal(out[1], eager[1])
    with typecheck.disable_checks():
        off = compiled(x, length)
    assert torch.allclose(off[0], eager[0])
    # no tensor attribute was set in the graph, and no recompilation happened
    assert not any("setattr" in str(n.target) for n in graphs[0].graph.nodes)
    assert len(graphs) == 1
    torch._dynamo.reset()


def test_checks_still_run_in_eager_after_compiling() -> None:
    model = Model()
    torch._dynamo.reset()
    torch.compile(model, fullgraph=True, backend="eager")(*inputs())
    torch._dynamo.reset()
    x, _ = inputs()
    try:
        model(x, torch.tensor([1, 2, 3]))
    except TypeError as err:
        assert 'Masked.forward port "mask": dim 0 (B) has size 3' in str(err)
    else:
        raise AssertionError("the eager call was not checked")


def test_torch_fx_symbolic_trace() -> None:
    model = nn.Sequential(Masked(), Masked())
    traced = torch.fx.symbolic_trace(model)
    x = torch.randn(2, 8, 10)
    assert torch.equal(traced(x), model(x))


# the default backend (inductor, on CPU) once; torch's own deprecation noise muted
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_first_call_under_compile_with_annotations_read_later() -> None:
    class Fresh(nn.Module):
        @typecheck()
        def forward(self, x: "FreshSpec") -> "FreshSpec":  # type: ignore[name-defined]  # noqa: F821
            return x * 2

    globals()["FreshSpec"] = Masked.forward.__annotations__["x"]
    try:
        model = Fresh()
        torch._dynamo.reset()
        explained = torch._dynamo.explain(model)(torch.ones(2, 8, 3))
        assert explained.graph_break_count == 0
        assert not hasattr(
            torch.compile(model, fullgraph=True)(torch.ones(1, 1, 1)), "neural_type"
        )
        torch._dynamo.reset()
        assert model(torch.ones(2, 8, 3)).neural_type is not None  # eager: checked and tagged
        try:
            model(torch.ones(2, 8))
        except TypeError as err:
            assert "Fresh.forward port" in str(err)
        else:
            raise AssertionError("not checked")
    finally:
        del globals()["FreshSpec"]
