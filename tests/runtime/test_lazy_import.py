"""``import neuraltypes`` leaves torch alone; the runtime names load it on first use."""

import re
import subprocess
import sys


def run(code: str, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *flags, "-c", code], capture_output=True, text=True, check=True
    )


def test_import_does_not_import_torch_until_a_runtime_name_is_used() -> None:
    out = run(
        "import sys, neuraltypes, neuraltypes.elements\n"
        "print('torch' in sys.modules)\n"
        "from neuraltypes import NeuralModule, typecheck\n"
        "import neuraltypes._runtime as rt\n"
        "print('torch' in sys.modules, NeuralModule is rt.NeuralModule, typecheck is rt.typecheck)\n"
        "try:\n"
        "    neuraltypes.Nothing\n"
        "except AttributeError as err:\n"
        "    print(err)\n"
    )
    assert out.stdout.splitlines() == [
        "False",
        "True True True",
        "module 'neuraltypes' has no attribute 'Nothing'",
    ]


def test_import_takes_well_under_100_ms() -> None:
    report = run("import neuraltypes, neuraltypes.elements", "-X", "importtime").stderr
    micros = {
        name: int(total)
        for total, name in re.findall(
            r"\|\s+(\d+) \|\s+(neuraltypes(?:\.elements)?)$", report, re.M
        )
    }
    assert set(micros) == {"neuraltypes", "neuraltypes.elements"}
    assert micros["neuraltypes"] + micros["neuraltypes.elements"] < 100_000
