"""The plugin's one setting, module_call_returns, and its validation."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SOURCE = """\
from torch import Tensor, nn


class Plain(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return x


def use(m: Plain, x: Tensor) -> None:
    reveal_type(m(x))
"""


def run(folder: Path, cache: Path, config: str) -> subprocess.CompletedProcess[str]:
    (folder / "mypy.ini").write_text(config)
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache), "--no-error-summary",
         "--hide-error-context", "--no-pretty", "settings_use.py"],
        cwd=folder, capture_output=True, text=True, env={**os.environ, "MYPY_FORCE_COLOR": "0"},
    )  # fmt: skip


def test_module_call_returns(tmp_path: Path, mypy_cache: Path) -> None:
    (tmp_path / "settings_use.py").write_text(SOURCE)
    cache = tmp_path / "cache"
    shutil.copytree(mypy_cache, cache)
    default = run(tmp_path, cache, "[mypy]\nplugins = neuraltypes_mypy\n")
    assert default.stdout.strip() == 'settings_use.py:10: note: Revealed type is "Any"'
    every = run(
        tmp_path,
        cache,
        "[mypy]\nplugins = neuraltypes_mypy\n\n[neuraltypes_mypy]\nmodule_call_returns = all\n",
    )
    assert every.stdout.strip() == (
        'settings_use.py:10: note: Revealed type is "torch._tensor.Tensor"'
    )
    # the same cache again with the default: not the answer cached by the last run
    back = run(tmp_path, cache, "[mypy]\nplugins = neuraltypes_mypy\n")
    assert back.stdout.strip() == 'settings_use.py:10: note: Revealed type is "Any"'


def test_bad_setting_is_a_clear_error(tmp_path: Path, mypy_cache: Path) -> None:
    (tmp_path / "settings_use.py").write_text(SOURCE)
    bad_value = run(
        tmp_path,
        tmp_path / "cache",
        "[mypy]\nplugins = neuraltypes_mypy\n\n[neuraltypes_mypy]\nmodule_call_returns = some\n",
    )
    assert bad_value.returncode == 2
    assert bad_value.stderr.strip() == (
        "neuraltypes_mypy: mypy.ini: [neuraltypes_mypy] module_call_returns = "
        "'some' is not one of neural, all"
    )
    unknown = run(
        tmp_path,
        tmp_path / "cache",
        "[mypy]\nplugins = neuraltypes_mypy\n\n[neuraltypes_mypy]\nreturns = all\n",
    )
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == (
        "neuraltypes_mypy: mypy.ini: [neuraltypes_mypy] has an unknown setting "
        "'returns'; known settings: module_call_returns"
    )
