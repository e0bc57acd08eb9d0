"""`journal init`: a journal folder of one's own that never loses what is in it, and editor
schema lines that keep working (or are said to be broken)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from generator.entries import SCHEMA_PATH

SCHEMA_LINE = "# yaml-language-server: $schema="


def schema_target(entry: Path) -> Path:
    first = entry.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(SCHEMA_LINE), first
    return (entry.parent / first[len(SCHEMA_LINE):]).resolve()


def test_init_starts_a_journal_folder_that_stands_on_its_own(journal):
    code, out, err = journal.run("init", "mine", "--today", "2026-04-02")
    assert (code, err) == (0, "")
    folder = journal.root / "mine"
    entry = folder / "entries" / "2026-04-02.yaml"
    assert "created  entries/ with 2026-04-02.yaml" in out and "Next: cd mine, then fill in entries/2026-04-02.yaml" in out
    # the entry's schema line names the folder's own copy of the schema, which is this version's
    assert schema_target(entry) == folder / "entry.schema.json"
    assert (folder / "entry.schema.json").read_bytes() == SCHEMA_PATH.read_bytes()
    # VS Code's YAML extension is told the same
    schemas = json.loads((folder / ".vscode" / "settings.json").read_text())["yaml.schemas"]
    assert {(folder / k).resolve(): v for k, v in schemas.items()} == {
        folder / "entry.schema.json": ["entries/**/*.yaml", "entries/**/*.yml"]
    }
    ignored = (folder / ".gitignore").read_text().splitlines()
    assert "/site/" in ignored and "*.zip" in ignored and "*~" in ignored
    assert "entries/" in (folder / "README.md").read_text()
    # moved elsewhere, the entry still finds its schema
    moved = shutil.move(folder, journal.root / "elsewhere" / "journal")
    assert schema_target(Path(moved) / "entries" / "2026-04-02.yaml") == Path(moved) / "entry.schema.json"


def test_init_never_overwrites_and_says_what_it_added(journal):
    (journal.root / "README.md").write_text("my own notes\n")
    entry = journal.write("2026-03-01.yaml", "date: 2026-03-01\ndose_mg: 100\n")
    code, out, _ = journal.run("init", "--today", "2026-04-02")
    assert code == 0
    assert (journal.root / "README.md").read_text() == "my own notes\n"
    assert entry.read_text() == "date: 2026-03-01\ndose_mg: 100\n"
    assert sorted(p.name for p in journal.folder.iterdir()) == ["2026-03-01.yaml"]  # no second first entry
    assert out.splitlines()[:5] == [
        "Added to the journal in .:",
        "  created  entry.schema.json",
        "  created  journal.yml",
        "  created  .gitignore",
        "  created  .vscode/settings.json",
    ]
    assert "  kept     README.md (already there, not changed)" in out
    assert "  kept     entries/ with 1 entry (already there, not changed)" in out

    # run again after the person changed some of it: nothing is touched, and it says so
    (journal.root / "journal.yml").write_text("window: 8\n")
    (journal.root / ".gitignore").unlink()
    code, out, _ = journal.run("init")
    assert (journal.root / "journal.yml").read_text() == "window: 8\n"
    assert out.splitlines()[:2] == ["Added to the journal in .:", "  created  .gitignore"]
    code, out, _ = journal.run("init")
    assert out.splitlines()[0] == "The journal in . has everything already; nothing was added."
    assert "created" not in out


def test_new_in_a_journal_folder_points_at_its_schema(journal):
    journal.run("init", "--today", "2026-04-02")
    code, out, _ = journal.run("new", "--date", "2026-04-09")
    assert schema_target(journal.root / out.strip()) == journal.root / "entry.schema.json"


def test_check_warns_about_a_schema_line_that_leads_nowhere(journal):
    journal.write("2026-04-02.yaml", "# yaml-language-server: $schema=../../old-venv/generator/entry.schema.json\n"
                  "date: 2026-04-02\ndose_mg: 150\n")
    journal.write("2026-04-03.yaml", "# yaml-language-server: $schema=https://example.invalid/entry.schema.json\n"
                  "date: 2026-04-03\ndose_mg: 150\n")  # a web address: the editor's business
    code, lines, summary = journal.check(today="2026-04-03")
    assert code == 0  # a warning, not an error: the entry itself is fine
    (warning,) = [line for line in lines if "schema line" in line]
    assert warning.startswith("entries/2026-04-02.yaml:1:1: warning: the schema line points at "
                              "../../old-venv/generator/entry.schema.json, which does not exist")
    assert "run `journal init`" in warning and "$schema=../entry.schema.json`" in warning

    journal.run("init")  # puts the copy there; the line itself is the person's to change
    code, lines, summary = journal.check(today="2026-04-03")
    (warning,) = [line for line in lines if "schema line" in line]
    assert "journal init" not in warning and warning.endswith("change the line to `# yaml-language-server: $schema=../entry.schema.json`")

    journal.write("2026-04-02.yaml", "# yaml-language-server: $schema=../entry.schema.json\ndate: 2026-04-02\ndose_mg: 150\n")
    code, lines, summary = journal.check(today="2026-04-03")
    assert not [line for line in lines if "schema line" in line]


def test_init_on_a_file_says_so(journal):
    (journal.root / "notes.txt").write_text("mine\n")
    code, out, err = journal.run("init", "notes.txt")
    assert (code, out) == (2, "")
    assert err == "journal init: notes.txt is a file; give a folder (a new one is made)\n"
    assert (journal.root / "notes.txt").read_text() == "mine\n"


def test_check_reads_each_entry_file_once_for_its_schema_line_too(journal, monkeypatch):
    """The schema-line warning takes the bytes the check already read; only a file the check
    could not take as an entry is opened again for it (and still gets its warning)."""
    import generator.init as init

    opened = []
    head = init._head
    monkeypatch.setattr(init, "_head", lambda path: opened.append(path.name) or head(path))
    gone = "# yaml-language-server: $schema=../gone/entry.schema.json\n"
    journal.write("2026-04-02.yaml", gone + "date: 2026-04-02\ndose_mg: 150\n")
    journal.write("2026-04-03.yaml", gone + "date: 2026-04-03\ndose_mg: lots\n")
    code, lines, _ = journal.check(today="2026-04-03")
    assert code == 1
    assert [line.split(":")[0] for line in lines if "schema line" in line] == ["entries/2026-04-02.yaml", "entries/2026-04-03.yaml"]
    assert opened == ["2026-04-03.yaml"]


def test_every_setting_journal_yml_shows_works_once_uncommented_and_about_names_the_file(tmp_path):
    """journal.yml as `init` writes it, every example line uncommented as its first line tells
    a person to: the build takes each (the crisis line, the patient, one prescriber's other
    spellings), and About says the settings are changed in journal.yml, not mkdocs.yml."""
    import re
    import subprocess
    import sys

    folder = tmp_path / "mine"
    run = [sys.executable, "-m", "generator.cli"]
    assert subprocess.run([*run, "init", str(folder), "--today", "2026-04-02"], capture_output=True).returncode == 0
    settings = folder / "journal.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(re.sub(r"(?m)^# (?=[a-z_]+:|  )", "", text), encoding="utf-8")
    for day, who in (("2026-03-20", "Dr. A. Osei"), ("2026-03-27", "Lakeside Psychiatry"), ("2026-04-02", "Dr. Amara Osei")):
        (folder / "entries" / f"{day}.yaml").write_text(
            f"date: {day}\ndose_mg: 100\npre_mood: 4\npost_mood_2h: 7\nmood_day1: 6\nprovider: {who}\n"
            "scores:\n  phq9: [2, 2, 2, 1, 1, 1, 1, 1, 1]\n", encoding="utf-8")  # item 9 answered: the self-harm notice
    done = subprocess.run([*run, "build", "--today", "2026-04-03"], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    site = folder / "site"
    overview, about = (site / "index.html").read_text(encoding="utf-8"), (site / "about.html").read_text(encoding="utf-8")
    check_in = (site / "check-in.html").read_text(encoding="utf-8")
    assert "Samaritans (UK and Ireland): call 116 123" in overview
    assert "Jo Smith" in check_in and "More than one prescriber" not in overview
    assert "These settings can be changed in <code>journal.yml</code>." in about
