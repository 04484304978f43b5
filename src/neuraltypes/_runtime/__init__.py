"""The runtime shim: NeuralModule, Dataset, Loss and @typecheck (imports torch)."""

from .module import Dataset, IterableDataset, Loss, NeuralModule
from .typecheck import typecheck

__all__ = ["Dataset", "IterableDataset", "Loss", "NeuralModule", "typecheck"]
