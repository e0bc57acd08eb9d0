"""Every input of the public YAML test suite, dropped into entries/, gives either a loaded
entry or at least one located error for that file, and never a traceback.

The corpus lives outside the repository, in ../shared/corpora/yaml-test-suite (402 cases,
see its README). Without it the tests are skipped, except in CI, where they fail.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CASES, EXPECTED_CASES, require_corpus
from generator.cli import main
from generator.journal import load_journal


def test_corpus_is_present():
    require_corpus()
    assert sum((case.parent / "error").exists() for case in CASES) == 94


def _check_outcome(journal, source: str, raw: bytes) -> None:
    """A loaded entry, or at least one error located inside this file."""
    loaded = [e for e in journal.entries if e.source == source]
    errors = [p for p in journal.errors if p.source == source]
    assert loaded or errors, f"{source}: neither an entry nor an error"
    assert not (loaded and errors), f"{source}: loaded although it has errors"
    lines = raw.count(b"\n") + 1
    for problem in journal.problems:
        assert problem.source == source, problem
        assert 1 <= problem.line <= lines, problem
        assert problem.column >= 1, problem
        assert problem.message.strip(), problem
        assert "Traceback" not in problem.message and "yaml." not in problem.message, problem


@pytest.mark.parametrize("case", CASES, ids=[case.parent.name for case in CASES])
def test_each_case_alone(tmp_path, case):
    folder = tmp_path / "entries"
    folder.mkdir()
    raw = case.read_bytes()
    (folder / f"{case.parent.name}.yaml").write_bytes(raw)
    journal = load_journal(folder, "2026-04-02", base=tmp_path)
    assert journal.files_read == 1
    _check_outcome(journal, f"entries/{case.parent.name}.yaml", raw)


@pytest.fixture(scope="module")
def corpus_folder(tmp_path_factory):
    require_corpus()
    root = tmp_path_factory.mktemp("corpus")
    folder = root / "entries"
    folder.mkdir()
    for case in CASES:
        shutil.copyfile(case, folder / f"{case.parent.name}.yaml")
    return root


def test_all_cases_in_one_folder(corpus_folder):
    journal = load_journal(corpus_folder / "entries", "2026-04-02", base=corpus_folder)
    assert journal.files_read == EXPECTED_CASES
    sources = {f"entries/{case.parent.name}.yaml" for case in CASES}
    answered = {e.source for e in journal.entries} | {p.source for p in journal.errors}
    assert answered == sources
    assert all(p.line >= 1 and p.column >= 1 for p in journal.problems)


def test_check_over_the_corpus_exits_0_or_1(corpus_folder, monkeypatch, capsys):
    monkeypatch.chdir(corpus_folder)
    code = main(["check", "--today", "2026-04-02"])
    out, err = capsys.readouterr()
    assert code in (0, 1) and err == ""
    assert out.splitlines()[-1].startswith(f"{EXPECTED_CASES} entries, ")


def test_console_script_over_the_corpus(corpus_folder):
    script = Path(sys.executable).with_name("journal")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "generator.cli"]
    for args in (["check"], ["check", "--format", "json"]):
        done = subprocess.run(
            [*command, *args, "--today", "2026-04-02"],
            cwd=corpus_folder, capture_output=True, text=True, timeout=120,
        )
        assert done.returncode in (0, 1), done.stderr
        assert "Traceback" not in done.stderr + done.stdout
        assert done.stderr == ""
