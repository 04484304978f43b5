"""The three kinds of neural module: modules, datasets and losses."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import torch
from torch.utils import data

from .._core import NeuralType
from ..elements import LossType
from .annotations import PortSpec, signature_ports

__all__ = ["NeuralModule", "Dataset", "IterableDataset", "Loss", "DERIVED_PROPERTIES"]

_DERIVED: dict[tuple[type, str], tuple[dict[str, NeuralType], dict[str, NeuralType]]] = {}


def derived_types(cls: type, method: str) -> tuple[dict[str, NeuralType], dict[str, NeuralType]]:
    """Input and output port types read from ``cls.<method>``'s annotations (cached)."""
    key = (cls, method)
    found = _DERIVED.get(key)
    if found is None:
        fn: Callable[..., Any] | None = getattr(cls, method, None)
        if fn is None:
            found = ({}, {})
        else:
            fn = getattr(fn, "__wrapped__", fn)
            inputs, outputs, _, _ = signature_ports(fn, f"{cls.__name__}.{method}")
            found = (_as_dict(inputs), _as_dict(outputs))
        _DERIVED[key] = found
    return found


def _as_dict(ports: list[PortSpec]) -> dict[str, NeuralType]:
    return {port.name: port.type for port in ports}


class NeuralModule(torch.nn.Module):
    """A ``torch.nn.Module`` with neural types.

    Annotate ``forward`` (``Annotated[Tensor, "B D T", SpectrogramType]``) and decorate
    it with ``@typecheck()``; ``input_types``/``output_types`` are then derived from
    the annotations. NeMo-style modules may instead override the two properties.
    """

    _frozen_grad_map: dict[str, bool] | None = None

    @property
    def input_types(self) -> dict[str, NeuralType] | None:
        """Ordered ``{port name: NeuralType}`` of ``forward``'s inputs."""
        return derived_types(type(self), "forward")[0] or None

    @property
    def output_types(self) -> dict[str, NeuralType] | None:
        """Ordered ``{port name: NeuralType}`` of ``forward``'s outputs."""
        return derived_types(type(self), "forward")[1] or None

    def freeze(self) -> None:
        """Stop training every parameter and switch to eval mode.

        The previous ``requires_grad`` of each parameter is kept (a second
        ``freeze()`` does not overwrite it) for :meth:`unfreeze` to restore.
        """
        if self._frozen_grad_map is None:
            self._frozen_grad_map = {n: p.requires_grad for n, p in self.named_parameters()}
        for param in self.parameters():
            param.requires_grad_(False)
        self.eval()

    def unfreeze(self, partial: bool = False) -> None:
        """Train again and switch to train mode.

        With ``partial=True`` only parameters that were trainable before
        :meth:`freeze` are unfrozen; otherwise every parameter is.
        """
        saved = self._frozen_grad_map
        for name, param in self.named_parameters():
            if partial and saved is not None:
                param.requires_grad_(saved.get(name, True))
            else:
                param.requires_grad_(True)
        self._frozen_grad_map = None
        self.train()

    @contextlib.contextmanager
    def as_frozen(self) -> Iterator[NeuralModule]:
        """Frozen and in eval mode inside the block; exactly as before afterwards."""
        training = {name: m.training for name, m in self.named_modules()}
        grads = {name: p.requires_grad for name, p in self.named_parameters()}
        saved = self._frozen_grad_map
        self.freeze()
        try:
            yield self
        finally:
            for name, param in self.named_parameters():
                param.requires_grad_(grads[name])
            for name, module in self.named_modules():
                module.train(training[name])
            self._frozen_grad_map = saved

    @property
    def num_weights(self) -> int:
        """The number of trainable parameter elements."""
        return sum(p.numel() for p in self.parameters() if p.requires_grad)


class Loss(NeuralModule):
    """A neural module computing a loss: typed inputs; the output is
    ``NeuralType(None, LossType())`` unless ``forward`` annotates another."""

    @property
    def output_types(self) -> dict[str, NeuralType] | None:
        return derived_types(type(self), "forward")[1] or {"loss": NeuralType(None, LossType())}


class _TypedBatches:
    """Ports of a dataset: no inputs; outputs from ``collate_fn``'s return annotation."""

    @property
    def input_types(self) -> dict[str, NeuralType] | None:
        return None

    @property
    def output_types(self) -> dict[str, NeuralType] | None:
        return derived_types(type(self), "collate_fn")[1] or None


class Dataset(_TypedBatches, data.Dataset):  # type: ignore[type-arg]
    """A ``torch.utils.data.Dataset`` whose batches are typed by the annotations of
    its ``collate_fn`` return (or an ``output_types`` property)."""


class IterableDataset(_TypedBatches, data.IterableDataset):  # type: ignore[type-arg]
    """An iterable dataset typed like :class:`Dataset`."""


DERIVED_PROPERTIES: frozenset[object] = frozenset(
    cls.__dict__[name]
    for cls in (NeuralModule, _TypedBatches)
    for name in ("input_types", "output_types")
)
