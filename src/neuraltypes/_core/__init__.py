"""The semantic core of neuraltypes: standard library only, no torch, no mypy.

Everything that decides whether a neural type fits another lives here once; the
runtime shim and the mypy plugin both call it.
"""

from .axes import AxisType, BinOp, Num, SizeExpr, Var
from .compare import AxesOutcome, AxesVerdict, compare_axes, transpose_hint
from .elements import (
    ELEMENT_FULLNAME,
    VOID_FULLNAME,
    ElementInfo,
    ElementType,
    VoidType,
    compare_elements,
    element_info,
)
from .errors import (
    ERROR_CODES,
    NEURAL_AXES,
    NEURAL_ELEMENT,
    NEURAL_INTERNAL,
    NEURAL_PORT,
    NEURAL_SIZE,
    NEURAL_SPEC,
    Mismatch,
    NeuralTypeError,
    render_mismatches,
)
from .kinds import AxisKind, AxisKindAbstract
from .neural_type import NeuralType, coerce_axes, coerce_element, describe_parts
from .parse import AxisSpecError, parse_axes, parse_axis_token, render_axes
from .results import NeuralTypeComparisonResult
from .shapes import (
    BATCH_KEY,
    PortShape,
    ShapeProblem,
    ShapeSpecError,
    binding_key,
    check_shape,
    plan_port,
    plan_ports,
)
from .verdict import (
    check_connection,
    check_parts,
    element_problem,
    reveal_text,
    swap_hint,
    swapped_with,
    where_port,
    where_return,
)

__all__ = [
    "AxesOutcome",
    "AxesVerdict",
    "AxisKind",
    "AxisKindAbstract",
    "AxisSpecError",
    "AxisType",
    "BATCH_KEY",
    "BinOp",
    "ELEMENT_FULLNAME",
    "ERROR_CODES",
    "ElementInfo",
    "ElementType",
    "Mismatch",
    "NEURAL_AXES",
    "NEURAL_ELEMENT",
    "NEURAL_INTERNAL",
    "NEURAL_PORT",
    "NEURAL_SIZE",
    "NEURAL_SPEC",
    "NeuralType",
    "NeuralTypeComparisonResult",
    "NeuralTypeError",
    "Num",
    "PortShape",
    "ShapeProblem",
    "ShapeSpecError",
    "SizeExpr",
    "VOID_FULLNAME",
    "Var",
    "VoidType",
    "binding_key",
    "check_connection",
    "check_parts",
    "check_shape",
    "coerce_axes",
    "coerce_element",
    "describe_parts",
    "reveal_text",
    "compare_axes",
    "compare_elements",
    "element_info",
    "element_problem",
    "parse_axes",
    "parse_axis_token",
    "plan_port",
    "plan_ports",
    "render_axes",
    "render_mismatches",
    "swap_hint",
    "swapped_with",
    "transpose_hint",
    "where_port",
    "where_return",
]
