"""Error codes, the exception the runtime raises, and where messages are worded."""

from __future__ import annotations

from collections.abc import Sequence

from .record import record

__all__ = [
    "NEURAL_ELEMENT",
    "NEURAL_AXES",
    "NEURAL_SIZE",
    "NEURAL_SPEC",
    "NEURAL_PORT",
    "NEURAL_INTERNAL",
    "ERROR_CODES",
    "Mismatch",
    "NeuralTypeError",
    "render_mismatches",
]

NEURAL_ELEMENT = "neural-element"
NEURAL_AXES = "neural-axes"
NEURAL_SIZE = "neural-size"
NEURAL_SPEC = "neural-spec"
NEURAL_PORT = "neural-port"
NEURAL_INTERNAL = "neural-internal"

#: Every error code, with the one-line description the docs and mypy show.
ERROR_CODES: dict[str, str] = {
    NEURAL_ELEMENT: "Element type of a tensor does not fit the port (e.g. logits into probs)",
    NEURAL_AXES: "Axes of a tensor do not fit the port (rank, axis kinds, transposition)",
    NEURAL_SIZE: "A fixed axis size or a size bound within one call differs",
    NEURAL_SPEC: "Malformed neural type annotation (axis string, element type)",
    NEURAL_PORT: "Wrong port use at run time (unknown or missing port, non-tensor value)",
    NEURAL_INTERNAL: "Internal error of the neuraltypes mypy plugin (please report it)",
}


@record
class Mismatch:
    """One reason a value does not fit a port, as data.

    Attributes:
        code: an error code from :data:`ERROR_CODES`.
        problem: what is wrong, e.g. ``SpectrogramType is not LogitsType``.
        expected: the declared type, e.g. ``"B T C" LogitsType``.
        found: the given type (at run time with its shape).
        hint: a suggestion, e.g. ``did you mean .transpose(1, 2)?``.
    """

    code: str
    problem: str
    expected: str
    found: str
    hint: str | None = None

    def render(self, where: str) -> str:
        """The message, in the one wording the plugin and the runtime share::

        Decoder.forward port "x": SpectrogramType is not LogitsType (expected
        "B T C" LogitsType, found "B D T" SpectrogramType)
        """
        text = f"{where}: {self.problem} (expected {self.expected}, found {self.found})"
        if self.hint:
            text += f"; {self.hint}"
        return text


def render_mismatches(where: str, mismatches: Sequence[Mismatch], hint: str | None = None) -> str:
    """The one message for all the reasons one value does not fit its port (the
    plugin reports it as one error, the runtime raises it): the first in full, then
    ``; also {problem}`` for each other one (its hint dropped)::

        Loss.forward port "lengths": AcousticEncodedRepresentation is not
        LengthsType (expected "B" LengthsType, found "B D T"
        AcousticEncodedRepresentation); also 3 axes where 1 are expected

    ``hint`` is about the whole call (e.g. swapped arguments): it comes last, in
    place of the first mismatch's own hint."""
    first = mismatches[0]
    if hint is not None:
        first = Mismatch(first.code, first.problem, first.expected, first.found)
    text = first.render(where) + "".join(f"; also {m.problem}" for m in mismatches[1:])
    return f"{text}; {hint}" if hint else text


class NeuralTypeError(TypeError):
    """A value does not fit a neural type, or a neural type annotation is malformed.

    ``mismatches`` holds the :class:`Mismatch` records behind the message (empty for
    errors that are not about a value, such as a malformed annotation); ``code`` is
    the error code of the first one (or ``neural-spec`` / ``neural-port``).
    """

    # where users import it from, and so how tracebacks and pickles name it
    __module__ = "neuraltypes"

    def __init__(
        self, message: str, mismatches: Sequence[Mismatch] = (), *, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.mismatches = tuple(mismatches)
        self.code = code or (self.mismatches[0].code if self.mismatches else NEURAL_PORT)
