"""One table of connection cases, checked by the core, the runtime and the plugin.

Each case says: a value declared as ``producer`` flows into a port declared as
``consumer``; ``codes`` are the error codes the connection must give, in the order
:func:`neuraltypes._core.check_connection` returns them (empty: accepted).

Types are written as annotation metadata: an axis string and the name of an
element class from :mod:`neuraltypes.elements` (None: no element stated, i.e. an
unknown element: only the axes are checked).
``jaxtyping=True`` on a side means that side is written ``Float[Tensor, axes]``.

For the runtime, the tensor fed to the consumer has the producer's fixed sizes,
the consumer's fixed size at the same position where the producer has none, and
otherwise distinct small sizes; see :func:`concrete_shape`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Side:
    axes: str
    element: str | None = None
    jaxtyping: bool = False


@dataclass(frozen=True)
class Case:
    id: str
    producer: Side
    consumer: Side
    codes: tuple[str, ...] = ()


E, A, S = "neural-element", "neural-axes", "neural-size"

CASES: tuple[Case, ...] = (
    Case("same", Side("B D T", "SpectrogramType"), Side("B D T", "SpectrogramType")),
    Case(
        "subclass-accepted", Side("B D T", "MelSpectrogramType"), Side("B D T", "SpectrogramType")
    ),
    Case(
        "deep-subclass",
        Side("B D T", "AcousticEncodedRepresentation"),
        Side("B D T", "ChannelType"),
    ),
    Case(
        "superclass-rejected",
        Side("B D T", "SpectrogramType"),
        Side("B D T", "MelSpectrogramType"),
        (E,),
    ),
    Case(
        "unrelated",
        Side("B D T", "SpectrogramType"),
        Side("B D T", "AcousticEncodedRepresentation"),
        (E,),
    ),
    Case("siblings", Side("B T C", "LogitsType"), Side("B T C", "LogprobsType"), (E,)),
    Case("void-consumer", Side("B D T", "SpectrogramType"), Side("B D T", "VoidType")),
    Case("no-element-consumer", Side("B D T", "SpectrogramType"), Side("B D T")),
    Case("unknown-producer", Side("B D T"), Side("B D T", "SpectrogramType")),
    Case("void-producer", Side("B D T", "VoidType"), Side("B D T", "SpectrogramType"), (E,)),
    Case("unknown-producer-rank", Side("B T"), Side("B D T", "SpectrogramType"), (A,)),
    Case("transposed", Side("B T D", "SpectrogramType"), Side("B D T", "SpectrogramType"), (A,)),
    Case("rank", Side("B T", "SpectrogramType"), Side("B D T", "SpectrogramType"), (A,)),
    Case("kind", Side("B T H", "SpectrogramType"), Side("B T W", "SpectrogramType"), (A,)),
    Case(
        "channel-is-dimension", Side("B C T", "SpectrogramType"), Side("B D T", "SpectrogramType")
    ),
    Case("n-is-batch", Side("N D T"), Side("B D T")),
    Case("words", Side("batch time channel"), Side("B T D")),
    Case(
        "element-and-axes", Side("B T D", "LogitsType"), Side("B D T", "SpectrogramType"), (E, A)
    ),
    Case("fixed-size-same", Side("B D=80 T"), Side("B D=80 T")),
    Case("fixed-size-differs", Side("B D=64 T"), Side("B D=80 T"), (S,)),
    Case("fixed-size-unknown-producer", Side("B D T"), Side("B D=80 T")),
    Case("fixed-size-only-producer", Side("B D=80 T"), Side("B D T")),
    Case("bare-sizes", Side("B 3 T"), Side("B 4 T"), (S,)),
    Case("any-axis", Side("B D T"), Side("B any T")),
    Case("any-matches-one-axis", Side("T B"), Side("any D"), (A,)),
    Case("anonymous-axis", Side("B D T"), Side("B _ T")),
    Case("t-suffix-is-time", Side("B T_enc D"), Side("B T D")),
    Case("d-suffix-is-dimension", Side("B D_in T"), Side("B D T")),
    Case(
        "named-axes-local",
        Side("batch pos d_model", jaxtyping=True),
        Side("batch seq d_model", jaxtyping=True),
    ),
    Case("named-vs-kind", Side("b t d", jaxtyping=True), Side("B T D")),
    Case("named-rank", Side("b t", jaxtyping=True), Side("b t d", jaxtyping=True), (A,)),
    Case("named-fixed", Side("b 3", jaxtyping=True), Side("b 4", jaxtyping=True), (S,)),
    Case(
        "jaxtyping-into-semantic",
        Side("b d t", jaxtyping=True),
        Side("B D T", "SpectrogramType"),
    ),
    Case(
        "semantic-into-jaxtyping", Side("B D T", "SpectrogramType"), Side("b d t", jaxtyping=True)
    ),
    Case("variadic-consumer", Side("B D T"), Side("... T")),
    Case("variadic-named", Side("B H W"), Side("*batch W")),
    Case("variadic-too-few", Side("T"), Side("B ... T"), (A,)),
    Case("variadic-kind", Side("B D T"), Side("... D"), (A,)),
    Case("expression-axis", Side("B D T"), Side("B d+1 T")),
    Case("scalar", Side(""), Side("")),
    Case("scalar-into-vector", Side(""), Side("B"), (A,)),
    Case("lengths", Side("B", "LengthsType"), Side("B", "LengthsType")),
    Case("lengths-into-logits", Side("B", "LengthsType"), Side("B", "LogitsType"), (E,)),
)


def concrete_shape(case: Case) -> tuple[int, ...]:
    """A shape for the runtime: the producer's axes made concrete (variadics take
    one axis)."""
    from neuraltypes._core import parse_axes

    prod = parse_axes(case.producer.axes, jaxtyping=case.producer.jaxtyping)
    cons = parse_axes(case.consumer.axes, jaxtyping=case.consumer.jaxtyping)
    shape = []
    for i, axis in enumerate(prod):
        if axis.size is not None:
            shape.append(axis.size)
        elif i < len(cons) and not cons[i].variadic and cons[i].size is not None:
            shape.append(cons[i].size)
        else:
            shape.append(2 + i)
    return tuple(shape)
