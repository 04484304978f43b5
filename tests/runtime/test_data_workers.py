"""Batches made in DataLoader worker processes keep their neural types, for every
start method, so that element checks go on working with ``num_workers > 0``."""

from typing import Annotated

import pytest
import torch
from torch import Tensor

from neuraltypes import Dataset, NeuralType, typecheck
from neuraltypes.elements import LabelsType, LengthsType, SpectrogramType

from .models import Encoder, error

Labels = Annotated[Tensor, "B", LabelsType]  # one class label per utterance


class Utterances(Dataset):
    """Features, their lengths and a label each."""

    def __len__(self) -> int:
        return 4

    def __getitem__(self, i: int) -> tuple[Tensor, int, int]:
        return torch.randn(8, 10), 10 - i, i % 2

    @typecheck()
    def collate_fn(
        self, items: list[tuple[Tensor, int, int]]
    ) -> tuple[
        Annotated[Tensor, "B D T", SpectrogramType],
        Annotated[Tensor, "B", LengthsType],
        Labels,
    ]:
        features, lengths, labels = zip(*items)
        return torch.stack(features), torch.tensor(lengths), torch.tensor(labels)


@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_batches_from_worker_processes_keep_their_tags(method: str) -> None:
    data = Utterances()
    loader = torch.utils.data.DataLoader(
        data,
        batch_size=2,
        collate_fn=data.collate_fn,
        num_workers=2,
        multiprocessing_context=method,
    )
    features, lengths, labels = next(iter(loader))
    assert features.neural_type == NeuralType("B D T", SpectrogramType)
    assert lengths.neural_type == NeuralType("B", LengthsType)
    assert labels.neural_type == NeuralType("B", LabelsType)
    assert Encoder()(features, lengths)[0].shape == (2, 16, 10)
    err = error(lambda: Encoder()(features, labels))  # labels into a lengths port
    assert (err.code, str(err)) == (
        "neural-element",
        'Encoder.forward port "length": LabelsType is not LengthsType (expected "B" '
        'LengthsType, found "B" LabelsType, shape (2,))',
    )
