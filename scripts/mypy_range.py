"""Print the mypy releases CI tests: the lowest and the highest supported
(``tested-mypy`` under ``[tool.neuraltypes]`` in pyproject.toml)."""

import re
from pathlib import Path

text = (Path(__file__).parent.parent / "pyproject.toml").read_text()
match = re.search(r"^tested-mypy\s*=\s*\[([^\]]*)\]", text, re.MULTILINE)
if match is None:
    raise SystemExit("pyproject.toml has no tested-mypy list under [tool.neuraltypes]")
print(" ".join(re.findall(r'"([^"]+)"', match.group(1))))
