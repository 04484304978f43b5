"""neuraltypes: neural types (axes + semantic element types) for PyTorch modules.

Write them as ``typing.Annotated`` annotations on ``forward``::

    Spec = Annotated[Tensor, "B D T", SpectrogramType]

and check wiring statically (the ``neuraltypes_mypy`` plugin) and at call time
(``@typecheck()``). ``import neuraltypes`` does not import torch.
"""

from ._core import (
    AxisKind,
    AxisKindAbstract,
    AxisSpecError,
    AxisType,
    ElementType,
    NeuralType,
    NeuralTypeComparisonResult,
    NeuralTypeError,
    VoidType,
)

__version__ = "0.1.0"

__all__ = [
    "AxisKind",
    "AxisKindAbstract",
    "AxisSpecError",
    "AxisType",
    "ElementType",
    "NeuralType",
    "NeuralTypeComparisonResult",
    "NeuralTypeError",
    "VoidType",
    "__version__",
]
