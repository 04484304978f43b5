"""The same model with one wiring bug: the transpose before the decoder is missing.

``mypy examples/asr`` reports it before anything runs; running this file shows the
runtime shim catching the same bug: ``python -m examples.asr.buggy``.
"""

from __future__ import annotations

import torch

from neuraltypes import NeuralTypeError

from .asr_types import Audio, Lengths, LogProbs
from .model import SpeechRecognizer


class BuggyRecognizer(SpeechRecognizer):
    def forward(self, audio: Audio, audio_len: Lengths) -> tuple[LogProbs, Lengths]:
        mel, mel_len = self.preprocessor(audio=audio, audio_len=audio_len)
        encoded, encoded_len = self.encoder(mel, mel_len)
        logits = self.decoder(encoder_output=encoded)  # the bug: encoded.transpose(1, 2)
        return logits.log_softmax(dim=-1), encoded_len


def main() -> None:
    model = BuggyRecognizer()
    audio = torch.randn(2, 16_000)
    try:
        model(audio, torch.tensor([16_000, 12_000]))
    except NeuralTypeError as err:
        print(f"caught at run time [{err.code}]: {err}")
    else:
        raise SystemExit("the wiring bug was not caught")


if __name__ == "__main__":
    main()
