"""Every YAML block in README.md and docs/freezing.md, and the example config file,
loads: the freeze configs build a scheduler on a model with the names they use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from torch import nn

from neuraltypes.freezing import FreezeScheduler, load_freeze_config

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```ya?ml\n(.*?)^```", re.MULTILINE | re.DOTALL)
DOCS = {"README.md": 1, "docs/freezing.md": 1}  # freeze configs expected in each


def yaml_blocks() -> list[tuple[str, str]]:
    return [
        (f"{doc}#{i}", block)
        for doc in DOCS
        for i, block in enumerate(FENCE.findall((ROOT / doc).read_text()), 1)
    ]


def is_freeze_config(block: str) -> bool:
    return "freeze_updates" in block or "modules:" in block


class Layered(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])


class AsrModel(nn.Module):
    """Carries every module name the documented configs use."""

    def __init__(self) -> None:
        super().__init__()
        self.encoder = Layered()
        self.decoder = Layered()
        self.joint = nn.Linear(2, 2)
        self.transcoder = nn.Linear(2, 2)


def test_each_doc_shows_the_expected_number_of_freeze_configs() -> None:
    found = {doc: 0 for doc in DOCS}
    for name, block in yaml_blocks():
        found[name.split("#")[0]] += is_freeze_config(block)
    assert found == DOCS


@pytest.mark.parametrize(("name", "block"), yaml_blocks(), ids=[n for n, _ in yaml_blocks()])
def test_every_yaml_block_loads(name: str, block: str) -> None:
    data = yaml.safe_load(block)
    if not is_freeze_config(block):
        assert data  # another kind of YAML (a CI step): it parses
        return
    schedule = load_freeze_config(block)
    assert schedule.enabled and schedule.ranges
    model = AsrModel()
    FreezeScheduler(model, schedule).apply(0)
    frozen = {n for n, p in model.named_parameters() if not p.requires_grad}
    assert frozen  # every documented config freezes something at update 1


def test_example_config_file_loads() -> None:
    path = ROOT / "examples" / "asr" / "freeze.yaml"
    schedule = load_freeze_config(path)
    assert dict(schedule.ranges) == {"encoder": (1, 10), "decoder": (25, 30)}
    FreezeScheduler(AsrModel(), schedule).apply(0)


def test_a_yaml_config_without_pyyaml_says_what_to_install() -> None:
    """Without PyYAML (an optional extra), reading YAML names the extra, not a bare
    'No module named yaml'; a dict needs no extra."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['yaml'] = None\n"
        "from neuraltypes.freezing import load_freeze_config\n"
        "print(load_freeze_config({'enabled': True, 'modules': {'encoder': 3}}) is not None)\n"
        "try:\n"
        "    load_freeze_config('enabled: true\\nmodules: {encoder: 3}\\n')\n"
        "except ModuleNotFoundError as err:\n"
        "    print(err)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [
        "True",
        "reading a YAML freeze config needs PyYAML: pip install 'neuraltypes[config]' "
        "(or pass the schedule as a dict)",
    ]
