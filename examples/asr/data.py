"""A dataset of random "utterances", with a typed ``collate_fn``."""

from __future__ import annotations

import torch
from torch.nn.utils.rnn import pad_sequence

from neuraltypes import Dataset

from .asr_types import Audio, Labels, Lengths


class RandomSpeech(Dataset):
    """Random audio (1-3 s at 16 kHz) with random transcripts over ``vocab - 1`` letters."""

    def __init__(self, size: int = 64, vocab: int = 29, seed: int = 0) -> None:
        gen = torch.Generator().manual_seed(seed)
        self.items = []
        for _ in range(size):
            n = int(torch.randint(16_000, 48_000, (1,), generator=gen))
            audio = torch.randn(n, generator=gen) * 0.1
            labels = torch.randint(
                1, vocab, (int(torch.randint(5, 20, (1,), generator=gen)),), generator=gen
            )
            self.items.append((audio, labels))

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.items[index]

    def collate_fn(
        self, batch: list[tuple[torch.Tensor, torch.Tensor]]
    ) -> tuple[Audio, Lengths, Labels, Lengths]:
        audio = pad_sequence([a for a, _ in batch], batch_first=True)
        labels = pad_sequence([t for _, t in batch], batch_first=True)
        audio_len = torch.tensor([len(a) for a, _ in batch])
        label_len = torch.tensor([len(t) for _, t in batch])
        return audio, audio_len, labels, label_len
