"""The parity table through the mypy plugin: one generated file, one mypy run."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..plugin.mypy_runner import run_mypy
from .cases import CASES, Side

HEADER = """\
from typing import Annotated
from jaxtyping import Float
from torch import Tensor
import neuraltypes.elements as E
"""


def annotation(side: Side) -> str:
    if side.jaxtyping:
        return f'Float[Tensor, "{side.axes}"]'
    if side.element is None:
        return f'Annotated[Tensor, "{side.axes}"]'
    return f'Annotated[Tensor, "{side.axes}", E.{side.element}]'


@pytest.fixture(scope="module")
def verdicts(
    tmp_path_factory: pytest.TempPathFactory, mypy_cache: Path
) -> dict[str, tuple[str, ...]]:
    folder = tmp_path_factory.mktemp("parity")
    lines = HEADER.splitlines()
    call_lines: dict[int, str] = {}
    for i, case in enumerate(CASES):
        lines += [
            f"def produce_{i}() -> {annotation(case.producer)}: raise NotImplementedError",
            f"def consume_{i}(x: {annotation(case.consumer)}) -> None: ...",
            f"consume_{i}(produce_{i}())",
        ]
        call_lines[len(lines)] = case.id
    (folder / "parity_cases.py").write_text("\n".join(lines) + "\n")
    run = run_mypy(folder, mypy_cache)
    assert "Traceback" not in run.stdout + run.stderr
    found: dict[str, list[str]] = {case.id: [] for case in CASES}
    for report in run.reports:
        assert report.kind == "error"
        assert report.line in call_lines, report
        found[call_lines[report.line]].append(report.message.rsplit("[", 1)[1].rstrip("]"))
    return {key: tuple(codes) for key, codes in found.items()}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_plugin_verdict(case: object, verdicts: dict[str, tuple[str, ...]]) -> None:
    assert verdicts[case.id] == case.codes  # type: ignore[attr-defined]
