"""Tensors the guard was not made for never crash the interpreter (issue 26 item 7).

torch's ``TensorGuards`` reads a tensor's strides before its other tests, and a
strided nested tensor has none: torch aborts the process. Every such tensor, as an
input or an output, after the guard exists, must get a clear NeuralTypeError or
pass. Each case runs in a subprocess, so that an abort fails the test instead of
killing pytest."""

import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent(
    """
    import warnings
    import torch
    from torch._subclasses.fake_tensor import FakeTensorMode
    from neuraltypes import NeuralModule, NeuralTypeError, typecheck
    from neuraltypes._runtime import guards
    from tests.runtime.models import Lens, Spec

    warnings.simplefilter("ignore")  # nested and sparse tensors are "prototype"/"beta"


    class Sub(torch.Tensor):
        pass


    class M(NeuralModule):
        make_output = None  # a function of x: what forward returns as its first output

        @typecheck()
        def forward(self, x: Spec, length: Lens) -> tuple[Spec, Lens]:
            return (x * 1 if self.make_output is None else self.make_output(x)), length * 1


    def dense(batch=2):
        return torch.randn(batch, 8, 10)


    def lengths():
        return torch.tensor([10, 8])


    def bad_tensors():
        x = dense()
        yield "nested strided", lambda: torch.nested.nested_tensor([x[0], x[1]])
        yield "nested jagged", lambda: torch.nested.nested_tensor(
            [x[0], x[1]], layout=torch.jagged
        )
        yield "sparse", lambda: x.to_sparse()
        yield "meta", lambda: x.to("meta")
        yield "subclass", lambda: x.as_subclass(Sub)


    def outcome(call):
        try:
            call()
        except NeuralTypeError as err:
            return f"NeuralTypeError: {err}"
        return "pass"


    m = M()
    m(dense(), lengths())
    m(dense(), lengths())
    assert M.forward.__neuraltypes__.guards.pair[0][0] is not guards.never, "no guard"
    for kind, make in bad_tensors():
        print(f"input x, {kind}:", outcome(lambda: m(make(), lengths())), flush=True)
    print("input length, nested strided:", outcome(
        lambda: m(dense(), torch.nested.nested_tensor([torch.ones(1), torch.ones(1)]))
    ), flush=True)
    with FakeTensorMode():
        fake = torch.zeros(2, 8, 10)
        print("input x, fake:", outcome(lambda: m(fake, torch.zeros(2))), flush=True)
    for kind, make in bad_tensors():
        m.make_output = lambda x: make()
        print(f"output, {kind}:", outcome(lambda: m(dense(), lengths())), flush=True)
        m.make_output = None
        m(dense(), lengths())  # a guard again
    """
)

NESTED_INPUT = (
    'NeuralTypeError: M.forward port "{port}": expected a tensor ({declared}), got a '
    "nested tensor (it has no one shape to check)"
)
NESTED_OUTPUT = (
    'NeuralTypeError: M.forward return value "output_0": expected a tensor '
    '("B D T" SpectrogramType), got a nested tensor (it has no one shape to check)'
)

EXPECTED = {
    "input x, nested strided": NESTED_INPUT.format(port="x", declared='"B D T" SpectrogramType'),
    "input x, nested jagged": NESTED_INPUT.format(port="x", declared='"B D T" SpectrogramType'),
    "input x, sparse": "pass",
    "input x, meta": "pass",
    "input x, subclass": "pass",
    "input length, nested strided": NESTED_INPUT.format(port="length", declared='"B" LengthsType'),
    "input x, fake": "pass",
    "output, nested strided": NESTED_OUTPUT,
    "output, nested jagged": NESTED_OUTPUT,
    "output, sparse": "pass",
    "output, meta": "pass",
    "output, subclass": "pass",
}


def test_tensors_the_guard_was_not_made_for_get_an_error_or_pass() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=Path(__file__).parents[2],
    )
    lines = dict(line.split(": ", 1) for line in proc.stdout.splitlines() if ": " in line)
    assert proc.returncode == 0, (
        f"exit {proc.returncode} after {list(lines)}:\n{proc.stderr[-3000:]}"
    )
    assert lines == EXPECTED
