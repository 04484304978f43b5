"""Train the example model for a few dozen updates on random data (CPU, seconds).

Run from the repository root: ``python -m examples.asr.train``. The encoder is frozen
for the first updates and the decoder for a window, as ``freeze.yaml`` says.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch.utils.data import DataLoader

from neuraltypes.freezing import FreezeScheduler, load_freeze_config

from .data import RandomSpeech
from .model import CTCLoss, SpeechRecognizer


def train(steps: int = 40, seed: int = 0) -> list[float]:
    torch.manual_seed(seed)
    data = RandomSpeech(size=32, seed=seed)
    loader = DataLoader(data, batch_size=8, shuffle=True, collate_fn=data.collate_fn)
    model = SpeechRecognizer()
    loss_fn = CTCLoss()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    schedule = FreezeScheduler(model, load_freeze_config(Path(__file__).with_name("freeze.yaml")))
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


if __name__ == "__main__":
    history = train()
    print(f"{len(history)} updates, loss {history[0]:.3f} -> {history[-1]:.3f}")
