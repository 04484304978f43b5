"""Train the example model for a few dozen updates on random data (CPU, seconds).

Run from the repository root: ``python -m examples.asr.train`` (``--steps N`` for
another number of updates). It needs only torch and neuraltypes. The encoder is frozen
for the first updates and the decoder for a window, as ``FREEZE_UPDATES`` says.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import torch
from torch.utils.data import DataLoader

from neuraltypes.freezing import FreezeScheduler, load_freeze_config

from .data import RandomSpeech
from .model import CTCLoss, SpeechRecognizer

#: The freeze schedule: the ``freeze_updates`` section of a NeMo-style model config,
#: written as a dict so that reading it needs nothing beyond neuraltypes.
#: ``freeze.yaml`` holds the same schedule as a YAML config file;
#: ``load_freeze_config("freeze.yaml")`` reads that form, with PyYAML installed (the
#: ``config`` extra: ``pip install "neuraltypes[config]"``).
FREEZE_UPDATES = {
    "enabled": True,
    "modules": {
        "encoder": 10,  # frozen for the first 10 updates: the decoder warms up first
        "decoder": [25, 30],  # frozen for updates 25..30, inclusive
    },
}


def train(steps: int = 40, seed: int = 0) -> list[float]:
    torch.manual_seed(seed)
    data = RandomSpeech(size=32, seed=seed)
    loader = DataLoader(data, batch_size=8, shuffle=True, collate_fn=data.collate_fn)
    model = SpeechRecognizer()
    loss_fn = CTCLoss()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    schedule = FreezeScheduler(model, load_freeze_config(FREEZE_UPDATES))
    losses: list[float] = []
    while len(losses) < steps:
        for audio, audio_len, labels, label_len in loader:
            schedule.apply(len(losses))  # = optimizer updates done so far
            log_probs, lengths = model(audio, audio_len)
            loss = loss_fn(
                log_probs=log_probs,
                targets=labels,
                input_lengths=lengths,
                target_lengths=label_len,
            )
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            if len(losses) == steps:
                break
    return losses


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train the example ASR model on random data.")
    parser.add_argument("--steps", type=int, default=40, help="optimizer updates (default 40)")
    history = train(steps=parser.parse_args(argv).steps)
    print(f"{len(history)} updates, loss {history[0]:.3f} -> {history[-1]:.3f}")


if __name__ == "__main__":
    main()
