"""One report per build, made by one function, reached through one entry.

`build_report` makes the report once for each build: the personal site, and the export,
whose site renders the provider's report the export built. The export reads each entry
file once. What a command decides (today, the entries folder, who the report is for)
reaches the plugin as a request, never through mkdocs.yml or environment variables.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import socket
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLE_TODAY, run_in, write_project
from generator import export, plugin, report

ENTRY = "date: 2026-06-01\ndose_mg: 50\npre_mood: 3\npost_mood_2h: 5\nnotes: NOTE-1\nprivate_notes: PRIVATE-1\n"
SECOND = ENTRY.replace("2026-06-01", "2026-06-08").replace("-1\n", "-2\n")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = write_project(tmp_path / "journal", {"2026-06-01.yaml": ENTRY, "2026-06-08.yaml": SECOND})
    (root / "extra" / "mine.md").write_text("# A page of my own\n", encoding="utf-8")
    return root


@pytest.fixture
def reports(monkeypatch) -> list[report.Report]:
    """Every report build_report makes, wherever it is called from."""
    made: list[report.Report] = []
    original = report.build_report

    def counted(*args, **kwargs):
        made.append(original(*args, **kwargs))
        return made[-1]

    for module in (report, plugin, export):
        monkeypatch.setattr(module, "build_report", counted)
    return made


def test_a_build_makes_the_personal_report_once_and_never_changes_it(project, reports):
    assert run_in(project, "build") == 0
    (made,) = reports
    assert made.audience == report.PERSONAL and made.share == "personal"
    assert [e.private_notes for e in made.journal.entries] == ["PRIVATE-1", "PRIVATE-2"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.site_name = "changed"
    assert (project / "site" / "mine.html").is_file()  # a page of one's own stays in one's own report


def test_an_export_makes_the_provider_report_once_for_its_site_summary_and_data(project, reports):
    out = project / "out.zip"
    assert run_in(project, "export", "--out", str(out), "--since", "2026-06-05") == 0
    (made,) = reports  # the export's site rendered the report the export built
    assert made.audience == report.Audience.for_provider(include_notes=False, since=dt.date(2026, 6, 5))
    assert [(e.day, e.notes, e.private_notes) for e in made.journal.entries] == [(dt.date(2026, 6, 8), None, None)]
    assert [e.day for e in made.left_out_sessions] == [dt.date(2026, 6, 1)]
    with zipfile.ZipFile(out) as bundle:
        texts = {name.split("/", 1)[1]: bundle.read(name).decode("utf-8", "replace") for name in bundle.namelist()}
    # the page of one's own was left out of the site, and the site, summary and README say so
    assert not any(name.startswith("site/mine") for name in texts)
    said = "1 page or file the patient added to their report by hand"
    assert all(said in texts[name] for name in ("site/index.html", "summary.html", "README.txt"))
    assert not any("NOTE-" in text or "PRIVATE-" in text for text in texts.values())


_opened: list[str] | None = None  # while set, the files opened are recorded here


def _record_opens(event: str, args: tuple) -> None:
    if _opened is not None and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        _opened.append(os.fsdecode(args[0]))


sys.addaudithook(_record_opens)  # audit hooks stay for the process: this one records only while asked


def test_the_export_opens_no_entry_file_after_loading_the_journal(project, monkeypatch):
    """The copies in data/entries/ are made from the bytes read by the one load: however
    the export opens a file (open, os.open, Path.read_bytes...), it is never an entry."""
    global _opened
    loaded = export.load_for_export

    def load_then_watch(*args, **kwargs):
        global _opened
        _opened = []
        journal = loaded(*args, **kwargs)
        _opened = []
        return journal

    monkeypatch.setattr(export, "load_for_export", load_then_watch)
    out = project / "out.zip"
    try:
        assert run_in(project, "export", "--out", str(out), "--include-notes") == 0
        after = list(_opened or [])
    finally:
        _opened = None
    entries = project / "entries"
    assert after, "the audit hook saw nothing: the test would prove nothing"
    assert [path for path in after if Path(os.path.abspath(path)).is_relative_to(entries)] == []
    with zipfile.ZipFile(out) as bundle:
        (copy,) = [n for n in bundle.namelist() if n.endswith("data/entries/2026-06-01.yaml")]
        assert bundle.read(copy) == ENTRY.replace("private_notes: PRIVATE-1\n", "").encode()


@pytest.mark.parametrize("option, instead", [
    ("share: provider", "`journal export`"),
    ("include_notes: true", "`journal export --include-notes`"),
    ("since: '2026-06-01'", "`journal export --since 2026-06-01`"),
    ("today: '2026-06-10'", "`journal build --today 2026-04-02`"),
])
def test_what_a_command_decides_is_refused_in_mkdocs_yml_with_what_to_use(tmp_path, capsys, option, instead):
    project = write_project(tmp_path, {"2026-06-01.yaml": ENTRY}, option)
    assert run_in(project, "build") == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"journal build: mkdocs.yml: journal plugin option '{option.split(':')[0]}': not a setting; ")
    assert instead in line
    assert not (project / "site").exists()


def test_serve_hands_the_command_line_to_every_rebuild_without_environment_variables(tmp_path, monkeypatch, capsys):
    """MkDocs loads mkdocs.yml anew for each rebuild: --today and --entries reach each one."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.cli import main

    project = write_project(tmp_path / "journal", {"2026-06-01.yaml": ENTRY})
    (project / "other").mkdir()
    (project / "other" / "2026-07-01.yaml").write_text(ENTRY.replace("2026-06-01", "2026-07-01"), encoding="utf-8")
    builds = []

    def serve(config_file, **options):  # what MkDocs' serve does: a build, then one per change
        for _ in range(2):
            config = load_config(config_file, site_dir=str(tmp_path / "site"), **options)
            build(config)
            made = config.plugins["journal"].report
            variables = sorted(k for k in os.environ if k.startswith("JOURNAL_"))
            builds.append((made.journal.today, [e.day for e in made.journal.entries], variables))

    monkeypatch.setattr("mkdocs.commands.serve.serve", serve)
    monkeypatch.chdir(project)
    monkeypatch.delenv("JOURNAL_TODAY", raising=False)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["serve", "--today", EXAMPLE_TODAY, "--entries", "other", "--address", f"127.0.0.1:{port}"]) == 0, capsys.readouterr().err
    today = dt.date.fromisoformat(EXAMPLE_TODAY)
    assert builds == [(today, [dt.date(2026, 7, 1)], [])] * 2
    assert plugin._requests == {}  # the request ended with the command
    # a build of the same site afterwards is the plain one again: mkdocs.yml's entries, the real date
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    build(config)
    made = config.plugins["journal"].report
    assert [e.day for e in made.journal.entries] == [dt.date(2026, 6, 1)] and made.journal.today == dt.date.today()


# --------------------------------------------------------------------------- `since` and the current dose


def example_report(since: str | None) -> report.Report:
    from conftest import REPO
    from generator.journal import load_journal
    from generator.settings import Settings

    journal = load_journal(REPO / "entries", EXAMPLE_TODAY, base=REPO)
    audience = report.Audience.for_provider(since=dt.date.fromisoformat(since)) if since else report.PERSONAL
    return report.build_report(journal, audience, Settings())


@pytest.mark.parametrize("since, shown", [("2026-10-01", 9), ("2026-11-20", 1)])
def test_since_counts_the_current_dose_from_its_first_session_in_the_journal(since, shown):
    """A copy from `since` on left the current dose starting at its first session in the copy:
    '150 mg since 4 Oct: 9 sessions' for a dose taken since 22 Jun (26 sessions), and with
    only the last session in the copy, 'too early to judge' a dose tried 26 times."""
    whole = example_report(None).trends
    cut = example_report(since).trends
    assert (whole.current_dose_since, whole.sessions_at_current_dose) == (dt.date(2026, 6, 22), 26)
    assert (cut.current_dose_since, cut.sessions_at_current_dose) == (dt.date(2026, 6, 22), 26)
    assert cut.adequate_trial_reached and cut.current_run_left_out == 26 - shown
    assert cut.covers_from == dt.date.fromisoformat(since) and whole.covers_from is None
    assert len(cut.current_run) == shown and cut.current_run == cut.sessions[-shown:]
    assert cut.current_route == whole.current_route
    keys = [s.key for s in example_report(since).analysis.signals]
    assert "adequate_trial_not_reached" not in keys
    # nothing else of the earlier sessions enters the figures: every lift is from the copy
    assert [s.day for s in cut.sessions] == [s.day for s in whole.sessions[-len(cut.sessions):]]
    assert all(s.day >= cut.covers_from for s in cut.current_run)


def test_since_before_the_current_dose_leaves_its_run_whole():
    cut = example_report("2026-06-20").trends
    assert (cut.current_dose_since, cut.sessions_at_current_dose, cut.current_run_left_out) == (dt.date(2026, 6, 22), 26, 0)
    assert len(cut.current_run) == 26


def test_since_names_what_the_adequate_trial_item_rests_on():
    """In a copy from `since` on that holds only part of the time at the current dose, the
    trial item is not judged (a date would decide the verdict: at 6 Nov the copy's 4 sessions
    called the 26-session trial a failure), and says how much of it the copy holds."""
    from generator.words import checklist_items

    def trial_item(since: str) -> dict:
        made = example_report(since)
        return checklist_items(made.trends, made.analysis.signals)["discuss"][2]

    for since, held in (("2026-10-01", 9), ("2026-11-06", 4), ("2026-11-20", 1)):
        item = trial_item(since)  # the same words whatever the date: the part never decides
        assert not item["checked"] and item["preface"] == "Not judged in this export"
        assert item["status"] == (
            f"this export (from {dt.date.fromisoformat(since):%-d %b %Y} on) holds {held} of the 26 sessions at 150 mg "
            "since 22 Jun 2026, and a trial is judged over all of its sessions, not over the part a date cuts off.")
    assert trial_item("2026-06-22")["preface"] == "Not on average at this dose"  # the whole run: judged


def test_since_counts_the_current_dose_back_to_a_break_and_no_further():
    """A break longer than gap_weeks ends a run in the whole journal as in the copy: a restart
    is a new trial of the dose, even when the copy starts after it."""
    from builders import D, weekly
    from generator.trends import compute_trends, with_earlier_sessions

    entries = weekly([3] * 8, start=D(2026, 3, 1), dose=100) + weekly([3] * 5, start=D(2026, 10, 4), dose=100)
    since = D(2026, 10, 10)
    kept = [e for e in entries if e.day >= since]
    cut = with_earlier_sessions(compute_trends(kept, D(2026, 11, 20)), [e for e in entries if e.day < since], since)
    assert (cut.current_dose_since, cut.sessions_at_current_dose, cut.current_run_left_out) == (D(2026, 10, 4), 5, 1)
    assert [s.day for s in cut.current_run] == [e.day for e in kept]
    assert cut.phase.restarted_after is not None and cut.phase.first_session == D(2026, 3, 1)
