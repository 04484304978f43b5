"""One table of connection cases, checked by the core, the runtime and the mypy
plugin, message text included.

A value declared as ``producer`` flows into a port ``x`` declared as ``consumer``.
``said`` lists the mismatches the connection gives, in the order :func:`neuraltypes._core.check_connection` returns them (empty:
accepted), each in the core's parts: code, problem, expected, found, hint. The
core's wording of one mismatch is :attr:`Said.text`::

    {problem} (expected {expected}, found {found}); {hint}

Sides are written as annotation metadata: an axis string and the name of an element
class from :mod:`neuraltypes.elements` (None: no element stated, i.e. an unknown
element: only the axes are checked). ``jaxtyping=True`` on a side means that side is
written ``Float[Tensor, axes]``. ``via`` says how the consumer is reached: a plain
function ``consume_<id>`` (:data:`FUNCTION`), or a ``forward`` defined on a class
``Base_<id>`` and called through an instance of its subclass ``Child_<id>``
(:data:`INHERITED`).

How each face words a connection case (:func:`static_messages`,
:func:`runtime_message`); these are the only differences the faces may have:

- every face names the port as ``{owner} port "x"``, the owner being the function
  (``consume_<id>``) or ``{class the call went through}.forward``
  (``Child_<id>.forward``);
- every face gives one message per argument, with the first mismatch's code; a
  second mismatch is merged into it as ``; also {problem}`` (its hint dropped).
  Only the ``element-and-axes`` cases have two (marked in the table);
- the runtime knows the tensor, so the found type is followed by
  ``, shape (2, 3, 4)``.

The swap cases (:data:`SWAP_CASES`) are calls of two ports at once: the plugin
reports each argument that does not fit, the runtime raises at the first one; when
the two arguments each fit the other's port, each message ends with the swap hint.

For the runtime, the tensor fed to the consumer has the producer's fixed sizes, the
consumer's fixed size at the same position where the producer has none, and
otherwise distinct small sizes; see :func:`concrete_shape`.

Malformed annotations are the spec cases, in :mod:`.spec_cases`.

``xfail`` maps a face ("core", "runtime", "plugin") to why that face does not give
the table's text yet: a real disagreement between the faces, tested as a strict
expected failure until the face is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import pytest

from neuraltypes._core import binding_key, coerce_axes

E, A, S = "neural-element", "neural-axes", "neural-size"
FUNCTION: Final = "function"
INHERITED: Final = "inherited"
FACES: Final = ("core", "runtime", "plugin")


@dataclass(frozen=True)
class Side:
    axes: str
    element: str | None = None
    jaxtyping: bool = False


@dataclass(frozen=True)
class Said:
    """One mismatch, in the core's parts."""

    code: str
    problem: str
    expected: str
    found: str
    hint: str | None = None

    @property
    def text(self) -> str:
        """The core's wording (without the port)."""
        text = f"{self.problem} (expected {self.expected}, found {self.found})"
        return f"{text}; {self.hint}" if self.hint else text


def element(problem: str, expected: str, found: str, hint: str | None = None) -> Said:
    return Said(E, problem, expected, found, hint)


def axes(problem: str, expected: str, found: str, hint: str | None = None) -> Said:
    return Said(A, problem, expected, found, hint)


def size(problem: str, expected: str, found: str, hint: str | None = None) -> Said:
    return Said(S, problem, expected, found, hint)


@dataclass(frozen=True, eq=False)
class Case:
    id: str
    producer: Side
    consumer: Side
    said: tuple[Said, ...] = ()
    via: str = FUNCTION
    xfail: dict[str, str] = field(default_factory=dict)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.said)

    @property
    def ident(self) -> str:
        """The case's id as a Python name."""
        return self.id.replace("-", "_")

    @property
    def owner(self) -> str:
        """Whose port messages name: the consumer function, or the subclass's forward."""
        if self.via == INHERITED:
            return f"Child_{self.ident}.forward"
        return f"consume_{self.ident}"

    @property
    def where(self) -> str:
        return f'{self.owner} port "x"'


def merged(said: tuple[Said, ...], shape: str = "", hint: str | None = None) -> str:
    """The one message (without the port) for all of one value's mismatches: the
    first in full (``shape``: what the runtime adds after the found type), then
    ``; also {problem}`` for each other one; ``hint`` (a swap) last, in place of the
    first's own."""
    first, *others = said
    text = f"{first.problem} (expected {first.expected}, found {first.found}{shape})"
    own = first.hint if hint is None else None
    if own:
        text += f"; {own}"
    text += "".join(f"; also {s.problem}" for s in others)
    return f"{text}; {hint}" if hint else text


def static_messages(case: Case) -> list[str]:
    """The plugin's errors for a connection case: one, with the first mismatch's code."""
    if not case.said:
        return []
    return [f"{case.where}: {merged(case.said)}  [{case.said[0].code}]"]


def runtime_message(case: Case, shape: tuple[int, ...]) -> str | None:
    """The runtime's one message: the plugin's, with the tensor's shape after the
    found type."""
    if not case.said:
        return None
    return f"{case.where}: {merged(case.said, f', shape {shape}')}"


TRANSPOSE = "did you mean .transpose(1, 2)?"

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
        (
            element(
                "SpectrogramType is not MelSpectrogramType",
                '"B D T" MelSpectrogramType',
                '"B D T" SpectrogramType',
                "SpectrogramType is more general than MelSpectrogramType",
            ),
        ),
    ),
    Case(
        "unrelated",
        Side("B D T", "SpectrogramType"),
        Side("B D T", "AcousticEncodedRepresentation"),
        (
            element(
                "SpectrogramType is not AcousticEncodedRepresentation",
                '"B D T" AcousticEncodedRepresentation',
                '"B D T" SpectrogramType',
            ),
        ),
    ),
    Case(
        "siblings",
        Side("B T C", "LogitsType"),
        Side("B T C", "LogprobsType"),
        (element("LogitsType is not LogprobsType", '"B T C" LogprobsType', '"B T C" LogitsType'),),
    ),
    Case("void-consumer", Side("B D T", "SpectrogramType"), Side("B D T", "VoidType")),
    Case("no-element-consumer", Side("B D T", "SpectrogramType"), Side("B D T")),
    Case("unknown-producer", Side("B D T"), Side("B D T", "SpectrogramType")),
    Case(
        "void-producer",
        Side("B D T", "VoidType"),
        Side("B D T", "SpectrogramType"),
        (
            element(
                "VoidType is not SpectrogramType",
                '"B D T" SpectrogramType',
                '"B D T" VoidType',
                "a VoidType (unconstrained) value is accepted only where VoidType is declared",
            ),
        ),
    ),
    Case(
        "unknown-producer-rank",
        Side("B T"),
        Side("B D T", "SpectrogramType"),
        (axes("2 axes where 3 are expected", '"B D T" SpectrogramType', '"B T"'),),
    ),
    Case(
        "transposed",
        Side("B T D", "SpectrogramType"),
        Side("B D T", "SpectrogramType"),
        (
            axes(
                "axes are transposed",
                '"B D T" SpectrogramType',
                '"B T D" SpectrogramType',
                TRANSPOSE,
            ),
        ),
    ),
    Case(
        "rank",
        Side("B T", "SpectrogramType"),
        Side("B D T", "SpectrogramType"),
        (axes("2 axes where 3 are expected", '"B D T" SpectrogramType', '"B T" SpectrogramType'),),
    ),
    Case(
        "kind",
        Side("B T H", "SpectrogramType"),
        Side("B T W", "SpectrogramType"),
        (
            axes(
                "dim 2 is H where W is expected",
                '"B T W" SpectrogramType',
                '"B T H" SpectrogramType',
            ),
        ),
    ),
    Case(
        "channel-is-dimension", Side("B C T", "SpectrogramType"), Side("B D T", "SpectrogramType")
    ),
    Case("n-is-batch", Side("N D T"), Side("B D T")),
    Case("words", Side("batch time channel"), Side("B T D")),
    # two mismatches: one message, the second merged ("; also ...")
    Case(
        "element-and-axes",
        Side("B T D", "LogitsType"),
        Side("B D T", "SpectrogramType"),
        (
            element(
                "LogitsType is not SpectrogramType",
                '"B D T" SpectrogramType',
                '"B T D" LogitsType',
            ),
            axes(
                "axes are transposed", '"B D T" SpectrogramType', '"B T D" LogitsType', TRANSPOSE
            ),
        ),
    ),
    Case("fixed-size-same", Side("B D=80 T"), Side("B D=80 T")),
    Case(
        "fixed-size-differs",
        Side("B D=64 T"),
        Side("B D=80 T"),
        (size("dim 1 (D=80) has size 64, expected 80", '"B D=80 T"', '"B D=64 T"'),),
    ),
    Case("fixed-size-unknown-producer", Side("B D T"), Side("B D=80 T")),
    Case("fixed-size-only-producer", Side("B D=80 T"), Side("B D T")),
    Case(
        "bare-sizes",
        Side("B 3 T"),
        Side("B 4 T"),
        (size("dim 1 (4) has size 3, expected 4", '"B 4 T"', '"B 3 T"'),),
    ),
    Case("any-axis", Side("B D T"), Side("B any T")),
    Case(
        "any-matches-one-axis",
        Side("T B"),
        Side("any D"),
        (axes("dim 1 is B where D is expected", '"any D"', '"T B"'),),
    ),
    Case("anonymous-axis", Side("B D T"), Side("B _ T")),
    Case("t-suffix-is-time", Side("B T_enc D"), Side("B T D")),
    Case("d-suffix-is-dimension", Side("B D_in T"), Side("B D T")),
    Case(
        "named-axes-local",
        Side("batch pos d_model", jaxtyping=True),
        Side("batch seq d_model", jaxtyping=True),
    ),
    Case("named-vs-kind", Side("b t d", jaxtyping=True), Side("B T D")),
    Case(
        "named-rank",
        Side("b t", jaxtyping=True),
        Side("b t d", jaxtyping=True),
        (axes("2 axes where 3 are expected", '"b t d"', '"b t"'),),
    ),
    Case(
        "named-fixed",
        Side("b 3", jaxtyping=True),
        Side("b 4", jaxtyping=True),
        (size("dim 1 (4) has size 3, expected 4", '"b 4"', '"b 3"'),),
    ),
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
    Case(
        "variadic-too-few",
        Side("T"),
        Side("B ... T"),
        (axes('too few axes for "B ... T"', '"B ... T"', '"T"'),),
    ),
    Case(
        "variadic-kind",
        Side("B D T"),
        Side("... D"),
        (axes("dim -1 is T where D is expected", '"... D"', '"B D T"'),),
    ),
    Case("expression-axis", Side("B D T"), Side("B d+1 T")),
    Case("scalar", Side(""), Side("")),
    Case(
        "scalar-into-vector",
        Side(""),
        Side("B"),
        (axes("0 axes where 1 are expected", '"B"', '""'),),
    ),
    Case("lengths", Side("B", "LengthsType"), Side("B", "LengthsType")),
    Case(
        "lengths-into-logits",
        Side("B", "LengthsType"),
        Side("B", "LogitsType"),
        (element("LengthsType is not LogitsType", '"B" LogitsType', '"B" LengthsType'),),
    ),
    # forward defined on Base_<id>, called through a Child_<id> instance
    Case(
        "inherited-accepted",
        Side("B D T", "MelSpectrogramType"),
        Side("B D T", "SpectrogramType"),
        via=INHERITED,
    ),
    Case(
        "inherited-element",
        Side("B D T", "SpectrogramType"),
        Side("B D T", "LogitsType"),
        (
            element(
                "SpectrogramType is not LogitsType",
                '"B D T" LogitsType',
                '"B D T" SpectrogramType',
            ),
        ),
        via=INHERITED,
    ),
    # two mismatches: one message, the second merged ("; also ...")
    Case(
        "inherited-element-and-axes",
        Side("B T D", "LogitsType"),
        Side("B D T", "SpectrogramType"),
        (
            element(
                "LogitsType is not SpectrogramType",
                '"B D T" SpectrogramType',
                '"B T D" LogitsType',
            ),
            axes(
                "axes are transposed", '"B D T" SpectrogramType', '"B T D" LogitsType', TRANSPOSE
            ),
        ),
        via=INHERITED,
    ),
)


def swap_hint(first: str, second: str) -> str:
    return f'arguments swapped? the values for "{first}" and "{second}" each fit the other\'s port'


@dataclass(frozen=True, eq=False)
class SwapCase:
    """A call ``swap_<id>(a, b)`` of a function ``swap_<id>(x, y)``: ``x`` and ``y``
    are the ports, ``a`` and ``b`` the values given to them; ``x_said`` and
    ``y_said`` the mismatches at each port (as in :class:`Case`); ``swapped``:
    whether the messages end with the swap hint (each value fits the other's port,
    neither its own)."""

    id: str
    x: Side
    y: Side
    a: Side
    b: Side
    x_said: tuple[Said, ...]
    y_said: tuple[Said, ...]
    swapped: bool = True
    xfail: dict[str, str] = field(default_factory=dict)

    @property
    def ident(self) -> str:
        return self.id.replace("-", "_")

    @property
    def owner(self) -> str:
        return f"swap_{self.ident}"

    def message(self, port: str, said: tuple[Said, ...], shape: str = "") -> str:
        hint = swap_hint("x", "y") if self.swapped else None
        return f'{self.owner} port "{port}": {merged(said, shape, hint)}'


def static_swap_messages(case: SwapCase) -> list[str]:
    """The plugin's errors for a swap case: one per argument that does not fit."""
    return [
        f"{case.message(port, said)}  [{said[0].code}]"
        for port, said in (("x", case.x_said), ("y", case.y_said))
        if said
    ]


def runtime_swap_message(case: SwapCase, shape: tuple[int, ...]) -> str:
    """The runtime's message for a swap case: the first argument that does not fit
    (``shape``: its tensor's)."""
    port, said = ("x", case.x_said) if case.x_said else ("y", case.y_said)
    return case.message(port, said, f", shape {shape}")


SPEC, LENS = Side("B D T", "SpectrogramType"), Side("B", "LengthsType")

SWAP_CASES: tuple[SwapCase, ...] = (
    SwapCase(
        "features-and-lengths",
        SPEC,
        LENS,
        LENS,
        SPEC,
        (
            element(
                "LengthsType is not SpectrogramType", '"B D T" SpectrogramType', '"B" LengthsType'
            ),
            axes("1 axis where 3 are expected", '"B D T" SpectrogramType', '"B" LengthsType'),
        ),
        (
            element(
                "SpectrogramType is not LengthsType", '"B" LengthsType', '"B D T" SpectrogramType'
            ),
            axes("3 axes where 1 are expected", '"B" LengthsType', '"B D T" SpectrogramType'),
        ),
    ),
    SwapCase(
        "layouts",
        Side("B T D", "SpectrogramType"),
        SPEC,
        SPEC,
        Side("B T D", "SpectrogramType"),
        (
            axes(
                "axes are transposed",
                '"B T D" SpectrogramType',
                '"B D T" SpectrogramType',
                TRANSPOSE,
            ),
        ),
        (
            axes(
                "axes are transposed",
                '"B D T" SpectrogramType',
                '"B T D" SpectrogramType',
                TRANSPOSE,
            ),
        ),
    ),
    SwapCase(
        "jaxtyping-ranks",
        Side("b t", jaxtyping=True),
        Side("b t d", jaxtyping=True),
        Side("b t d", jaxtyping=True),
        Side("b t", jaxtyping=True),
        (axes("3 axes where 2 are expected", '"b t"', '"b t d"'),),
        (axes("2 axes where 3 are expected", '"b t d"', '"b t"'),),
    ),
    # the second value fits its own port too: no swap
    SwapCase(
        "one-fits-its-own",
        Side("B D T", "MelSpectrogramType"),
        SPEC,
        SPEC,
        Side("B D T", "MelSpectrogramType"),
        (
            element(
                "SpectrogramType is not MelSpectrogramType",
                '"B D T" MelSpectrogramType',
                '"B D T" SpectrogramType',
                "SpectrogramType is more general than MelSpectrogramType",
            ),
        ),
        (),
        swapped=False,
    ),
    # the first value fits the second port, not the other way round: no swap
    SwapCase(
        "one-way",
        SPEC,
        LENS,
        LENS,
        Side("B D T", "AcousticEncodedRepresentation"),
        (
            element(
                "LengthsType is not SpectrogramType", '"B D T" SpectrogramType', '"B" LengthsType'
            ),
            axes("1 axis where 3 are expected", '"B D T" SpectrogramType', '"B" LengthsType'),
        ),
        (
            element(
                "AcousticEncodedRepresentation is not LengthsType",
                '"B" LengthsType',
                '"B D T" AcousticEncodedRepresentation',
            ),
            axes(
                "3 axes where 1 are expected",
                '"B" LengthsType',
                '"B D T" AcousticEncodedRepresentation',
            ),
        ),
        swapped=False,
    ),
)


def params(cases: tuple[Any, ...], face: str) -> list[Any]:
    """``cases`` as pytest parameters, strict xfail where ``face`` disagrees."""
    assert face in FACES
    out = []
    for case in cases:
        reason = case.xfail.get(face)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(case, id=case.id, marks=marks))
    return out


def concrete_shape(case: Case) -> tuple[int, ...]:
    """A shape for the runtime: the producer's axes made concrete (variadics take
    one axis)."""
    from neuraltypes._core import parse_axes

    prod = parse_axes(case.producer.axes, jaxtyping=case.producer.jaxtyping)
    cons = parse_axes(case.consumer.axes, jaxtyping=case.consumer.jaxtyping)
    shape = []
    for i, axis in enumerate(prod):
        other = cons[i] if i < len(cons) and not cons[i].variadic else None
        if axis.size is not None:
            shape.append(axis.size)
        elif other is not None and other.size is not None:
            shape.append(other.size)
        else:
            shape.append(2 + i)
    return tuple(shape)


def free_names(side: Side) -> list[str]:
    """Names used by size expressions of ``side`` that no earlier axis of it binds."""
    bound: set[str] = set()
    free: list[str] = []
    for axis in coerce_axes(side.axes, jaxtyping=side.jaxtyping) or ():
        if axis.expr is not None:
            free += sorted(axis.expr.variables() - bound - set(free))
        key = binding_key(axis)
        if key is not None:
            bound.add(key)
    return free
