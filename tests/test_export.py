"""`journal export`: the bundle for a new prescriber, unzipped and checked part by part."""

from __future__ import annotations

import csv
import errno
import hashlib
import html
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from markupsafe import escape

from conftest import EXAMPLE_TODAY, REPO, export_example, run_in, with_vega_runtime, write_project
from generator.export import entry_copy, strip_fields
from generator.journal import load_journal
from generator.reading import read_entry
from generator.report import Audience, left_out_sentences
from generator.validation import validate
from generator.words import CSV_COLUMNS

BUNDLE = "journal-export-2026-06-01-to-2026-11-22"
GOOD = "date: 2026-06-01\ndose_mg: 50\npre_mood: 3\npost_mood_2h: 5\nmood_day1: 4\nmood_day3: 3\nmood_day7: 3\n"
SECOND = "date: 2026-06-08\ndose_mg: 75\npre_mood: 3\npost_mood_2h: 6\nmood_day1: 5\nmood_day3: 4\nmood_day7: 3\n"


def contents(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as opened:
        return {info.filename: opened.read(info) for info in opened.infolist()}


def inside(files: dict[str, bytes], prefix: str = BUNDLE + "/") -> dict[str, bytes]:
    assert all(name.startswith(prefix) for name in files), "everything sits in one folder"
    return {name.removeprefix(prefix): content for name, content in files.items()}


def example_journal():
    return load_journal(REPO / "entries", EXAMPLE_TODAY, base=REPO)


def spellings(text: str) -> set[str]:
    """The ways a piece of typed text can appear in the bundle's files."""
    forms = {text, str(escape(text)), html.escape(text), html.escape(text, quote=False)}
    return forms | {json.dumps(form, ensure_ascii=False)[1:-1] for form in list(forms)} | {json.dumps(text)[1:-1]}


def pieces(text: str) -> list[str]:
    """The lines of a note long enough to identify it."""
    return [line.strip() for line in text.splitlines() if len(line.strip()) >= 12]


def fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def default_files(example_export) -> dict[str, bytes]:
    return inside(contents(example_export))


@pytest.fixture(scope="module")
def with_notes(tmp_path_factory) -> dict[str, bytes]:
    return inside(contents(export_example(tmp_path_factory.mktemp("notes"), "--include-notes")))


# --------------------------------------------------------------------------- the parts


def test_the_bundle_has_every_part(example_export, default_files):
    assert example_export.name == f"{BUNDLE}.zip"  # named after the sessions' dates
    names = set(default_files)
    for expected in ["README.txt", "summary.html", "manifest.json", "data/sessions.csv", "data/README.txt",
                     "site/index.html", "site/trends.html", "site/sessions/2026-08-08.html",
                     "site/search/search_index.json", "site/search/search_index.js",
                     "site/assets/journal/iframe-worker-shim.js", "site/assets/journal/vega-runtime.js",
                     "site/assets/journal/vega-runtime-licenses.txt"]:
        assert expected in names, expected
    copies = sorted(n for n in names if n.startswith("data/entries/"))
    assert copies == [f"data/entries/{p.name}" for p in sorted((REPO / "entries").glob("*.yaml"))]
    assert not any("sitemap" in n for n in names)  # carries a build date; no use on a disk


def test_manifest_lists_every_file_with_its_checksum(default_files):
    manifest = json.loads(default_files["manifest.json"])
    listed = {item["path"]: item for item in manifest["files"]}
    assert set(listed) == set(default_files) - {"manifest.json"}
    for name, item in listed.items():
        assert item["sha256"] == hashlib.sha256(default_files[name]).hexdigest(), name
        assert item["size"] == len(default_files[name]), name
    assert manifest["sessions"] == 32 and manifest["first_session"] == "2026-06-01" and manifest["last_session"] == "2026-11-22"
    assert manifest["fields_left_out"] == ["private_notes", "notes"] and manifest["notes_included"] is False


def test_sessions_csv_matches_the_entries(default_files):
    text = default_files["data/sessions.csv"].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    entries = example_journal().entries
    assert len(rows) == len(entries) == 32
    assert list(rows[0]) == [name for name, _ in CSV_COLUMNS if name != "notes"]
    for row, entry in zip(rows, entries):
        assert row["date"] == entry.day.isoformat()
        assert float(row["dose_mg"]) == entry.dose_mg
        assert row["provider"] == entry.provider
        for name in ["pre_mood", "post_mood_2h", "mood_day1", "mood_day3", "mood_day7"]:
            value = getattr(entry, name)
            assert row[name] == ("" if value is None else str(value)), (row["date"], name)
        assert row["lift"] == ("" if entry.lift is None else str(entry.lift))
        assert row["side_effects"] == "; ".join(entry.side_effects) or row["side_effects"] == "none"
        assert row["entry_file"] == f"entries/{Path(entry.source).name}"
    by_date = {row["date"]: row for row in rows}
    assert by_date["2026-08-08"]["effect_lasted_days"] == "0" and by_date["2026-08-08"]["lift"] == "0"
    assert by_date["2026-07-12"]["effect_lasted_days"] == "7" and by_date["2026-07-12"]["effect_past_day7"] == "yes"
    # 22 Jun: still above on day 3, the day of the next session; its day-7 mood is dated after it
    assert by_date["2026-06-22"]["effect_lasted_days"] == "3" and by_date["2026-06-22"]["effect_past_day7"] == ""
    assert by_date["2026-06-22"]["after_next_session"] == "mood_day7" and by_date["2026-06-25"]["days_since_previous"] == "3"
    assert by_date["2026-06-22"]["effect_lasted"] == "3+ days (still above at the next session, 3 days later)"
    assert by_date["2026-09-04"]["missing"] == "mood_day1"  # left empty, said so, not filled in
    assert by_date["2026-11-22"]["still_to_come"] == "mood_day3 mood_day7"
    assert by_date["2026-06-01"]["phq9_answers"] == "2 3 2 2 2 2 2 1 0" and by_date["2026-06-01"]["phq9_total"] == "16"


def test_effect_past_day7_says_no_only_for_an_effect_that_fell_back(default_files):
    """"no" means the mood fell back before day 7; an effect still above at a next session
    before day 7 was never read to day 7, so whether it lasted past it is not known."""
    rows = list(csv.DictReader(io.StringIO(default_files["data/sessions.csv"].decode("utf-8-sig"))))
    bounded = [row for row in rows if "still above at the next session" in row["effect_lasted"]]
    assert {row["date"] for row in bounded} >= {"2026-06-08", "2026-06-22", "2026-09-16"}
    for row in bounded:
        assert row["effect_lasted_days"] and row["effect_past_day7"] == "", row["date"]
    for row in rows:
        if row["effect_past_day7"] == "no":
            assert "+" not in row["effect_lasted"] and float(row["effect_lasted_days"]) <= 7, row["date"]


def test_the_readme_describes_the_csv_columns_as_the_bundle_does():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, meaning in CSV_COLUMNS:
        assert f"| `{name}` | {meaning} |" in readme, name


def test_every_csv_column_is_documented(default_files):
    in_bundle = default_files["data/README.txt"].decode("utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, _ in CSV_COLUMNS:
        if name != "notes":
            assert f"  {name}: " in in_bundle, name
        assert f"`{name}`" in readme, name


def test_entry_copies_are_the_originals_without_the_private_fields(default_files):
    for entry in example_journal().entries:
        original = (REPO / entry.source).read_bytes()
        copy = default_files[f"data/entries/{Path(entry.source).name}"]
        read = read_entry(copy, entry.source)
        copied, problems = validate(read)
        assert copied is not None and not [p for p in problems if p.severity == "error"], entry.source
        assert "private_notes" not in read.data and "notes" not in read.data
        assert copied.model_dump(exclude={"notes", "private_notes"}) == entry.model_dump(exclude={"notes", "private_notes"})
        # every line kept is the original line, comments included, in the original order; only
        # the editor's schema line points at the bundle's own copy of the schema
        original_lines = iter(original.decode("utf-8").splitlines(keepends=True))
        copy_lines = copy.decode("utf-8").splitlines(keepends=True)
        assert copy_lines[0] == "# yaml-language-server: $schema=../entry.schema.json\n", entry.source
        assert next(original_lines).startswith("# yaml-language-server: $schema=")
        for line in copy_lines[1:]:
            assert any(line == candidate for candidate in original_lines), (entry.source, line)
        assert copy.startswith(b"# yaml-language-server") and b"# EXAMPLE DATA" in copy


def test_private_notes_are_in_no_file_of_any_export(default_files, with_notes):
    private = [e.private_notes for e in example_journal().entries if e.private_notes]
    assert len(private) >= 3
    for files in (default_files, with_notes):
        for name, content in files.items():
            text = content.decode("utf-8", errors="replace")
            for note in private:
                for piece in pieces(note):
                    assert not any(form in text for form in spellings(piece)), (name, piece)
            # named as left out, or as a field of the entry format (the schema holds no values)
            assert "private_notes" not in text or name in ("data/README.txt", "manifest.json", "data/entry.schema.json"), name
        assert not any("Private notes</h2>" in c.decode("utf-8", "replace") for c in files.values())


def test_notes_are_left_out_unless_asked_for(default_files, with_notes):
    notes = [e for e in example_journal().entries if e.notes]
    assert len(notes) >= 5
    for name, content in default_files.items():
        text = content.decode("utf-8", errors="replace")
        for entry in notes:
            for piece in pieces(entry.notes):
                assert not any(form in text for form in spellings(piece)), (name, piece)
    summary = default_files["summary.html"].decode()
    assert "Notes: the patient chose not to include their free-text notes in this export." in summary
    assert "Private notes: they never leave the patient&#39;s personal report." in summary

    summary = with_notes["summary.html"].decode()
    assert "chose not to include their free-text notes" not in summary
    rows = list(csv.DictReader(io.StringIO(with_notes["data/sessions.csv"].decode("utf-8-sig"))))
    by_date = {row["date"]: row for row in rows}
    for entry in notes:
        first = pieces(entry.notes)[0]
        assert str(escape(first)) in summary, first
        assert first in by_date[entry.day.isoformat()]["notes"]
        assert first in with_notes[f"data/entries/{Path(entry.source).name}"].decode()
        assert str(escape(first)) in with_notes[f"site/sessions/{entry.slug}.html"].decode()
    assert json.loads(with_notes["manifest.json"])["fields_left_out"] == ["private_notes"]


def test_two_exports_in_a_row_are_byte_identical(example_export, tmp_path):
    again = export_example(tmp_path)
    assert again.read_bytes() == example_export.read_bytes()
    with zipfile.ZipFile(again) as opened:
        infos = opened.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(2026, 11, 22, 0, 0, 0)}  # the last session's day
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


ZONES = ["UTC", "America/Los_Angeles", "Asia/Tokyo"]


@pytest.fixture(scope="module")
def exports_in_time_zones(tmp_path_factory) -> dict[str, Path]:
    """One small journal exported in three time zones, each in a process of its own (the time
    zone is read when a process starts); they run side by side, to keep the tests quick. Each
    from a copy of its own, so that each draws its charts (none taken from another's cache)."""
    # one session with a time: nothing of it (pages, charts, the FHIR file) may take the zone's offset
    entries = {"2026-06-01.yaml": GOOD, "2026-06-04.yaml": GOOD.replace("2026-06-01", "2026-06-04 18:30"), "2026-06-08.yaml": SECOND}
    folder = tmp_path_factory.mktemp("zones")
    runs = {}
    for zone in ZONES:
        project = with_vega_runtime(write_project(folder / zone.replace("/", "-"), entries))
        out = folder / f"{zone.replace('/', '-')}.zip"
        command = [sys.executable, "-m", "generator.cli", "export", "--today", EXAMPLE_TODAY, "--out", str(out)]
        env = {**os.environ, "TZ": zone}
        env.pop("JOURNAL_TODAY", None)
        runs[zone] = (out, subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    for zone, (_out, process) in runs.items():
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, (zone, err.decode())
    return {zone: out for zone, (out, _) in runs.items()}


def test_the_same_journal_gives_the_same_zip_in_every_time_zone(exports_in_time_zones):
    zips = {zone: path.read_bytes() for zone, path in exports_in_time_zones.items()}
    assert zips["America/Los_Angeles"] == zips["UTC"] and zips["Asia/Tokyo"] == zips["UTC"]
    with zipfile.ZipFile(exports_in_time_zones["America/Los_Angeles"]) as opened:
        assert {i.date_time for i in opened.infolist()} == {(2026, 6, 8, 0, 0, 0)}  # the last session's day


def test_charts_made_west_of_utc_give_the_sessions_days(exports_in_time_zones):
    """Made in Los Angeles, where midnight UTC on 4 Jun is still 3 Jun: the charts' tooltips in
    the summary still give each session its own day, and the specs the report's pages draw
    from hold the calendar days (test_browser.py draws them in a browser west of UTC)."""
    files = inside(contents(exports_in_time_zones["America/Los_Angeles"]), "journal-export-2026-06-01-to-2026-06-08/")
    shown = set(re.findall(r"Session: (\d\d \w{3} \d{4})", files["summary.html"].decode()))
    assert shown == {"01 Jun 2026", "04 Jun 2026", "08 Jun 2026"}
    for name in ["site/trends.html", "site/index.html"]:
        text = files[name].decode()
        assert "<svg" not in text.split('<article', 1)[1], name  # drawn by the page
        days = set(re.findall(r'"date":"(\d{4}-\d\d-\d\d)', text))
        assert days == {"2026-06-01", "2026-06-04", "2026-06-08"}, (name, days)


# --------------------------------------------------------------------------- the summary


def test_summary_says_what_it_is_and_holds_the_history(default_files):
    summary = default_files["summary.html"].decode()
    words = " ".join(html.unescape(re.sub(r"<(style|svg)\b.*?</\1>|<[^>]+>", " ", summary, flags=re.S)).split())
    assert "not a clinical record made by a clinician" in words
    assert "32 sessions from 1 Jun 2026 to 22 Nov 2026" in words
    assert "It prepares a conversation; it is not medical advice and never suggests a dose." in words
    # the dosing history: one row per run at one dose with one provider, with its dates and
    # figures; 150 mg continued at a new provider is a row of its own (see below), and the
    # table by dose holds the whole 150 mg
    rows = table_rows(summary, "history")
    assert [r[0] for r in rows] == ["50 mg", "75 mg", "100 mg", "150 mg", "150 mg"]
    by_dose = {r[0]: r for r in table_rows(summary, "by-dose")}
    assert by_dose["150 mg"][1:4] == ["26", "22 Jun 2026 – 22 Nov 2026", "+3.5 (26)"]
    assert "nausea 21" in by_dose["150 mg"][6] and "mild 15" in by_dose["150 mg"][5]
    # charts, signals, statements, scores, completeness
    assert summary.count('<figure class="chart"') == 9 and summary.count("<svg") == 9
    assert 'id="signal-benefit_declining"' in summary and 'id="signal-effect_fading"' in summary
    assert "Over my last 6 sessions at 150 mg" in words
    assert "Questionnaire scores" in words and "moderately severe" in words
    assert re.search(r"Mood on day 1 31 of 32 1: 4 Sep 2026", words)
    assert re.search(r"Mood on day 7 29 of 32 1: 11 Jun 2026 2: 19 Nov 2026, 22 Nov 2026", words)
    assert "Providers: A = Riverside Ketamine Clinic; B = Dr. Amara Osei (Lakeside Psychiatry)" in words


def table_rows(summary: str, name: str) -> list[list[str]]:
    """The body rows of the summary's table of that class, each as its cells' words."""
    table = summary.split(f'<table class="{name}">', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def section_words(summary: str, section: str) -> str:
    """The words a reader sees in one <section id=...> of the summary."""
    part = summary.split(f'<section id="{section}">', 1)[1].split("</section>", 1)[0]
    return " ".join(html.unescape(re.sub(r"<(style|svg)\b.*?</\1>|<[^>]+>", " ", part, flags=re.S)).split())


SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)
FIRST_PERSON = re.compile(r"\b(I|my|me|myself)\b")


def test_dosing_history_splits_a_dose_continued_at_a_new_provider(default_files):
    """The example goes on at 150 mg from Riverside (last session 20 Aug) to Dr Osei
    (first session 29 Aug): a prescriber reading the history sees two rows, each with
    its provider, its dates and its own figures."""
    summary = default_files["summary.html"].decode()
    header = summary.split('<table class="history">', 1)[1].split("</thead>", 1)[0]
    assert ">Provider</th>" in header
    rows = table_rows(summary, "history")
    riverside, osei = rows[3], rows[4]
    assert riverside[:4] == ["150 mg", "22 Jun 2026 – 20 Aug 2026", "A Riverside Ketamine Clinic", "11"]
    assert osei[:4] == ["150 mg", "29 Aug 2026 – 22 Nov 2026", "B Dr. Amara Osei (Lakeside Psychiatry)", "15"]
    assert riverside[4] == "+4.1 (11)" and osei[4] == "+3.0 (15)"
    assert all(r[2] == "A Riverside Ketamine Clinic" for r in rows[:3])
    words = section_words(summary, "dosing")
    assert "a change of dose, a change of provider or a break in treatment starts a new row" in words


def test_dosing_history_providers_compared_as_the_signals_compare_them(tmp_path):
    def session(day: str, dose: int, provider: str | None = None) -> str:
        return f"date: {day}\ndose_mg: {dose}\npre_mood: 4\npost_mood_2h: 6\n" + (f"provider: '{provider}'\n" if provider else "")

    project = write_project(tmp_path / "mixed", {
        "2026-06-01.yaml": session("2026-06-01", 100, "Clinic <b>A</b>"),
        "2026-06-08.yaml": session("2026-06-08", 100),  # no provider: stays in the row it falls in
        "2026-06-15.yaml": session("2026-06-15", 100, "  clinic   <b>a</b> "),  # the same, spelled otherwise
        "2026-06-22.yaml": session("2026-06-22", 100, "Dr B"),  # a new provider: a new row
        "2026-06-29.yaml": session("2026-06-29", 150, "Dr B"),  # a new dose: a new row
    })
    assert run_export(project, "--out", "x.zip") == 0
    summary = inside(contents(project / "x.zip"), "journal-export-2026-06-01-to-2026-06-29/")["summary.html"].decode()
    assert "<b>A</b>" not in summary and "Clinic &lt;b&gt;A&lt;/b&gt;" in summary  # typed text stays text
    rows = table_rows(summary, "history")
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("100 mg", "1 Jun 2026 – 15 Jun 2026", "A Clinic <b>A</b> (not recorded in 1)", "3"),
        ("100 mg", "22 Jun 2026 – 22 Jun 2026", "C Dr B", "1"),
        ("150 mg", "29 Jun 2026 – 29 Jun 2026", "C Dr B", "1"),
    ]
    # the other parts of the summary name the providers the same way: one letter for both spellings
    assert [r[-1] for r in table_rows(summary, "log")] == ["A", "B", "A", "C", "C"]
    words = section_words(summary, "sessions")
    assert "Providers: A = Clinic <b>A</b>; B = not recorded; C = Dr B" in words
    # a journal that never names a provider: one row, and the column says so
    project = write_project(tmp_path / "unnamed", {
        "2026-06-01.yaml": session("2026-06-01", 100), "2026-06-08.yaml": session("2026-06-08", 100),
    })
    assert run_export(project, "--out", "x.zip") == 0
    summary = inside(contents(project / "x.zip"), "journal-export-2026-06-01-to-2026-06-08/")["summary.html"].decode()
    assert [r[2:4] for r in table_rows(summary, "history")] == [["not recorded", "2"]]


def test_summary_signals_speak_about_the_patient_and_the_report_to_them(default_files):
    """The clinician reads the summary's signals in the third person; the patient's own
    report (the site in the bundle, as built for the person) keeps speaking to them, with
    the same figures."""
    summary = default_files["summary.html"].decode()
    boxes = re.findall(r'<div class="signal signal-\w+" id="signal-(\w+)">(.*?)</div>', summary, re.S)
    assert [key for key, _ in boxes] == ["benefit_declining", "effect_fading", "phq9_worse"]
    for key, box in boxes:
        words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", box)).split())
        assert not SECOND_PERSON.search(words) and not FIRST_PERSON.search(words), (key, words)
        assert "worth discussing with the patient" in words, key
    declining = section_words(summary, "signals")
    assert ("At 150 mg throughout, the average lift (mood two hours after a session minus mood before it) "
            "was +1.3 points over the last 6 sessions (24 Oct – 22 Nov 2026), against +4.0 points") in declining
    assert "The patient's mood now returns to its pre-session level after about 2 days on average" in declining
    assert "your prescriber" not in declining
    overview = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", default_files["site/index.html"].decode())).split())
    assert "your average lift (mood two hours after a session minus mood before it) was +1.3 points over your last 6 sessions" in overview
    assert "Your mood now returns to its pre-session level after about 2 days on average" in overview
    assert "worth discussing with your prescriber" in overview


def test_summary_labels_the_talking_points_as_the_patients_words(default_files):
    summary = default_files["summary.html"].decode()
    words = section_words(summary, "statements")
    assert words.startswith("In the patient's words The patient's own statements, in the first person")
    assert "Over my last 6 sessions at 150 mg" in words  # their own words, quoted as such
    assert not SECOND_PERSON.search(words)  # nothing there speaks to the reader


def test_summary_needs_nothing_outside_itself(default_files):
    summary = default_files["summary.html"].decode()
    assert "<script" not in summary.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*(?!["']?#)""", summary)  # only links within the page
    assert not re.search(r"url\(", summary)
    assert "default-src 'none'" in summary  # and the browser is told to load nothing
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", summary))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


# --------------------------------------------------------------------------- the site


def test_the_site_is_the_providers_copy(default_files):
    session = default_files["site/sessions/2026-08-08.html"].decode()
    assert "Private notes" not in session
    assert "Notes are not part of this copy of the report" in session
    assert "A copy exported to share with a provider" in default_files["site/index.html"].decode()
    for name, content in default_files.items():
        if name.endswith(".html"):
            markup = content.decode()
            assert "unpkg.com" not in markup and "iframe-worker/shim" not in markup, name
            assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", markup), name
    assert 'src="assets/journal/iframe-worker-shim.js"' in default_files["site/index.html"].decode()
    assert 'src="../assets/journal/iframe-worker-shim.js"' in session  # plain file links for file://
    assert default_files["site/search/search_index.js"].startswith(b"var __index = ")


def test_since_leaves_earlier_sessions_out_and_says_so(tmp_path):
    files = contents(export_example(tmp_path, "--since", "2026-09-01"))
    prefix = "journal-export-2026-09-04-to-2026-11-22/"
    files = inside(files, prefix)
    rows = list(csv.DictReader(io.StringIO(files["data/sessions.csv"].decode("utf-8-sig"))))
    assert [r["date"] for r in rows][0] == "2026-09-04" and len(rows) == 14
    assert not any(n.startswith("data/entries/2026-08") or n.startswith("site/sessions/2026-08") for n in files)
    summary = files["summary.html"].decode()
    assert "18 earlier sessions (1 Jun 2026 to 29 Aug 2026): this export covers the sessions from 1 Sep 2026 on." in summary
    assert "177 days since the first session in the journal (1 Jun 2026)" in summary  # the phase does not restart
    assert "18 earlier sessions" in files["site/index.html"].decode()
    manifest = json.loads(files["manifest.json"])
    assert manifest["since"] == "2026-09-01" and manifest["earlier_sessions_left_out"] == 18


def text_of(markup: str) -> str:
    """A page's visible words, roughly: tags removed, entities decoded, spaces folded."""
    markup = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def test_since_says_how_long_the_current_dose_has_been_taken(tmp_path):
    """`--since` is for a new prescriber: the current dose counts from its first session in
    the journal (150 mg since 22 Jun 2026, 26 sessions), and says how many of them the export
    holds; what the export shows of the doses is named as such."""
    files = inside(contents(export_example(tmp_path, "--since", "2026-10-01")), "journal-export-2026-10-04-to-2026-11-22/")
    summary = text_of(files["summary.html"].decode())
    assert ("Current dose 150 mg (held 15 min) since 22 Jun 2026: 26 sessions (an adequate trial of 3 or more "
            "sessions reached); 9 of them in this export, which covers the sessions from 1 Oct 2026 on;") in summary
    assert "since 4 Oct 2026" not in summary
    assert "Doses taken 150 mg, in the sessions of this export (from 1 Oct 2026 on)" in summary
    assert "Dr. Amara Osei (Lakeside Psychiatry): 4 Oct 2026 to 22 Nov 2026, 9 sessions in this export" in summary
    assert "Breaks in treatment none longer than 3 weeks between the sessions of this export (from 1 Oct 2026 on)" in summary
    assert ("4 Oct 2026 – 22 Nov 2026 at this dose since 22 Jun 2026 (26 sessions); this export covers the "
            "sessions from 1 Oct 2026 on") in summary
    overview = text_of(files["site/index.html"].decode())
    assert ("26 sessions at this dose (9 of them in this export, which covers the sessions from 1 Oct 2026 on)"
            in overview)
    sheet = text_of(files["site/check-in.html"].decode())
    assert "I have had 26 sessions at 150 mg since 22 Jun 2026." in sheet
    assert ("the phase of treatment counts from the first session in the journal, and the current dose from its "
            "first session in the journal.") in summary


# --------------------------------------------------------------------------- nothing lost, nothing silent


def run_export(project: Path, *extra: str) -> int:
    return run_in(project, "export", *extra)


def test_an_invalid_entry_stops_the_export_with_its_located_message(tmp_path, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD, "2026-06-08.yaml": "date: 2026-06-08\ndose_mg: 75\npre_mood: 12\n"})
    assert run_export(project, "--out", "exports/") == 1
    err = capsys.readouterr().err
    assert "entries/2026-06-08.yaml:3:11: pre_mood: 12 is out of range (1-10)" in err
    assert "Nothing was exported." in err
    assert not (project / "exports").exists() or not list((project / "exports").iterdir())
    assert not list(project.glob("*.zip")) and not list(project.glob(".*building*"))


OUT_OF_RANGE = "is outside the dates the journal accepts (1980-01-01 to 2099-12-31)"


@pytest.mark.parametrize("written", ["0026-06-08", "9999-12-31"])
def test_a_date_outside_the_accepted_range_stops_the_export_with_its_located_message(tmp_path, capsys, written):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD, "2026-06-08.yaml": f"date: {written}\ndose_mg: 75\n"})
    assert run_export(project, "--out", "exports/") == 1
    err = capsys.readouterr().err
    assert f"entries/2026-06-08.yaml:1:7: date: {written} {OUT_OF_RANGE}" in err
    assert "Nothing was exported." in err
    assert not (project / "exports").exists() or not list((project / "exports").iterdir())


@pytest.mark.parametrize("option, given", [("--today", "2106-02-08"), ("--today", "1979-12-31"), ("--since", "1979-12-31"), ("--since", "2100-01-01")])
def test_an_export_day_outside_the_accepted_range_is_a_plain_usage_error(tmp_path, capsys, option, given):
    """`export --today 2106-02-08` failed in gzip, whose timestamps stop in 2106."""
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    assert run_export(project, "--out", "exports/", option, given) == 2
    shown = f"today ({given})" if option == "--today" else f"--since {given!r}"
    assert capsys.readouterr().err == f"journal export: {shown} {OUT_OF_RANGE}\n"
    assert not (project / "exports").exists()


def test_the_first_and_last_accepted_dates_build_and_export(tmp_path, capsys):
    """The whole accepted range works in every stage: checks, charts, pages, zip dates."""
    first = "date: 1980-01-01\ndose_mg: 50\npre_mood: 3\npost_mood_2h: 5\nmood_day1: 4\nmood_day3: 3\nmood_day7: 3\nscores: {phq9: 12}\n"
    last = "date: 2099-12-31 23:59\ndose_mg: 75\npre_mood: 3\npost_mood_2h: 6\nside_effects: [nausea]\nscores: {phq9: 9}\n"
    project = write_project(tmp_path, {"1980-01-01.yaml": first, "2099-12-31.yaml": last})
    assert run_in(project, "build", "--today", "2099-12-31") == 0
    sessions = (project / "site" / "sessions" / "index.html").read_text(encoding="utf-8")
    assert "1 Jan 1980" in sessions and "31 Dec 2099" in sessions
    assert run_export(project, "--out", "exports/", "--today", "2099-12-31") == 0
    (archive,) = (project / "exports").iterdir()
    assert archive.name == "journal-export-1980-01-01-to-2099-12-31.zip"
    with zipfile.ZipFile(archive) as opened:
        assert {i.date_time for i in opened.infolist()} == {(2099, 12, 31, 0, 0, 0)}
    files = inside(contents(archive), "journal-export-1980-01-01-to-2099-12-31/")
    rows = list(csv.DictReader(io.StringIO(files["data/sessions.csv"].decode("utf-8-sig"))))
    assert [r["date"] for r in rows] == ["1980-01-01", "2099-12-31"]
    shown = set(re.findall(r"Session: (\d\d \w{3} \d{4})", files["summary.html"].decode()))
    assert shown == {"01 Jan 1980", "31 Dec 2099"}


def test_an_export_interrupted_half_way_leaves_no_half_file(tmp_path, monkeypatch, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD + "private_notes: secret\n", "2026-06-08.yaml": SECOND})
    out = tmp_path / "out"
    out.mkdir()
    leftover = out / ".journal-export-2026-06-01-to-2026-06-08.zip.building-killed"  # from a killed run
    leftover.write_bytes(b"half")
    before = fingerprint(project / "entries")
    written = []
    real_writestr = zipfile.ZipFile.writestr

    def failing_writestr(self, info, data, *args, **kwargs):
        written.append(info)
        if len(written) == 20:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_writestr(self, info, data, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", failing_writestr)
    assert run_export(project, "--out", str(out)) == 1  # an ordinary failure, said in one line
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"journal export: cannot write {out}") and line.endswith(os.strerror(errno.ENOSPC))
    assert len(written) == 20  # it did fail half way through the zip
    assert list(out.iterdir()) == []  # no half zip, no staging folder, and the old leftover is gone
    assert fingerprint(project / "entries") == before
    monkeypatch.undo()
    assert run_export(project, "--out", str(out)) == 0
    assert [p.name for p in out.iterdir()] == ["journal-export-2026-06-01-to-2026-06-08.zip"]
    assert fingerprint(project / "entries") == before


def test_a_killed_export_leaves_no_half_file(tmp_path):
    project = with_vega_runtime(write_project(tmp_path, {"2026-06-01.yaml": GOOD, "2026-06-08.yaml": SECOND}))
    out = tmp_path / "out"
    before = fingerprint(project / "entries")
    command = [sys.executable, "-m", "generator.cli", "export", "--today", EXAMPLE_TODAY, "--out", str(out)]
    process = subprocess.Popen(command, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    staging: list[Path] = []
    while time.monotonic() < deadline and process.poll() is None:  # wait until the site is being written
        staging = [p for p in out.glob(".*building*") if any(p.rglob("*.html"))] if out.exists() else []
        if staging:
            break
        time.sleep(0.01)
    assert staging, "the export never started writing"
    os.kill(process.pid, signal.SIGTERM)
    assert process.wait(timeout=30) == 130
    assert list(out.iterdir()) == []  # what it had written is removed; no zip appeared
    assert fingerprint(project / "entries") == before


def test_an_export_is_never_written_into_entries(tmp_path, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    assert run_export(project, "--out", "entries/export.zip") == 1
    assert "inside the entries folder" in capsys.readouterr().err
    assert [p.name for p in (project / "entries").iterdir()] == ["2026-06-01.yaml"]


def test_entries_option_and_pages_of_ones_own(tmp_path, capsys):
    project = write_project(tmp_path, {})
    (project / "my-entries" / "2026").mkdir(parents=True)
    (project / "my-entries" / "2026" / "2026-06-01.yaml").write_text(GOOD, encoding="utf-8")
    (project / "extra" / "diary.md").write_text("# My diary\n\nThings only for me.\n", encoding="utf-8")
    assert run_export(project, "--entries", "my-entries", "--out", "x.zip") == 0
    assert "pages you added yourself: diary.md" in capsys.readouterr().out
    files = inside(contents(project / "x.zip"), "journal-export-2026-06-01-to-2026-06-01/")
    assert "data/entries/2026/2026-06-01.yaml" in files  # the folder inside entries is kept
    assert not any("diary" in name for name in files)
    assert not any(b"Things only for me" in content for content in files.values())
    assert "1 page or file the patient added to their report by hand" in files["summary.html"].decode()


def test_typed_text_is_escaped_and_spreadsheet_safe(tmp_path):
    hostile = '<script>window.pwned=1</script><img src=x onerror="alert(1)">'
    entry = (
        GOOD
        + f"provider: '=HYPERLINK(\"http://x\") {hostile}'\n"
        + f"side_effects: ['{hostile}']\n"
        + f"notes: '@SUM(1) {hostile}'\n"
    )
    project = write_project(tmp_path, {"2026-06-01.yaml": entry})
    assert run_export(project, "--include-notes", "--out", "x.zip") == 0
    files = inside(contents(project / "x.zip"), "journal-export-2026-06-01-to-2026-06-01/")
    summary = files["summary.html"].decode()
    assert "<script>window.pwned" not in summary and "<img src=x" not in summary
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in summary
    (history,) = table_rows(summary, "history")  # the provider in the dosing history too, as text
    assert history[2] == f'=HYPERLINK("http://x") {hostile}'
    (row,) = csv.DictReader(io.StringIO(files["data/sessions.csv"].decode("utf-8-sig")))
    assert row["provider"].startswith("'=HYPERLINK") and row["notes"].startswith("'@SUM")


def test_no_sessions_is_said_plainly(tmp_path, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    assert run_export(project, "--since", "2026-07-01") == 1
    assert "no sessions on or after 2026-07-01" in capsys.readouterr().err
    assert run_export(project, "--since", "July") == 2
    assert "--since 'July' is not a date" in capsys.readouterr().err


# --------------------------------------------------------------------------- cutting fields out


def test_strip_fields_keeps_every_other_character():
    text = (
        "# my comment\r\ndate: 2026-06-01\r\nnotes: |\r\n  shared\r\n\r\n# between\r\n"
        "private_notes: |   # mine\r\n  secret\r\n\r\n  more\r\ndose_mg: 50  # mg\r\n"
    )
    assert strip_fields(text, ["private_notes"]) == (
        "# my comment\r\ndate: 2026-06-01\r\nnotes: |\r\n  shared\r\n\r\n# between\r\ndose_mg: 50  # mg\r\n"
    )
    assert strip_fields("date: 2026-06-01\ndose_mg: 5\nprivate_notes: plain\n  two lines", ["private_notes"]) == "date: 2026-06-01\ndose_mg: 5\n"
    with pytest.raises(ValueError):
        strip_fields("{date: 2026-06-01, dose_mg: 5, private_notes: x}", ["private_notes"])


def test_an_entry_that_cannot_be_cut_is_rewritten_and_still_checked():
    raw = b"date: 2026-06-01\ndose_mg: 50\nprivate_notes: &p secret words\nprovider: *p\n"
    original, _ = validate(read_entry(raw, "e.yaml"))
    copy = entry_copy(raw, "e.yaml", original, ["private_notes"])
    assert b"private_notes" not in copy
    assert copy.startswith(b"# Copied from e.yaml by journal export")
    copied, _ = validate(read_entry(copy, "e.yaml"))
    assert copied.provider == "secret words"  # the person put it in provider too: kept there
    flow = b"{date: 2026-06-01, dose_mg: 50, private_notes: hidden}\n"
    original, _ = validate(read_entry(flow, "f.yaml"))
    assert b"hidden" not in entry_copy(flow, "f.yaml", original, ["private_notes"])


def test_left_out_sentences_are_the_same_in_summary_and_site(default_files):
    summary = default_files["summary.html"].decode()
    site = default_files["site/index.html"].decode()
    for sentence in left_out_sentences(Audience.for_provider()):
        assert str(escape(sentence)) in summary and str(escape(sentence)) in site, sentence


# --------------------------------------------------------------------------- names in the zip

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="names Windows cannot hold")
WINDOWS_FORBIDDEN = set('<>:"|?*\\') | {chr(c) for c in range(32)}
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10)}


def windows_problems(archive: Path) -> list[str]:
    """What would stop the zip's members from being extracted on Windows (or read as UTF-8)."""
    found = []
    seen: set[str] = set()
    with zipfile.ZipFile(archive) as opened:
        for info in opened.infolist():
            name = info.filename
            if not name.isascii() and not info.flag_bits & 0x800:
                found.append(f"{name!r}: not marked as UTF-8")
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:
                found.append(f"{name!r}: not valid UTF-8")
            if name.casefold() in seen:
                found.append(f"{name!r}: twice, ignoring case")
            seen.add(name.casefold())
            for part in name.split("/"):
                if set(part) & WINDOWS_FORBIDDEN or part.endswith((".", " ")) or not part:
                    found.append(f"{name!r}: {part!r} cannot be a Windows name")
                elif part.split(".")[0].rstrip(" ").upper() in WINDOWS_RESERVED:
                    found.append(f"{name!r}: {part!r} is a reserved Windows name")
                elif len(part.encode("utf-8", "surrogatepass")) > 255:
                    found.append(f"{name!r}: {part!r} is over 255 bytes")
    return found


def export_of(project: Path, capsys) -> dict[str, bytes]:
    """`journal export --out x.zip` of the project, which must succeed: the zip's files."""
    code = run_export(project, "--out", "x.zip")
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    assert not windows_problems(project / "x.zip"), windows_problems(project / "x.zip")
    (folder,) = {name.split("/")[0] for name in contents(project / "x.zip")}
    return inside(contents(project / "x.zip"), folder + "/")


def entry_file_column(files: dict[str, bytes]) -> list[str]:
    rows = csv.DictReader(io.StringIO(files["data/sessions.csv"].decode("utf-8-sig")))
    return [row["entry_file"] for row in rows]


@posix_only
def test_a_file_name_that_is_not_utf8_is_exported(tmp_path, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    Path(os.fsdecode(os.fsencode(project / "entries") + b"/caf\xe9.yaml")).write_bytes(SECOND.encode() + b"private_notes: mine\n")
    files = export_of(project, capsys)
    assert entry_file_column(files) == ["entries/2026-06-01.yaml", "entries/caf_.yaml"]
    assert files["data/entries/caf_.yaml"] == SECOND.encode()  # the entry as written, without what stays private
    assert "site/sessions/caf_.html" in files


@posix_only
def test_windows_hostile_names_are_made_safe_in_the_zip(tmp_path, capsys):
    names = {'a<b>:c"d|e?f*g.yaml': "2026-06-01", "two\nlines.yaml": "2026-06-02", "CON.yaml": "2026-06-03",
             "aux.yml": "2026-06-04", "sub. /x.yaml": "2026-06-05", "tab\there.yaml": "2026-06-06",
             "a_b__c_d_e_f_g.yaml": "2026-06-07", "-leading dash.yaml": "2026-06-08"}
    project = write_project(tmp_path, {})
    for name, day in names.items():
        (project / "entries" / name).parent.mkdir(exist_ok=True)
        (project / "entries" / name).write_text(GOOD.replace("2026-06-01", day), encoding="utf-8")
    files = export_of(project, capsys)
    assert entry_file_column(files) == [
        # a name that needs no change keeps it; one made safe gives way to it
        "entries/a_b__c_d_e_f_g-2.yaml", "entries/two_lines.yaml", "entries/CON_.yaml", "entries/aux_.yml",
        "entries/sub_/x.yaml", "entries/tab_here.yaml", "entries/a_b__c_d_e_f_g.yaml",
        "entries/-leading dash.yaml",
    ]
    for member in entry_file_column(files):
        day = validate(read_entry(files["data/" + member], member))[0].day.isoformat()
        assert files["data/" + member] == GOOD.replace("2026-06-01", day).encode()  # contents unchanged
    pages = sorted(name for name in files if name.startswith("site/sessions/") and name != "site/sessions/index.html")
    assert pages == ["site/sessions/-leading dash.html", "site/sessions/CON_.html", "site/sessions/a_b__c_d_e_f_g-2.html",
                     "site/sessions/a_b__c_d_e_f_g.html", "site/sessions/aux_.html", "site/sessions/tab_here.html",
                     "site/sessions/two_lines.html", "site/sessions/x.html"]


def test_a_255_byte_file_name_builds_and_exports(tmp_path, capsys):
    long_name = "é" * 100 + "a" * 51 + ".yml"  # 255 bytes in UTF-8, the most a file name can have
    assert len(long_name.encode()) == 255
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD, long_name: SECOND})
    for extra in ([], ["--lenient"]):
        assert run_in(project, "build", *extra) == 0, capsys.readouterr().err
    pages = sorted(p.name for p in (project / "site" / "sessions").glob("*.html"))
    assert len(pages) == 3 and "2026-06-01.html" in pages and "index.html" in pages
    (page,) = set(pages) - {"2026-06-01.html", "index.html"}
    assert re.fullmatch("é{45}-[0-9a-f]{8}\\.html", page), page  # cut at 100 bytes, told apart by a hash
    assert "Session of 8 Jun 2026" in (project / "site" / "sessions" / page).read_text(encoding="utf-8")
    files = export_of(project, capsys)
    (copy,) = [name for name in entry_file_column(files) if name != "entries/2026-06-01.yaml"]
    assert re.fullmatch("entries/é{45}-[0-9a-f]{8}\\.yml", copy), copy
    assert files["data/" + copy] == SECOND.encode()
    assert f"site/sessions/{page}" in files


def test_a_utf16_entry_is_exported_in_its_own_encoding_without_the_private_fields(tmp_path, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    text = SECOND.replace("\n", "\r\n") + "provider: Dr. Müller\r\nprivate_notes: |\r\n  mine\r\n"
    (project / "entries" / "2026-06-08.yaml").write_bytes("\ufeff".encode("utf-16-le") + text.encode("utf-16-le"))
    files = export_of(project, capsys)
    copy = files["data/entries/2026-06-08.yaml"]
    assert copy == "\ufeff".encode("utf-16-le") + text.split("private_notes")[0].encode("utf-16-le")
    (row,) = [row for row in csv.DictReader(io.StringIO(files["data/sessions.csv"].decode("utf-8-sig")))
              if row["date"] == "2026-06-08"]
    assert row["provider"] == "Dr. Müller"
