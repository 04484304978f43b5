"""The data files: one mypy run per folder; every expected report appears, and
nothing else does."""

from __future__ import annotations

from pathlib import Path

import pytest

from .mypy_runner import expected_reports, run_mypy

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("folder", ["pass", "fail"])
def test_folder_with_plugin(folder: str, mypy_cache: Path) -> None:
    run = run_mypy(DATA / folder, mypy_cache)
    assert "Traceback" not in run.stderr + run.stdout, run.stderr
    assert run.reports == expected_reports(DATA / folder)
    assert run.status == (1 if folder == "fail" else 0), run.stdout + run.stderr


@pytest.mark.parametrize("folder", ["pass", "fail"])
def test_folder_without_plugin_is_clean(folder: str, mypy_cache: Path) -> None:
    run = run_mypy(DATA / folder, mypy_cache / "plain", plugin=False)
    assert [r for r in run.reports if r.kind == "error"] == []
    assert run.status == 0, run.stdout + run.stderr


def test_expected_reports_are_there() -> None:
    # the harness itself: the fail folder does declare errors
    assert len(expected_reports(DATA / "fail")) >= 10


def test_mypy_own_errors_are_unchanged(mypy_cache: Path) -> None:
    """Where the plugin answers in mypy's place, mypy's own errors stay as they were."""
    with_plugin = run_mypy(DATA / "own", mypy_cache)
    without = run_mypy(DATA / "own", mypy_cache / "plain", plugin=False)
    assert "Traceback" not in with_plugin.stderr + with_plugin.stdout
    assert len(without.reports) >= 6
    assert with_plugin.reports == without.reports
