"""ruff and mypy, as configured in pyproject.toml, find nothing: run as part of the one test
command, so CI fails on a lint or type error like on any other failure.

Each runs as its own process from the checkout (where pyproject.toml is read). mypy keeps its
cache in the checkout's .mypy_cache (gitignored): a cold check takes most of a minute, a warm one
a few seconds. One mypy run checks the package and the tests together.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *command], cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=600
    )


def test_ruff_finds_nothing():
    done = run("ruff", "check", "--no-cache", "generator", "tests", "benchmarks", "setup.py")
    assert done.returncode == 0, f"ruff check generator tests benchmarks setup.py:\n{done.stdout}{done.stderr}"


def test_mypy_finds_nothing():
    # files, cache and strictness come from [tool.mypy] in pyproject.toml
    done = run("mypy")
    assert done.returncode == 0, f"mypy:\n{done.stdout}{done.stderr}"


def test_every_type_ignore_says_why():
    """mypy makes each `# type: ignore` name its error code; this makes it say why, in a comment
    after it on the same line."""
    unexplained = []
    for path in sorted([*(REPO / "generator").rglob("*.py"), *(REPO / "tests").glob("*.py")]):
        name = path.relative_to(REPO).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"# type: ignore\[[^\]]*\](?!\s*#\s*\S)", line):
                unexplained.append(f"{name}:{number}: {line.strip()}")
    assert unexplained == []
