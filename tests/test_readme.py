"""Every Python snippet in README.md is type-checked by mypy with the plugin, and run.

How the snippets become files (in one temporary folder):

- A snippet whose first line is a comment naming a file (``# model.py``) is written to
  that file, so that a later snippet can import from it, as it would for a reader who
  saved them. Any other snippet is written to ``readme_<n>.py`` (n: its place among
  the README's Python snippets, from 1).
- A fragment (a snippet that uses names it does not define, such as ``model`` in the
  runtime section) is assembled with a prelude written here, in ``SNIPPETS``, which is
  placed before it in its file. Line numbers are counted from the snippet's own first
  line all the same.
- Where ``SNIPPETS`` says so, the ``yaml`` block just before a snippet in its section
  is written to the file the snippet reads (the freeze config).

mypy checks all the files in ONE run (with the session's shared cache), and each
snippet must get exactly its expected errors: those written in ``SNIPPETS``, or, for a
snippet followed in its section by a ``text`` block of mypy output (lines starting with
its file name), that block, its wrapped lines joined by spaces. Then every runnable
snippet is run, each in a child forked from one process that imported torch once (a
snippet may switch checks off for its whole process).

Each Python snippet must be listed in ``SNIPPETS``, keyed by its section heading and
its place in that section, so that no snippet goes untested.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .plugin.mypy_runner import Run, run_mypy

ROOT = Path(__file__).resolve().parent.parent
FILE_COMMENT = re.compile(r"# (?P<name>\w+\.py)$")


@dataclass(frozen=True)
class Block:
    """A fenced block of README.md."""

    lang: str
    code: str
    section: str  # the heading above it, without the #s
    line: int  # README line of its first line of code


@dataclass(frozen=True)
class Snippet:
    key: str  # "section#n": its n-th Python snippet
    code: str
    file: str
    shown_output: str | None  # a text block of mypy output just after it
    yaml_before: str | None  # the yaml block just before it


@dataclass(frozen=True)
class Expect:
    """How one snippet is checked: ``errors`` are mypy's reports for it, as
    ``"<line>: error: <message>  [code]"`` counted from the snippet's first line."""

    prelude: str = ""
    errors: tuple[str, ...] = ()
    runs: bool = True
    yaml_file: str | None = None  # the preceding yaml block is written to this file


SPEC_IMPORTS = """\
from typing import Annotated

from torch import Tensor

from neuraltypes.elements import SpectrogramType
"""

# the tour's Decoder (saved as modules.py by the first snippet) and an input for it
RUNTIME_MODEL = """\
import torch

from modules import Decoder
from neuraltypes import typecheck

model = Decoder()
x = torch.randn(2, 256, 10)  # "B D T", untagged: only its shape is checked
"""

# a model with every module the freeze config names, and a stand-in for a DataLoader
FREEZE_MODEL = """\
from torch import nn

model = nn.ModuleDict({
    "encoder": nn.Linear(2, 2),
    "joint": nn.Linear(2, 2),
    "decoder": nn.ModuleDict({"layers": nn.ModuleList([nn.Linear(2, 2)])}),
})
loader = [(None, None)] * 3
"""

SNIPPETS: dict[str, Expect] = {
    "neuraltypes#1": Expect(prelude=SPEC_IMPORTS),
    "1. Annotate#1": Expect(),
    "2. Run mypy with the plugin#1": Expect(),  # its errors: the text block after it
    "4. The runtime fallback#1": Expect(prelude=RUNTIME_MODEL),
    "5. Freeze layers by training step#1": Expect(prelude=FREEZE_MODEL, yaml_file="config.yaml"),
    "Rolling it out on an existing codebase#1": Expect(),  # the text block after it
    "Where a value's neural type comes from#1": Expect(),
    "Through torch: operations, layers and losses#1": Expect(
        runs=False
    ),  # its errors: the text after it
    "Error codes#1": Expect(),  # its errors: the text block after it
    "Migrating from NeMo-style properties#1": Expect(),
    "Migrating from NeMo-style properties#2": Expect(),
}


def readme_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    section = ""
    fence: tuple[str, int, list[str]] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if fence is None and line.startswith("```"):
            fence = (line[3:].strip(), number + 1, [])
        elif fence is not None and line.startswith("```"):
            lang, first, lines = fence
            blocks.append(Block(lang, "\n".join(lines) + "\n", section, first))
            fence = None
        elif fence is not None:
            fence[2].append(line)
        elif line.startswith("#"):
            section = line.lstrip("#").strip()
    assert fence is None, f"README.md: the block from line {fence[1] - 1} is not closed"
    return blocks


def readme_snippets() -> list[Snippet]:
    blocks = readme_blocks((ROOT / "README.md").read_text())
    snippets: list[Snippet] = []
    count: dict[str, int] = {}
    for i, block in enumerate(blocks):
        if block.lang != "python":
            continue
        count[block.section] = count.get(block.section, 0) + 1
        named = FILE_COMMENT.match(block.code.splitlines()[0])
        file = named["name"] if named else f"readme_{len(snippets) + 1}.py"
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        shown = None
        if after and after.lang == "text" and after.section == block.section:
            shown = after.code if after.code.startswith(f"{file}:") else None
        before = blocks[i - 1] if i > 0 else None
        yaml = None
        if before and before.lang == "yaml" and before.section == block.section:
            yaml = before.code
        key = f"{block.section}#{count[block.section]}"
        snippets.append(Snippet(key, block.code, file, shown, yaml))
    return snippets


SNIPPETS_FOUND = readme_snippets()
BY_KEY = {s.key: s for s in SNIPPETS_FOUND}


def unwrap(shown: str, file: str) -> list[str]:
    """mypy's lines from a text block that wraps them: a line starting with
    ``file:`` starts a report, the others continue the one before."""
    reports: list[str] = []
    for line in shown.splitlines():
        if line.startswith(f"{file}:") or not reports:
            reports.append(line)
        else:
            reports[-1] += " " + line
    return reports


def expected_reports(snippet: Snippet) -> list[str]:
    """What mypy must say about the snippet, as ``"<line>: <kind>: <message>"``."""
    if snippet.shown_output is None:
        return list(SNIPPETS[snippet.key].errors)
    assert not SNIPPETS[snippet.key].errors, f"{snippet.key}: its errors are shown in README"
    prefix = f"{snippet.file}:"
    return [line.removeprefix(prefix) for line in unwrap(snippet.shown_output, snippet.file)]


@pytest.fixture(scope="module")
def snippet_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readme")
    for snippet in SNIPPETS_FOUND:
        expect = SNIPPETS[snippet.key]
        path = folder / snippet.file
        assert not path.exists(), f"{snippet.key}: a second snippet saved as {snippet.file}"
        path.write_text(expect.prelude + snippet.code)
        if expect.yaml_file:
            assert snippet.yaml_before, f"{snippet.key}: no yaml block before it"
            (folder / expect.yaml_file).write_text(snippet.yaml_before)
    return folder


@pytest.fixture(scope="module")
def mypy_run(snippet_folder: Path, mypy_cache: Path) -> Run:
    return run_mypy(snippet_folder, mypy_cache, files=[s.file for s in SNIPPETS_FOUND])


# One process imports torch once and forks a child per snippet; a child that fails
# leaves its traceback in <file>.traceback.
RUNNER = """
import os, runpy, sys, traceback
import torch, neuraltypes, neuraltypes.freezing
sys.path.insert(0, os.getcwd())
for name in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        try:
            runpy.run_path(name, run_name="__main__")
        except BaseException:
            with open(name + ".traceback", "w") as out:
                out.write(traceback.format_exc())
            os._exit(1)
        os._exit(0)
    os.waitpid(pid, 0)
"""


@pytest.fixture(scope="module")
def snippets_run(snippet_folder: Path) -> Path:
    runnable = [s.file for s in SNIPPETS_FOUND if SNIPPETS[s.key].runs]
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, *runnable],
        cwd=snippet_folder,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    return snippet_folder


def test_every_snippet_is_listed() -> None:
    assert sorted(BY_KEY) == sorted(SNIPPETS)
    assert len(SNIPPETS_FOUND) == len(BY_KEY)


@pytest.mark.parametrize("key", sorted(SNIPPETS))
def test_snippet_type_checks(key: str, mypy_run: Run) -> None:
    assert mypy_run.stderr == ""
    assert mypy_run.status in (0, 1), mypy_run.stdout
    snippet = BY_KEY[key]
    offset = SNIPPETS[key].prelude.count("\n")
    got = [
        f"{r.line - offset}: {r.kind}: {r.message}"
        for r in mypy_run.reports
        if r.file == snippet.file
    ]
    assert got == expected_reports(snippet)


def test_mypy_reports_only_on_snippets(mypy_run: Run) -> None:
    files = {s.file for s in SNIPPETS_FOUND}
    assert [r for r in mypy_run.reports if r.file not in files] == []
    assert len(mypy_run.reports) == sum(len(expected_reports(s)) for s in SNIPPETS_FOUND)


@pytest.mark.parametrize("key", sorted(k for k, e in SNIPPETS.items() if e.runs))
def test_snippet_runs(key: str, snippets_run: Path) -> None:
    traceback = snippets_run / f"{BY_KEY[key].file}.traceback"
    assert not traceback.exists(), traceback.read_text()


def test_shown_output_is_mypy_output() -> None:
    """The README's text blocks of mypy output belong to the snippet before them."""
    shown = sorted(s.key for s in SNIPPETS_FOUND if s.shown_output is not None)
    assert shown == [
        "2. Run mypy with the plugin#1",
        "Error codes#1",
        "Rolling it out on an existing codebase#1",
        "Through torch: operations, layers and losses#1",
    ]
