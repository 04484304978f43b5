"""Reading ports from annotations: the accepted forms, and malformed ones reported at
decoration (or on the first call when a name is defined later), exact messages."""

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Optional, Union

import numpy as np
import pytest
import torch
from jaxtyping import Float
from torch import Tensor

from neuraltypes import (
    AxisKind,
    AxisType,
    ElementType,
    NeuralModule,
    NeuralType,
    NeuralTypeError,
    typecheck,
)
from neuraltypes.elements import AudioSignal, LengthsType, SpectrogramType

from .models import Lens, Spec, error, spec


def spec_error(fn: Any) -> str:
    with pytest.raises(NeuralTypeError) as info:
        typecheck()(fn)
    assert info.value.code == "neural-spec"
    assert info.value.mismatches == ()
    return str(info.value)


def test_malformed_axis_string_at_decoration() -> None:
    def forward(self: Any, x: Annotated[Tensor, "B D+", SpectrogramType]) -> None: ...

    assert spec_error(forward) == (
        'forward port "x": malformed axis string: "B D+": unexpected end of expression after "D+"'
    )


def test_malformed_annotation_in_a_class_names_class_and_method() -> None:
    with pytest.raises(NeuralTypeError) as info:

        class Bad(NeuralModule):
            @typecheck()
            def forward(self, x: Annotated[Tensor, "B T", "B D"]) -> None: ...

    assert str(info.value) == 'Bad.forward port "x": two axis strings, "B T" and "B D"'


def test_other_malformed_metadata() -> None:
    def two_elements(x: Annotated[Tensor, "B", LengthsType, SpectrogramType]) -> None: ...

    def not_an_element(x: Annotated[Tensor, "B", int]) -> None: ...

    def over_int(n: Annotated[int, "B"]) -> None: ...

    def over_ndarray(x: Float[np.ndarray, " b"]) -> None: ...

    def type_and_more(x: Annotated[Tensor, NeuralType("B"), "B"]) -> None: ...

    class Rate(ElementType):
        def __init__(self, hz: int) -> None:
            self.hz = hz

    def needs_arguments(x: Annotated[Tensor, "B T", Rate]) -> None: ...

    assert spec_error(two_elements) == (
        'two_elements port "x": two element types, LengthsType and SpectrogramType'
    )
    assert spec_error(not_an_element) == (
        'not_an_element port "x": unexpected metadata int: expected an axis string and an '
        "element type (an ElementType class or instance)"
    )
    assert (
        spec_error(over_int) == 'over_int port "n": neural type metadata on int, not on a Tensor'
    )
    assert spec_error(over_ndarray) == (
        'over_ndarray port "x": jaxtyping annotation over ndarray, not torch.Tensor'
    )
    assert spec_error(type_and_more) == (
        'type_and_more port "x": a NeuralType must be the only metadata'
    )
    assert spec_error(needs_arguments).startswith(
        'needs_arguments port "x": element type Rate needs arguments ('
    )


def test_unbound_size_expression_is_a_spec_error() -> None:
    def forward(x: Float[Tensor, "b k+1"]) -> None: ...

    assert spec_error(forward) == (
        'forward port "x": size expression "k+1" uses k, which no earlier axis binds; '
        "name it in an earlier port"
    )


def test_a_name_defined_later_is_read_on_the_first_call() -> None:
    @typecheck()
    def later(x: "LaterSpec") -> "LaterSpec":  # type: ignore[name-defined]  # noqa: F821
        return x

    globals()["LaterSpec"] = Annotated[Tensor, "B T", SpectrogramType]
    try:
        assert later(torch.ones(2, 3)).neural_type == NeuralType("B T", SpectrogramType)
        assert str(error(lambda: later(torch.ones(2)))) == (
            'later port "x": 1 dim where 2 ("B T") are expected (expected "B T" '
            "SpectrogramType, found a tensor of shape (2,))"
        )
    finally:
        del globals()["LaterSpec"]


def test_a_name_never_defined_is_reported_on_the_first_call() -> None:
    @typecheck()
    def missing(x: "Nowhere") -> None:  # type: ignore[name-defined]  # noqa: F821
        return None

    err = error(lambda: missing(torch.ones(1)))
    assert (err.code, str(err)) == (
        "neural-spec",
        "missing: can't resolve the annotations (name 'Nowhere' is not defined)",
    )


def test_forms_of_a_port() -> None:
    hz = AudioSignal(freq=16000)

    class Forms(NeuralModule):
        @typecheck()
        def forward(
            self,
            a: Spec,
            b: Annotated[Tensor, NeuralType(("B", "T"), hz)],
            c: Annotated[Tensor, "B T", hz],
            d: Float[Tensor, "b t"],
            e: Optional[Lens],
            f: Lens | None = None,
            g: Annotated[Tensor, "B"] = None,  # type: ignore[assignment]
            h: Annotated[Tensor, SpectrogramType] | None = None,
            scale: float = 1.0,
            plain: Tensor | None = None,
            either: Union[Spec, Lens, None] = None,
            foreign: Annotated[int, object()] = 0,
        ) -> None:
            return None

    types_ = Forms().input_types or {}
    assert list(types_) == ["a", "b", "c", "d", "e", "f", "g", "h"]
    assert types_["b"] == types_["c"] == NeuralType("B T", hz)
    assert str(types_["d"]) == "axes: (b, t); elements_type: unknown"
    assert types_["e"] == NeuralType("B", LengthsType, optional=True) == types_["f"]
    assert types_["g"] == NeuralType.axes_only("B", optional=True)
    assert types_["h"] == NeuralType(None, SpectrogramType, optional=True)


def test_container_annotations_and_nemo_list_axes() -> None:
    class Lists(NeuralModule):
        @typecheck()
        def forward(
            self, a: list[Spec], b: Sequence[list[Lens]], c: tuple[Spec, ...]
        ) -> list[Spec]:
            return a

    types_ = Lists().input_types or {}
    head = AxisType(AxisKind.Any, is_list=True)
    assert types_["a"] == NeuralType((head, "B", "D", "T"), SpectrogramType)
    assert types_["b"] == NeuralType((head, head, "B"), LengthsType)
    assert types_["c"] == types_["a"]
    assert (Lists().output_types or {})["output"] == types_["a"]


def test_returns_that_are_not_neural_types_are_not_ports() -> None:
    @typecheck()
    def plain(x: Spec) -> tuple[Tensor, int]:
        return x[:1], 1  # the batch size changes, but no output is a port

    @typecheck()
    def mixed(x: Spec) -> tuple[Spec, Any]:
        return x * 1, "anything"

    out, n = plain(spec())
    assert n == 1 and not hasattr(out, "neural_type")
    tagged, other = mixed(spec())
    assert tagged.neural_type == NeuralType("B D T", SpectrogramType) and other == "anything"
    assert str(error(lambda: mixed(spec(), 1))) == (  # type: ignore[call-arg]
        "mixed: takes 1 positional argument (x), got 2"
    )


def test_decorating_something_that_is_not_a_function() -> None:
    with pytest.raises(TypeError, match="use @typecheck\\(\\) with parentheses"):
        typecheck(lambda x: x)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="decorates a function, got staticmethod"):
        typecheck()(staticmethod(lambda x: x))


def test_nemo_style_types_naming_an_unknown_parameter() -> None:
    class Odd(NeuralModule):
        @property
        def input_types(self) -> dict[str, NeuralType]:
            return {"signal": NeuralType("B T")}

        @typecheck()
        def forward(self, x: Tensor) -> Tensor:
            return x

    err = error(lambda: Odd()(torch.ones(2, 3)))
    assert (err.code, str(err)) == (
        "neural-spec",
        'Odd.forward: input_types names port "signal", which is not a parameter (x)',
    )


def test_tensor_subclass_annotation_is_a_port() -> None:
    @typecheck()
    def weights(p: Annotated[torch.nn.Parameter, "D"]) -> None:
        return None

    weights(torch.nn.Parameter(torch.ones(3)))
    assert str(error(lambda: weights(torch.ones(3, 3)))) == (
        'weights port "p": 2 dims where 1 ("D") are expected (expected "D", found a '
        "tensor of shape (3, 3))"
    )


UNCHECKED = (
    "are not checked at run time; a port is a tensor or a list of them (list, Sequence, "
    "tuple[X, ...]), maybe Optional, and a return value may also be a flat tuple or "
    "NamedTuple of ports"
)


def test_nested_tuple_and_dict_outputs_are_refused_at_class_creation() -> None:
    with pytest.raises(NeuralTypeError) as info:

        class Nested(NeuralModule):
            @typecheck()
            def forward(self, x: Spec, n: Lens) -> tuple[tuple[Spec, Lens], Lens]:
                return (x, n), n

    assert (info.value.code, str(info.value)) == (
        "neural-spec",
        f'Nested.forward port "output_0": neural types inside tuple[...] {UNCHECKED}',
    )

    def by_name(x: Spec) -> dict[str, Spec]:
        return {"x": x}

    def maybe_pair(x: Spec) -> Optional[tuple[Spec, Lens]]:
        return None

    def pair_in(pair: tuple[Spec, Lens]) -> None: ...

    def jax_dict(x: Spec) -> dict[str, Float[Tensor, "b t"]]:
        return {}

    assert (
        spec_error(by_name) == f'by_name port "output": neural types inside dict[...] {UNCHECKED}'
    )
    assert spec_error(maybe_pair) == (
        f'maybe_pair port "output": neural types inside tuple[...] {UNCHECKED}'
    )
    assert (
        spec_error(pair_in) == f'pair_in port "pair": neural types inside tuple[...] {UNCHECKED}'
    )
    assert spec_error(jax_dict) == (
        f'jax_dict port "output": neural types inside dict[...] {UNCHECKED}'
    )


def test_a_callback_typed_with_neural_types_is_no_port() -> None:
    @typecheck()
    def apply(f: Callable[[Spec], Spec], x: Spec) -> dict[str, int]:
        return {"rank": f(x).ndim}

    assert apply(lambda x: x, spec()) == {"rank": 3}
    assert str(error(lambda: apply(lambda x: x, torch.ones(2)))) == (
        'apply port "x": 1 dim where 3 ("B D T") are expected (expected "B D T" '
        "SpectrogramType, found a tensor of shape (2,))"
    )
