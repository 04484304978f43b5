"""The shipped examples: mypy with the plugin reports exactly their one wiring bug,
the runtime shim catches the same bug, training runs (with nothing but torch and
neuraltypes installed), other checkers stay quiet."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from neuraltypes import NeuralTypeError
from neuraltypes.freezing import load_freeze_config

from .plugin.mypy_runner import run_mypy

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("example", ["quickstart", "asr"])
def test_mypy_reports_the_wiring_bug(example: str, mypy_cache: Path, tmp_path: Path) -> None:
    folder = tmp_path / example
    shutil.copytree(ROOT / "examples" / example, folder)
    run = run_mypy(folder, mypy_cache)
    expected = (folder / "expected_output.txt").read_text().splitlines()
    assert run.stdout.splitlines() == expected
    assert run.status == 1
    assert len(expected) == 1 and "[neural-axes]" in expected[0]


def test_runtime_catches_the_same_bug() -> None:
    from examples.asr.buggy import BuggyRecognizer

    with pytest.raises(NeuralTypeError) as info:
        BuggyRecognizer()(torch.randn(2, 16_000), torch.tensor([16_000, 12_000]))
    assert str(info.value) == (
        'CTCDecoder.forward port "encoder_output": axes are transposed (expected "B T D" '
        'AcousticEncodedRepresentation, found "B D T" AcousticEncodedRepresentation, '
        "shape (2, 64, 25)); did you mean .transpose(1, 2)?"
    )


def test_asr_example_trains_with_its_freeze_schedule() -> None:
    from examples.asr.train import train

    losses = train(steps=12)
    assert len(losses) == 12
    assert all(math.isfinite(x) for x in losses)
    assert losses[-1] < losses[0]


# Runs ``python -m examples.asr.train`` as a user would, with PyYAML and OmegaConf
# unimportable (they come with the optional ``config`` extra, not with neuraltypes).
WITHOUT_CONFIG_EXTRA = """
import runpy, sys
sys.modules["yaml"] = sys.modules["omegaconf"] = None  # as if not installed
sys.argv = ["train", "--steps", "3"]
runpy.run_module("examples.asr.train", run_name="__main__", alter_sys=True)
"""


def test_asr_training_command_needs_no_extra() -> None:
    run = subprocess.run(
        [sys.executable, "-c", WITHOUT_CONFIG_EXTRA], cwd=ROOT, capture_output=True, text=True
    )
    assert run.stderr == ""
    assert run.returncode == 0
    assert re.fullmatch(r"3 updates, loss \d+\.\d{3} -> \d+\.\d{3}\n", run.stdout)


def test_asr_yaml_config_holds_the_schedule_train_uses() -> None:
    from examples.asr.train import FREEZE_UPDATES

    from_yaml = load_freeze_config(ROOT / "examples" / "asr" / "freeze.yaml")
    assert from_yaml == load_freeze_config(FREEZE_UPDATES)
    assert dict(from_yaml.ranges) == {"encoder": (1, 10), "decoder": (25, 30)}


def test_other_checkers_see_no_errors() -> None:
    exe = shutil.which("basedpyright", path=str(Path(sys.executable).parent))
    assert exe is not None, "basedpyright is a dev dependency"
    out = subprocess.run(
        [exe, "--outputjson", "--pythonpath", sys.executable],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    report = json.loads(out.stdout)
    errors = [d for d in report["generalDiagnostics"] if d["severity"] == "error"]
    assert errors == []
    assert report["summary"]["filesAnalyzed"] >= 9
