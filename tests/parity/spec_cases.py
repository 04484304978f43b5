"""The spec cases of the parity table: malformed annotations.

Each case is ``Annotated[base, *metadata]`` on port ``x`` of a function
``spec_<id>``; ``reason`` is what is wrong. How each face words it:

- the runtime raises ``spec_<id> port "x": {reason}`` when the function is
  decorated;
- the plugin reports ``neural type annotation: {reason}`` on the line of the
  annotation (it reads an annotation on its own, before it knows whose port it is);
- the core: a malformed axis string is its :class:`AxisSpecError`, whose text both
  faces show after ``malformed axis string:``; every other reason is worded by one
  function of ``neuraltypes._core.spec_errors``, which both faces call.

``xfail`` maps a face to why it does not give the table's text yet (see
:mod:`.cases`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

MALFORMED: Final = "malformed axis string: "


@dataclass(frozen=True)
class Element:
    """An element class of :mod:`neuraltypes.elements`, named in metadata."""

    name: str


@dataclass(frozen=True)
class Jax:
    """The annotated type ``Float[Tensor, axes]``."""

    axes: str


@dataclass(frozen=True, eq=False)
class SpecCase:
    """``Annotated[base, *metadata]`` on port ``x`` of ``spec_<id>``; ``base`` is
    ``"Tensor"``, ``"int"`` or a :class:`Jax`."""

    id: str
    base: str | Jax
    metadata: tuple[str | int | Element, ...]
    reason: str
    xfail: dict[str, str] = field(default_factory=dict)
    #: why the plugin, by design, reports nothing here (the runtime does)
    plugin_silent: str | None = None

    @property
    def ident(self) -> str:
        return self.id.replace("-", "_")

    @property
    def owner(self) -> str:
        return f"spec_{self.ident}"

    @property
    def axis_string(self) -> str | None:
        """The axis string the core reads, for a malformed-axis-string case."""
        if self.reason.startswith(MALFORMED):
            (axes,) = (item for item in self.metadata if isinstance(item, str))
            return axes
        return None


SPEC_CASES: tuple[SpecCase, ...] = (
    SpecCase(
        "expression",
        "Tensor",
        ("B D+ T",),
        MALFORMED + '"B D+ T": unexpected end of expression after "D+"',
    ),
    SpecCase("parenthesis", "Tensor", ("B (D T",), MALFORMED + '"B (D T": unclosed "(" in "(D"'),
    SpecCase(
        "two-variadics",
        "Tensor",
        ("B ... ... T", Element("SpectrogramType")),
        MALFORMED + '"B ... ... T": only one variadic axis ("*name" or "...") is allowed; '
        'found "..." after "..."',
    ),
    SpecCase(
        "two-axis-strings",
        "Tensor",
        ("B D T", "B T"),
        'two axis strings, "B D T" and "B T"',
    ),
    SpecCase(
        "two-elements",
        "Tensor",
        ("B D T", Element("SpectrogramType"), Element("LogitsType")),
        "two element types, SpectrogramType and LogitsType",
    ),
    SpecCase(
        "element-on-int",
        "int",
        ("B D T", Element("SpectrogramType")),
        "neural type metadata on int, not on a Tensor",
    ),
    SpecCase(
        "axes-on-int",
        "int",
        ("B D T",),
        "neural type metadata on int, not on a Tensor",
        plugin_silent="a string is common metadata on any type (Annotated[str, 'help text']): "
        "statically only an element type marks metadata as neuraltypes'; the runtime reads "
        "the annotations of a decorated function only, where an axis string is meant as one",
    ),
    SpecCase(
        "unexpected-metadata",
        "Tensor",
        ("B D T", Element("SpectrogramType"), 3),
        "unexpected metadata 3: expected an axis string and an element type "
        "(an ElementType class or instance)",
    ),
    SpecCase(
        "jaxtyping-and-axis-string",
        Jax("b t"),
        ("B T",),
        'two axis strings, "b t" and "B T"',
    ),
)
