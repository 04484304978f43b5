"""Instruction counts of a command, for overhead ratios that machine load can't move.

Wall-clock medians on a shared 2-core machine vary by 10-30 % between runs; the
number of instructions a process executes does not (valgrind's callgrind counts
them, repeatably to a few parts in a thousand). The benchmarks print both:
the time figures are what a user waits, the instruction ratios say whether a
change made things faster.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

__all__ = ["available", "count"]

_COLLECTED = re.compile(r"Collected : (\d+)")


def available() -> bool:
    """Whether valgrind is installed."""
    return shutil.which("valgrind") is not None


def count(cmd: Sequence[str], cwd: Path | None = None) -> int:
    """The instructions ``cmd`` executes (its exit status is not checked: mypy exits
    1 when it reports errors)."""
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        cwd=cwd,
        capture_output=True,
        text=True,
        # one hash seed: string hashes (dict and set layouts) otherwise move a count
        # by a few parts in a thousand between runs
        env={**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0"},
        check=False,
    )
    found = _COLLECTED.search(proc.stderr)
    if found is None:
        raise RuntimeError(f"valgrind gave no count for {' '.join(cmd)}:\n{proc.stderr[-2000:]}")
    return int(found.group(1))
