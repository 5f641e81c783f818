"""The code keeps its one-way layers: import-linter's contract ([tool.importlinter] in
pyproject.toml) holds, so `python3 dev.py test` fails on an import that goes up a layer
or across the wings, as .ci/run's lint step does."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contract_holds():
    pytest.importorskip("importlinter", reason="import-linter is in the dev extra")
    command = [Path(sys.executable).with_name("lint-imports"), "--no-cache"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout
