"""The app order (docs/architecture.md): the import graph, read by import-linter from the contract
in `.importlinter`, has no import from an app to one above it but the listed exceptions."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECK = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(config_filename='.importlinter', no_cache=True, no_logo=True))"
)


def test_no_app_imports_an_app_above_it():
    # A subprocess, so that the graph is read from the files as they are (grimp parses them,
    # imports inside functions included) and import-linter's settings stay out of this process.
    result = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        pytest.fail(result.stdout + result.stderr, pytrace=False)
