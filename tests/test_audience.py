"""What a provider may not see is taken out of the data, not hidden by a template.

A person's own templates may print any field. Here every template prints every field of
every entry, with none of the built-in conditions, and the export still holds no private notes
(and no notes unless asked), in the summary, the site, its search index, the data and the zip.
"""

from __future__ import annotations

import zipfile

import pytest

from conftest import run_in, write_project

PRIVATE = "PRIVATE-MARKER-7f3a"
NOTE = "NOTE-MARKER-c21e"
ENTRY = (
    "date: 2026-06-01\ndose_mg: 50\npre_mood: 3\npost_mood_2h: 5\nmood_day1: 4\nmood_day3: 3\nmood_day7: 3\n"
    f"notes: {NOTE}\nprivate_notes: {PRIVATE}\n"
)
SECOND = ENTRY.replace("2026-06-01", "2026-06-08")

# Prints every field of the session's entry, and of every entry in the journal, ignoring
# report.shows_notes and report.shows_private_notes.
EVERY_FIELD = (
    "{% for name, value in figure.entry %}<p>{{ name }}: {{ value }}</p>{% endfor %}"
    "<p>{{ figure.entry.private_notes }} {{ figure.entry.notes }}</p>"
)
EVERY_ENTRY = (
    "{% for e in report.journal.entries %}<p>{{ e.private_notes }} {{ e.notes }}</p>{% endfor %}"
    "{% for s in trends.sessions %}<p>{{ s.entry.private_notes }} {{ s.entry.notes }}</p>{% endfor %}"
)


@pytest.fixture
def indiscreet_project(tmp_path):
    project = write_project(tmp_path / "journal", {"2026-06-01.yaml": ENTRY, "2026-06-08.yaml": SECOND},
                            plugin_options="templates: my")
    pages = project / "my" / "pages"
    pages.mkdir(parents=True)
    (pages / "session.html").write_text(EVERY_FIELD, encoding="utf-8")
    for name in ("overview.html", "sessions.html", "trends.html"):
        (pages / name).write_text(EVERY_ENTRY, encoding="utf-8")
    return project


def bundle_texts(archive) -> dict[str, str]:
    with zipfile.ZipFile(archive) as opened:
        return {name: opened.read(name).decode("utf-8", "replace") for name in opened.namelist()}


def test_the_template_really_prints_the_fields_in_the_personal_report(indiscreet_project):
    # The personal report holds both: the templates above are not quietly unused.
    assert run_in(indiscreet_project, "build") == 0
    session = (indiscreet_project / "site" / "sessions" / "2026-06-01.html").read_text(encoding="utf-8")
    overview = (indiscreet_project / "site" / "index.html").read_text(encoding="utf-8")
    assert PRIVATE in session and NOTE in session
    assert PRIVATE in overview and NOTE in overview


@pytest.mark.parametrize("include_notes", [False, True], ids=["default", "include-notes"])
def test_withheld_fields_reach_no_file_of_the_export(indiscreet_project, include_notes):
    out = indiscreet_project / "out.zip"
    extra = ["--include-notes"] if include_notes else []
    assert run_in(indiscreet_project, "export", "--out", str(out), *extra) == 0
    texts = bundle_texts(out)
    site_pages = [name for name in texts if "/site/" in name and name.endswith(".html")]
    assert any(name.endswith("/site/sessions/2026-06-01.html") for name in site_pages)
    assert any(name.endswith("/site/search/search_index.json") for name in texts)
    holding_private = [name for name, text in texts.items() if PRIVATE in text]
    assert holding_private == []
    holding_notes = sorted(name for name, text in texts.items() if NOTE in text)
    if include_notes:
        # the session pages the template made, the summary, the CSV, the entry copies
        assert any(name.endswith("/site/sessions/2026-06-01.html") for name in holding_notes)
        assert any(name.endswith("/data/sessions.csv") for name in holding_notes)
    else:
        assert holding_notes == []
