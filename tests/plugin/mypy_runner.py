"""Running mypy over a folder in a subprocess, with one cache per test session."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PLUGIN_INI = Path(__file__).parent / "plugin.ini"
NO_PLUGIN_INI = Path(__file__).parent / "no_plugin.ini"
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<kind>error|note): (?P<msg>.*)$")
EXPECTED = re.compile(r"#\s*(?P<kind>[EN]): (?P<msg>.*?)(?=\s+#\s*[EN]: |$)")


@dataclass(frozen=True, order=True)
class Report:
    file: str
    line: int
    kind: str
    message: str


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str

    @property
    def reports(self) -> list[Report]:
        out = []
        for text in self.stdout.splitlines():
            match = LINE.match(text)
            if match:
                out.append(
                    Report(
                        Path(match["file"]).name,
                        int(match["line"]),
                        match["kind"],
                        match["msg"].rstrip(),
                    )
                )
        return sorted(out)


def run_mypy(
    folder: Path, cache: Path, *args: str, plugin: bool = True, files: list[str] | None = None
) -> Run:
    """``mypy`` over ``folder`` (or ``files`` in it), run from inside it."""
    cmd = [
        sys.executable,
        "-m",
        "mypy",
        "--config-file",
        str(PLUGIN_INI if plugin else NO_PLUGIN_INI),
        "--cache-dir",
        str(cache),
        "--hide-error-context",
        "--no-error-summary",
        "--no-pretty",
        "--no-namespace-packages",
        "--show-traceback",
        *args,
        *(files or ["."]),
    ]
    env = {**os.environ, "MYPY_FORCE_COLOR": "0"}
    proc = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, env=env)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def expected_reports(folder: Path) -> list[Report]:
    """The ``# E: message  [code]`` / ``# N: message`` comments of every file."""
    out = []
    for path in sorted(folder.glob("*.py")):
        for number, text in enumerate(path.read_text().splitlines(), start=1):
            if "# E: " not in text and "# N: " not in text:
                continue
            for match in EXPECTED.finditer(text):
                kind = "error" if match["kind"] == "E" else "note"
                out.append(Report(path.name, number, kind, match["msg"].rstrip()))
    return sorted(out)


def run_script(
    folder: Path, mypy_cache: Path, script: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """Run the Python ``script`` (which runs mypy in its own process, through
    ``mypy.api``) in ``folder``, as ``python script.py mypy.ini *args``: ``mypy.ini``
    is the plugin's configuration with a copy of the session's cache (torch
    already analysed) as its ``cache_dir``."""
    (folder / "script.py").write_text(script)
    cache = folder / "cache"
    shutil.copytree(mypy_cache, cache, dirs_exist_ok=True)
    config = folder / "mypy.ini"
    config.write_text(PLUGIN_INI.read_text() + f"cache_dir = {cache}\n")
    return subprocess.run(
        [sys.executable, "script.py", str(config), *args],
        cwd=folder, capture_output=True, text=True, env={**os.environ, "MYPY_FORCE_COLOR": "0"},
    )  # fmt: skip
