"""The example journal shipped in entries/ passes `journal check` and says it is example data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.journal import load_journal, schema_reference

REPO = Path(__file__).resolve().parents[1]
ENTRIES = REPO / "entries"
TODAY = "2026-11-25"
EXAMPLES = sorted(p for p in ENTRIES.iterdir() if p.suffix in {".yaml", ".yml"})
SCHEMA_LINE = "# yaml-language-server: $schema=../generator/entry.schema.json"


def test_check_reports_0_errors(monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("JOURNAL_TODAY", raising=False)
    code = main(["check", "--today", TODAY])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    summary = out.splitlines()[-1]
    assert re.fullmatch(rf"{len(EXAMPLES)} entries, 0 errors, \d+ warnings?", summary), summary
    # every other line is a warning, in the FILE:LINE:COL form
    for line in out.splitlines()[:-1]:
        assert re.match(r"entries/[\w.-]+\.ya?ml:\d+:\d+: warning: ", line), line


def test_every_example_is_loaded():
    journal = load_journal(ENTRIES, TODAY, base=REPO)
    assert journal.errors == []
    assert 30 <= len(journal.entries) == len(EXAMPLES) <= 40


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_starts_with_the_schema_line_and_says_example_data(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == SCHEMA_LINE
    assert lines[1].startswith("#") and "EXAMPLE DATA" in lines[1]


def test_schema_line_is_what_journal_new_writes_here():
    assert schema_reference(ENTRIES) == "../generator/entry.schema.json"
    assert (ENTRIES / "../generator/entry.schema.json").resolve().is_file()
