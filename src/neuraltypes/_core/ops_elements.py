"""What an operation does to a tensor's element type and dtype: the meaning table.

Most operations keep the element (a copy, a reorder of axes, an activation) or
lose it (arithmetic whose result has no element type of its own). The table
below lists the few where the element types themselves say what comes out:
``log_softmax`` of logits over the class axis is log-probs, ``exp`` of log-probs
is probs, and so on. A subclass counts as its parent (``MyLogits(LogitsType)``
is logits here).
"""

from __future__ import annotations

from .elements import ELEMENT_FULLNAME
from .ops_model import Element, short_name

__all__ = [
    "CLASS_AXIS_MEANINGS",
    "DTYPE_CATEGORIES",
    "MEANINGS",
    "dtype_category",
    "join_elements",
    "meaning",
]


def _element(name: str) -> Element:
    """The element tuple of one of neuraltypes' element classes (whose parent is
    ElementType); a test checks these against the classes themselves."""
    return (f"neuraltypes.elements.{name}", ELEMENT_FULLNAME)


LOGITS = _element("LogitsType")
PROBS = _element("ProbsType")
LOGPROBS = _element("LogprobsType")
LOSS = _element("LossType")
LENGTHS = _element("LengthsType")
TOKEN_DURATION = _element("TokenDurationType")
TOKEN_LOG_DURATION = _element("TokenLogDurationType")
# PredictionsType derives from LabelsType
PREDICTIONS = (
    "neuraltypes.elements.PredictionsType",
    "neuraltypes.elements.LabelsType",
    ELEMENT_FULLNAME,
)

#: meaning key -> {element of the input (or an ancestor of it): element out}
MEANINGS: dict[str, dict[str, Element]] = {
    "exp": {LOGPROBS[0]: PROBS, TOKEN_LOG_DURATION[0]: TOKEN_DURATION},
    "log": {PROBS[0]: LOGPROBS, TOKEN_DURATION[0]: TOKEN_LOG_DURATION},
    "sigmoid": {LOGITS[0]: PROBS},
    "logsigmoid": {LOGITS[0]: LOGPROBS},
    "softmax": {LOGITS[0]: PROBS, LOGPROBS[0]: PROBS},
    "log_softmax": {LOGITS[0]: LOGPROBS, LOGPROBS[0]: LOGPROBS},
    "argmax": {LOGITS[0]: PREDICTIONS, PROBS[0]: PREDICTIONS, LOGPROBS[0]: PREDICTIONS},
    "sum": {LOSS[0]: LOSS},
    "mean": {LOSS[0]: LOSS},
    "max": {LENGTHS[0]: LENGTHS},
    "min": {LENGTHS[0]: LENGTHS},
}

#: meaning keys that apply only over the class axis (an axis of kind ``D``/``C``);
#: over any other axis, or a dim that is not a literal, the element is unknown
CLASS_AXIS_MEANINGS = frozenset({"softmax", "log_softmax", "argmax"})


def meaning(key: str, element: Element | None) -> Element | None:
    """The element ``key`` gives an input of ``element``, or None when the table
    does not say."""
    table = MEANINGS.get(key)
    if table is None or element is None:
        return None
    for name in element:
        found = table.get(name)
        if found is not None:
            return found
    return None


def describe_meaning(key: str) -> str:
    """``LogprobsType -> ProbsType, TokenLogDurationType -> TokenDurationType``."""
    pairs = (f"{short_name(k)} -> {short_name(v[0])}" for k, v in MEANINGS[key].items())
    return ", ".join(pairs)


def join_elements(elements: list[Element | None]) -> Element | None:
    """The element of a result several operands make: kept when the operands that
    have one agree, unknown otherwise."""
    known = {e for e in elements if e is not None}
    return known.pop() if len(known) == 1 else None


#: torch dtype name -> jaxtyping's dtype category for it
DTYPE_CATEGORIES: dict[str, str] = {
    "float16": "Float16",
    "half": "Float16",
    "bfloat16": "BFloat16",
    "float32": "Float32",
    "float": "Float32",
    "float64": "Float64",
    "double": "Float64",
    "complex64": "Complex64",
    "cfloat": "Complex64",
    "complex128": "Complex128",
    "cdouble": "Complex128",
    "int8": "Int8",
    "int16": "Int16",
    "short": "Int16",
    "int32": "Int32",
    "int": "Int32",
    "int64": "Int64",
    "long": "Int64",
    "uint8": "UInt8",
    "bool": "Bool",
}


def dtype_category(name: str) -> str | None:
    """jaxtyping's category for a torch dtype name (``long`` -> ``Int64``)."""
    return DTYPE_CATEGORIES.get(name)
