"""The values the propagation rules read and return (see :mod:`.ops`).

A rule reads the neural types of a call's tensor arguments (:class:`TensorType`)
and the call's *literal* arguments, and returns an :class:`Outcome`: the result's
neural type, or None when the rules do not decide it, plus any conflict the rule
itself found (a broadcast of axes that cannot meet, logits given to a loss that
wants log-probs).
"""

from __future__ import annotations

from types import EllipsisType
from typing import Union

from .axes import AxisType
from .elements import ElementInfo
from .errors import Mismatch, render_mismatches
from .neural_type import describe_parts
from .record import record, set_field

__all__ = [
    "Arg",
    "Dtype",
    "Element",
    "NOT_LITERAL",
    "NOT_DECIDED",
    "Outcome",
    "Problem",
    "Result",
    "SCALAR",
    "TensorType",
    "UNKNOWN_TENSOR",
    "describe_tensor",
    "element_info_of",
]

#: An element class as the rules see it: its full name and its ancestors' full
#: names, most specific first (``("neuraltypes.elements.LogprobsType",
#: "neuraltypes._core.elements.ElementType")``), as :attr:`ElementInfo.ancestors`.
Element = tuple[str, ...]


@record
class TensorType:
    """The neural type of one tensor, as the propagation rules see it.

    Attributes:
        axes: the axes (from :func:`parse_axes` or :func:`coerce_axes`), or None when
            unknown. ``()`` is a scalar tensor.
        element: the element class (see :data:`Element`), or None when unknown.
        dtype: jaxtyping's dtype category (``"Float32"``, ``"Int64"``, ``"Float"``,
            ...), or None when unknown or not stated.
        jaxtyping: the axes are jaxtyping style; render a result's axes with
            :func:`render_axes` and parse them back with this flag.
    """

    axes: tuple[AxisType, ...] | None
    element: Element | None = None
    dtype: str | None = None
    jaxtyping: bool = False

    def __post_init__(self) -> None:
        if self.element is not None and not self.element:
            raise ValueError("an element is a non-empty tuple of full class names, or None")

    @property
    def is_unknown(self) -> bool:
        """Nothing is known: a plain ``Tensor``."""
        return self.axes is None and self.element is None and self.dtype is None

    def replace(
        self,
        axes: tuple[AxisType, ...] | None,
        element: Element | None,
        dtype: str | None,
    ) -> TensorType:
        """A tensor type with new parts and this one's axis style."""
        return TensorType(axes, element, dtype, self.jaxtyping)


#: A tensor whose neural type is unknown (a plain ``Tensor``).
UNKNOWN_TENSOR = TensorType(None)


@record
class Dtype:
    """A torch dtype named literally in a call (``torch.float32`` is
    ``Dtype("float32")``; aliases such as ``long`` are accepted)."""

    name: str

    def __post_init__(self) -> None:
        set_field(self, "name", self.name.removeprefix("torch."))


class _Marker:
    """A value that stands for an argument the rules cannot read literally."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name

    def __reduce__(self) -> str:
        return self._name


#: An argument whose value is not a literal and whose type is not known to be a
#: number: anything at all, a tensor included.
NOT_LITERAL = _Marker("NOT_LITERAL")
#: A Python ``int`` or ``float`` (not a ``bool``) whose value is not a literal: an
#: elementwise operand, or an index that drops one axis.
SCALAR = _Marker("SCALAR")

#: One argument of a call: a tensor's type, a literal (int, float, bool, str, None,
#: ``...``, a ``slice`` of literals, a :class:`Dtype`, a tuple of these), or a marker.
Arg = Union[
    TensorType, int, float, str, None, EllipsisType, slice, Dtype, _Marker, tuple["Arg", ...]
]

#: What a call returns: a tensor's type, a tuple of results (``x.max(dim)``,
#: ``nn.LSTM``), or None (the rules do not decide it: a plain ``Tensor``).
Result = Union[TensorType, tuple["Result", ...], None]


@record
class Problem:
    """A conflict a rule found, and where (``operator "+"``,
    ``CTCLoss.forward port "log_probs"``); ``others``: more mismatches of the same
    value (one message, one error)."""

    where: str
    mismatch: Mismatch
    others: tuple[Mismatch, ...] = ()

    def render(self) -> str:
        """The message, in the one wording of :func:`render_mismatches`."""
        return render_mismatches(self.where, (self.mismatch, *self.others))


@record
class Outcome:
    """What a rule decided: the result's type (None: not decided, the result carries
    no neural type) and the conflicts it found (each one an error to report)."""

    result: Result
    problems: tuple[Problem, ...] = ()


#: The rules do not decide this call: no neural type, no problem.
NOT_DECIDED = Outcome(None)


def short_name(fullname: str) -> str:
    """``LogprobsType`` for ``neuraltypes.elements.LogprobsType``."""
    return fullname.rpartition(".")[2]


def element_info_of(element: Element) -> ElementInfo:
    """The :class:`ElementInfo` the comparison rules read (parameters unknown)."""
    return ElementInfo(short_name(element[0]), element, None)


def describe_tensor(tensor: TensorType) -> str:
    """``"B T C" LogitsType``; an unknown element is left out, unknown axes are
    shown as unspecified."""
    if tensor.element is None:
        return describe_parts(tensor.axes, "").rstrip()
    return describe_parts(tensor.axes, short_name(tensor.element[0]))
