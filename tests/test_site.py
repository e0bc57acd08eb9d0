"""The report site: real MkDocs builds, asserted on the HTML a person would read."""

from __future__ import annotations

import filecmp
import hashlib
import html
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import EXAMPLE_TODAY, build, with_vega_runtime, write_project
from generator import vega_bundle

PAGES = ["index.html", "sessions/index.html", "trends.html", "check-in.html", "checklists.html", "faq.html", "about.html", "problems.html"]


def page(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


def text_of(markup: str) -> str:
    """The page's visible words, roughly: tags removed, entities decoded, spaces folded."""
    markup = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def article(markup: str) -> str:
    match = re.search(r'<article class="md-content__inner[^"]*">(.*?)</article>', markup, re.S)
    assert match, "page has no article"
    return match.group(1)


def test_every_page_is_built(example_site):
    for name in PAGES:
        assert "<article" in page(example_site, name), name
    sessions = sorted((example_site / "sessions").glob("2026-*.html"))
    assert len(sessions) == 32


def test_overview_tells_the_example_story(example_site):
    words = text_of(article(page(example_site, "index.html")))
    assert "Ongoing adjustment" in words
    assert "150 mg" in words
    assert "Declining" in words  # the last window against the one before
    overview = page(example_site, "index.html")
    assert 'id="signal-benefit_declining"' in overview
    assert 'id="signal-effect_fading"' in overview
    assert 'id="signal-overlapping_prescribers"' not in overview  # the provider change had no overlap
    assert 'id="signal-self_harm_item"' not in overview
    # the key charts are on the overview, each with its spec for the page to draw, and no
    # static picture: the page draws them (and prints its drawing)
    assert overview.count('class="kj-chart"') >= 2 and 'id="chart-spec-lift"' in overview
    assert "<svg" not in article(overview)


def test_sessions_log_is_newest_first_by_month(example_site):
    log = article(page(example_site, "sessions/index.html"))
    months = re.findall(r"<h2[^>]*>([A-Z][a-z]+ \d{4})", log)
    assert months == ["November 2026", "October 2026", "September 2026", "August 2026", "July 2026", "June 2026"]
    dates = re.findall(r">(\d{1,2} [A-Z][a-z]{2} 2026)</a>", log)
    assert dates[0] == "22 Nov 2026" and dates[-1] == "1 Jun 2026" and len(dates) == 32


def test_session_page_has_every_field(example_site):
    words = text_of(article(page(example_site, "sessions/2026-08-08.html")))
    for expected in ["8 Aug 2026", "150 mg", "sublingual", "Riverside Ketamine Clinic", "nausea", "Notes", "Private notes"]:
        assert expected in words, expected
    # lift 0 on the bad session: mood before 4 and 4 two hours after
    assert re.search(r"Before the session 4 .*2 hours after 4 0", words)


def test_pending_follow_ups_show_their_due_day_not_a_dash(example_site):
    """Today is 25 Nov: 22 Nov's day-3 and day-7 moods and 19 Nov's day-7 mood are still
    to come. They read "due <day>", unlike a mood left empty after its day (a dash)."""
    late = article(page(example_site, "sessions/2026-11-22.html"))
    words = text_of(late)
    assert "Day 1 5 +1 Day 3 due 25 Nov Day 7 due 29 Nov" in words
    assert '<span class="kj-due">due 29 Nov</span>' in late
    assert "A dash (–) means the value was not written down; due and a date" in words
    assert "Day 7 due 26 Nov" in text_of(article(page(example_site, "sessions/2026-11-19.html")))
    missed = article(page(example_site, "sessions/2026-06-11.html"))  # day 7 left empty after its day
    assert "Day 7 – –" in text_of(missed) and not re.search(r"due \d", text_of(missed))

    def rows(markup: str) -> dict[str, list[str]]:
        found = {}
        for row in re.findall(r"<tr>(.*?)</tr>", markup, re.S):
            cells = [text_of(c) for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
            if cells:
                found[cells[0]] = cells
        return found

    log = article(page(example_site, "sessions/index.html"))
    table = rows(log)  # Date, Days since previous, Dose, Before, 2 h, Lift, Day 1, Day 3, Day 7, ...
    assert table["22 Nov 2026"][6:9] == ["5", "due 25 Nov", "due 29 Nov"]
    assert table["19 Nov 2026"][6:9] == ["5", "3", "due 26 Nov"]
    assert table["11 Jun 2026"][8] == "–" and table["12 Jul 2026"][7] == "–" and table["4 Sep 2026"][6] == "–"
    assert table["22 Nov 2026"][1] == "3" and table["1 Jun 2026"][1] == "–"  # days since the previous session
    legend = text_of(log.split("<h2", 1)[0])
    assert "A dash (–) means the value was not written down" in legend
    assert "due and a date, in italics, marks a follow-up whose day has not come yet" in legend

    sheet = article(page(example_site, "check-in.html"))
    recent = rows(sheet)
    assert recent["22 Nov 2026"][6:9] == ["5", "due 25 Nov", "due 29 Nov"]
    assert recent["19 Nov 2026"][8] == "due 26 Nov"
    assert "A dash (–): not written down; due and a date: a follow-up whose day has not come yet" in text_of(sheet)


def test_trends_page_has_every_chart_with_text_and_data(example_site):
    trends = page(example_site, "trends.html")
    keys = re.findall(r'<figure class="kj-chart" id="chart-([a-z0-9_]+)"', trends)
    assert keys == ["mood", "lift", "duration", "dose", "dose_lift", "dissociation", "side_effects", "phq9", "gad7"]
    for key in keys:
        figure = trends.split(f'id="chart-{key}"', 1)[1].split("</figure>", 1)[0]
        assert "<svg" not in figure, key  # drawn by the page, from its spec
        live = re.search(r'<div class="kj-chart-live" role="img" aria-label="([^"]+)" data-spec="chart-spec-%s"></div>' % key, figure)
        assert live and live[1].endswith("."), key  # named by its title and description, shown from the start
        assert "drawn by the page's script" in figure.split("<noscript>", 1)[1].split("</noscript>", 1)[0], key
        assert "<figcaption>" in figure, key
        assert "<table>" in figure, key
        assert f'id="chart-spec-{key}"' in figure, key
    # Search works only with the script running: the line for readers without it is not indexed.
    index = json.loads((example_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [doc["location"] for doc in index["docs"] if "drawn by the page" in doc["text"]]


def test_check_in_sheet_has_statements_questions_and_blanks(example_site):
    sheet = article(page(example_site, "check-in.html"))
    words = text_of(sheet)
    assert "How well it works" in words and "Side effects" in words
    assert "Questions for my prescriber" in words
    assert sheet.count('class="kj-answer"') >= 3
    assert "22 Nov 2026" in words  # the latest session is in the recent table


def test_check_in_sheet_starts_with_a_blank_for_the_name_and_heads_its_caveats(example_site):
    sheet = article(page(example_site, "check-in.html"))
    top = text_of(sheet.split('id="recent"', 1)[0])
    assert "Check-in sheet Name: Prepared 25 Nov 2026" in top  # a blank to fill in on paper
    assert 'class="kj-blank"' in sheet.split('id="recent"', 1)[0]
    # The caveats are a section of their own, at the size of the text around them.
    assert "<small" not in sheet
    heads = re.findall(r"<h2[^>]*>(.*?)</h2>", sheet)
    assert heads.index("What the data cannot say yet") == heads.index("Side effects") + 1
    caveats = sheet.split("What the data cannot say yet</h2>", 1)[1].split("<h2", 1)[0]
    items = [text_of(li) for li in re.findall(r"<li>(.*?)</li>", caveats, re.S)]
    assert "4 PHQ-9 scores were recorded as a total only, so the question on thoughts of self-harm could not be checked there." in items
    assert any(i.startswith("3 moods were left empty after their due day") for i in items)


def test_checklists_tick_what_the_data_decides(example_site):
    lists = article(page(example_site, "checklists.html"))
    items = re.findall(r'<li class="task-list-item">(.*?)</li>', lists, re.S)
    declined = next(i for i in items if "declined over several sessions" in i)
    assert "checked" in declined.split("</label>")[0]
    assert "from your journal" in declined
    assert "sessions/2026-1" in declined  # evidence links to the sessions behind it
    # an item the data leaves open says why, from the same figures
    trial = next(i for i in items if "has had an adequate trial" in i)
    assert "checked" not in trial.split("</label>")[0]
    # right under a ticked decline at the same dose, never "does not show this" (see test_signals)
    assert "Your journal does not show this" not in text_of(trial)
    assert ("Not on average at this dose: over all your time at 150 mg your average lift is +3.5 points over 26 "
            "sessions (since 22 Jun 2026), more than the 1 point that ordinary variation can explain") in text_of(trial)
    assert "Lately it has declined at this dose, as the first item says: +1.3 points" in text_of(trial)
    dissociation = next(i for i in items if "stronger dissociation" in i)
    assert "disabled" not in dissociation.split("</label>")[0]  # the person's own judgement
    assert "Red flags" in lists and "Switching providers" in lists


def test_no_page_reaches_another_host(example_site):
    pattern = re.compile(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", re.I)
    for path in example_site.rglob("*.html"):
        assert not pattern.search(path.read_text(encoding="utf-8")), path
    for path in example_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", path.read_text(encoding="utf-8")), path


def test_every_page_says_noindex_and_has_a_security_policy(example_site):
    for path in example_site.rglob("*.html"):
        markup = path.read_text(encoding="utf-8")
        assert markup.count('<meta name="robots" content="noindex, nofollow">') == 1, path
        assert "Content-Security-Policy" in markup, path


def test_vega_runtime_is_served_by_the_site(example_site):
    runtime = example_site / "assets" / "journal" / "vega-runtime.js"
    assert runtime.stat().st_size > 100_000
    assert "vegaEmbed" in runtime.read_text(encoding="utf-8")
    # journal.js loads it on the pages with charts (test_browser.py sees them drawn); no page
    # names it itself, so the pages without charts never parse it
    assert not [p for p in example_site.rglob("*.html") if "vega-runtime.js" in p.read_text(encoding="utf-8")]
    assert '"vega-runtime.js"' in (example_site / "assets" / "journal" / "journal.js").read_text(encoding="utf-8")


def test_the_runtimes_licence_notices_are_beside_it_and_the_about_page_links_them(example_site):
    """vl-convert's bundle leaves out the licence comments of the packages in it: the notices
    file of the package goes beside the runtime, and the About page links it, relative, so the
    link works in a report opened from disk."""
    notices = example_site / "assets" / "journal" / "vega-runtime-licenses.txt"
    assert notices.read_bytes() == vega_bundle.NOTICES.read_bytes()
    links = re.findall(r'href="([^"]*vega-runtime-licenses\.txt)"', page(example_site, "about.html"))
    assert links == ["assets/journal/vega-runtime-licenses.txt"]  # about.html is at the site's root
    assert (example_site / links[0]).resolve() == notices.resolve()
    assert "the copyright and licence notices of its parts are in vega-runtime-licenses.txt" in text_of(
        article(page(example_site, "about.html")))


def test_mkdocs_build_and_journal_build_make_the_same_site(tmp_path):
    project = write_project(tmp_path / "journal", {
        "2026-06-01.yaml": "date: 2026-06-01\ndose_mg: 50\npre_mood: 3\npost_mood_2h: 5\nmood_day1: 4\nmood_day3: 3\nmood_day7: 3\n",
        "2026-06-08.yaml": "date: 2026-06-08\ndose_mg: 75\npre_mood: 3\npost_mood_2h: 6\nmood_day1: 5\nmood_day3: 4\nmood_day7: 3\n",
    })
    assert build(project, "--site-dir", str(tmp_path / "by-journal")) == 0
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "by-mkdocs")],
        cwd=project, check=True, env={**os.environ, "JOURNAL_TODAY": EXAMPLE_TODAY},
    )
    left, right = tmp_path / "by-journal", tmp_path / "by-mkdocs"
    files = sorted(p.relative_to(left) for p in left.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(right) for p in right.rglob("*") if p.is_file())
    different = [str(f) for f in files if f.suffix == ".html" and not filecmp.cmp(left / f, right / f, shallow=False)]
    assert different == []


BROKEN = "date: 2026-06-08\ndose_mg: 75\npre_mood: 12\n"
GOOD = "date: 2026-06-01\ndose_mg: 50\npre_mood: 3\npost_mood_2h: 5\nmood_day1: 4\nmood_day3: 3\nmood_day7: 3\n"


def test_a_broken_entry_fails_the_build_with_its_located_message(tmp_path, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD, "2026-06-08.yaml": BROKEN})
    assert build(project) == 1
    err = capsys.readouterr().err
    assert "entries/2026-06-08.yaml:3:11: pre_mood: 12 is out of range (1-10)" in err
    assert "journal build --lenient" in err
    assert not (project / "site" / "index.html").exists()


def test_a_lenient_build_lists_the_broken_entry_and_leaves_it_out(tmp_path, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD, "2026-06-08.yaml": BROKEN})
    assert build(project, "--lenient") == 0
    err = capsys.readouterr().err
    assert "entries/2026-06-08.yaml:3:11: pre_mood: 12 is out of range (1-10)" in err
    assert "1 entry file has errors and was left out of the report" in err
    problems = text_of(article(page(project / "site", "problems.html")))
    assert "entries/2026-06-08.yaml:3:11" in problems and "pre_mood: 12 is out of range (1-10)" in problems
    overview = text_of(article(page(project / "site", "index.html")))
    assert "1 entry file was left out of the figures" in overview
    assert "Left out of this preview" not in page(project / "site", "index.html")  # the banner is for serve only
    assert "entries/2026-06-08.yaml" in overview
    sessions = article(page(project / "site", "sessions/index.html"))
    assert "1 Jun 2026" in sessions and "8 Jun 2026" not in sessions


def test_a_lenient_check_in_sheet_names_the_entries_it_leaves_out(tmp_path):
    """The check-in sheet goes to the prescriber: the newest sessions left out for a typo must
    be named on it (by day, else by file), not just missing from its figures and its table."""
    entries = {
        "2026-06-01.yaml": GOOD,
        "2026-06-08.yaml": BROKEN,  # its day can be read
        "2026-06-12.yaml": "date: 2026-06-31\ndose_mg: 75\n",  # its day cannot: named by its file
    }
    project = write_project(tmp_path, entries)
    assert build(project, "--lenient") == 0
    sheet = text_of(article(page(project / "site", "check-in.html")))
    line = ("2 entries left out: 8 Jun 2026 (entries/2026-06-08.yaml) and entries/2026-06-12.yaml have errors, "
            "so they are not in the figures or the table on this sheet until they are fixed.")
    assert line in sheet
    assert "from 1 journal entry " in sheet  # the two left out are not counted as used
    assert sheet.index("Prepared") < sheet.index(line) < sheet.index("Recent sessions")
    recent = sheet[sheet.index("Recent sessions"):]
    assert "1 Jun 2026" in recent and "8 Jun 2026" not in recent
    # one entry left out, and the safety notice still first: the line comes after it
    project = write_project(tmp_path / "one", {
        "2026-06-01.yaml": GOOD + "scores:\n  phq9: [1, 2, 1, 2, 1, 2, 1, 1, 2]\n", "2026-06-08.yaml": BROKEN,
    })
    assert build(project, "--lenient") == 0
    markup = article(page(project / "site", "check-in.html"))
    sheet = text_of(markup)
    line = ("1 entry left out: 8 Jun 2026 (entries/2026-06-08.yaml) has errors, "
            "so it is not in the figures or the table on this sheet until it is fixed.")
    assert line in sheet
    assert markup.index('class="admonition danger kj-signal"') < markup.index('id="left-out"')


def test_no_line_about_left_out_entries_without_errors(example_site):
    assert 'id="left-out"' not in page(example_site, "check-in.html")
    assert "left out" not in text_of(article(page(example_site, "check-in.html")))


def test_the_data_problems_page_names_the_left_out_files_and_puts_their_errors_first(tmp_path):
    """With many warnings, the errors (what leaves an entry out) were at the very bottom, and
    the box above did not say which files were left out."""
    warned = GOOD.replace("date: 2026-06-01", "date: 2026-05-20").replace("mood_day7: 3\n", "")
    entries = {"2026-05-20.yaml": warned, "2026-06-01.yaml": GOOD, "2026-06-08.yaml": BROKEN,
               "2026-06-12.yaml": "date: 2026-06-12\ndose_mg: 75mg\nside_effects: [none, nausea]\n"}
    project = write_project(tmp_path, entries)
    assert build(project, "--lenient") == 0
    problems = re.sub(r" ([.,])", r"\1", text_of(article(page(project / "site", "problems.html"))))  # links' ends
    assert ("These files have errors, so the overview, trends and check-in sheet do not include them until "
            "they are fixed: entries/2026-06-08.yaml and entries/2026-06-12.yaml.") in problems
    lines = re.findall(r"entries/[\d-]+\.yaml:\d+:\d+ (warning )?", problems)
    kinds = ["warning" if warning else "error" for warning in lines]
    assert kinds == ["error", "error", "warning", "warning"], problems
    # each left-out file under its own heading, its errors before its warnings, then the others
    order = [problems.index(text) for text in (
        "entries/2026-06-08.yaml (left out)", "pre_mood: 12 is out of range",
        "entries/2026-06-12.yaml (left out)", "dose_mg:", '"none" is listed together with nausea',
        "have warnings only", "entries/2026-05-20.yaml:")]
    assert order == sorted(order), problems


OUT_OF_RANGE = "is outside the dates the journal accepts (1980-01-01 to 2099-12-31)"


@pytest.mark.parametrize("written, hint", [("0026-06-08", "write the year with four digits, like 2026"), ("9999-12-31", "check the year")])
def test_a_date_outside_the_accepted_range_is_a_located_error_in_a_build(tmp_path, capsys, written, hint):
    """A year typed 0026 crashed every build (a date before year 1 in the charts)."""
    located = f"entries/2026-06-08.yaml:2:7: date: {written} {OUT_OF_RANGE}; {hint}"
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD, "2026-06-08.yaml": f"dose_mg: 75\ndate: {written}\n"})
    assert build(project) == 1
    assert located in capsys.readouterr().err
    assert not (project / "site").exists()
    assert build(project, "--lenient") == 0
    assert located in capsys.readouterr().err
    problems = text_of(article(page(project / "site", "problems.html")))
    assert "entries/2026-06-08.yaml:2:7" in problems and f"{written} {OUT_OF_RANGE}" in problems
    assert "1 Jun 2026" in article(page(project / "site", "sessions/index.html"))


def test_an_entry_with_1900_long_side_effects_charts_a_few_short_rows_and_lists_them_all(tmp_path):
    """A 770 KB entry of 1,900 distinct 400-character side effects took the build four minutes in
    the chart renderer. The charts now hold a bounded number of short rows; the session page
    still lists every side effect in full."""
    start = "tingling in the left arm that came and went " * 9
    many = [f"{start[:395]} {i:04d}" for i in range(1_900)]
    text = GOOD + "side_effects:\n" + "".join(f"  - {name}\n" for name in many)
    project = write_project(tmp_path, {"2026-06-01.yaml": text})
    assert build(project) == 0
    (spec,) = re.findall(r'<script type="application/json" id="chart-spec-side_effects">(.*?)</script>', page(project / "site", "trends.html"))
    rows = {v["effect"] for v in json.loads(spec)["data"]["values"]}
    assert len(rows) == 13 and max(len(r) for r in rows) <= 40
    session = text_of(article(page(project / "site", "sessions/2026-06-01.html")))
    assert all(name in session for name in many)


def test_lenient_setting_in_mkdocs_yml(tmp_path):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD, "2026-06-08.yaml": BROKEN}, "strict: false")
    assert build(project) == 0
    assert "pre_mood" in page(project / "site", "problems.html")


def test_a_template_override_is_picked_up(tmp_path):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD}, "templates: my_templates")
    (project / "my_templates").mkdir()
    (project / "my_templates" / "faq.html").write_text(
        "<p id='mine'>My own FAQ for {{ trends.sessions | length }} session(s).</p>", encoding="utf-8"
    )
    assert build(project) == 0
    assert "My own FAQ for 1 session(s)." in page(project / "site", "faq.html")
    assert "How long does finding the right dose take" not in page(project / "site", "faq.html")
    assert "kj-cards" in page(project / "site", "index.html")  # the other pages keep the built-in templates


class _Elements(HTMLParser):
    """Every element with its attributes, and the text of every script that would run."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        self._in_script = tag == "script" and attributes.get("type") != "application/json"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def test_typed_text_is_escaped_everywhere(tmp_path):
    hostile = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
    entry = (
        "date: 2026-06-01\ndose_mg: 50\npre_mood: 3\npost_mood_2h: 5\n"
        f"provider: '{hostile}'\n"
        f"side_effects: ['{hostile}']\n"
        f"notes: '{hostile} [x](javascript:alert(1)) {{{{ 7*7 }}}}'\n"
    )
    project = write_project(tmp_path, {"2026-06-01.yaml": entry})
    assert build(project) == 0
    for path in (project / "site").rglob("*.html"):
        parser = _Elements()
        parser.feed(path.read_text(encoding="utf-8"))
        for tag, attributes in parser.elements:
            assert not any(name.startswith("on") for name in attributes), (path, tag, attributes)
            assert not (attributes.get("href") or "").startswith("javascript:"), path
            assert not (tag == "img" and attributes.get("src") == "x"), path
        assert not any("pwned" in script for script in parser.scripts), path
    session = page(project / "site", "sessions/2026-06-01.html")
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in session
    words = text_of(article(session))
    assert "{{ 7*7 }}" in words and "49" not in words


def test_titles_are_escaped_in_the_title_element(tmp_path):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    (project / "extra" / "mine.md").write_text("# Dose &lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;\n", encoding="utf-8")
    assert build(project) == 0
    title = re.search(r"<title>(.*?)</title>", page(project / "site", "mine.html"), re.S).group(1)
    assert "<script>" not in title and "&lt;script&gt;" in title


def test_the_build_never_writes_into_entries(tmp_path):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD, "2026-06-08.yaml": BROKEN})

    def fingerprint():
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (project / "entries").iterdir()}

    before = fingerprint()
    build(project)
    build(project, "--lenient")
    assert fingerprint() == before


def test_bad_plugin_settings_are_reported(tmp_path, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD}, "window: 1")
    assert build(project) == 1
    assert "window" in capsys.readouterr().err


def test_an_outside_url_fails_the_build(tmp_path, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    (project / "extra" / "mine.md").write_text("# Mine\n\n![x](https://example.com/tracker.png)\n", encoding="utf-8")
    assert build(project) == 1
    err = capsys.readouterr().err
    assert "https://example.com/tracker.png" in err
    assert not (project / "site").exists()


def test_a_long_journal_is_charted_month_by_month(tmp_path):
    """Three years of weekly sessions (160) are too many to draw one by one: the charts
    over time show months, say so, and every session still has its page."""
    import datetime as dt

    start = dt.date(2023, 11, 1)
    entries = {}
    for i in range(160):
        day = start + dt.timedelta(weeks=i)
        entries[f"{day}.yaml"] = f"date: {day}\ndose_mg: {100 + 25 * (i // 40)}\npre_mood: 4\npost_mood_2h: {5 + i % 3}\n"
    project = write_project(tmp_path, entries)
    assert build(project) == 0
    site = project / "site"
    trends = text_of(article(page(site, "trends.html")))
    assert ("The journal has 160 sessions, too many to draw one by one, so the charts over time show one point "
            "per month: the average of that month's sessions.") in trends
    assert "Lift, month by month" in trends and "Dose over time, month by month" in trends
    # the numbers behind the lift chart are months, each with its sessions counted
    lift = page(site, "trends.html").split('id="chart-lift"', 1)[1].split("</figure>", 1)[0]
    months = re.findall(r"<tr><td>([A-Z][a-z]{2} \d{4})</td><td>(\d+)</td>", lift)
    assert months[0] == ("Nov 2023", "5") and len(months) == 37
    assert sum(int(count) for _, count in months) == 160
    assert len(list((site / "sessions").glob("2*.html"))) == 160
    overview = text_of(article(page(site, "index.html")))
    assert "Each bar is the average lift of one month's sessions" in overview
    about = text_of(article(page(site, "about.html")))
    assert "Up to 150 sessions, the charts over time draw every session. Beyond that, each point is one calendar month" in about


def test_an_average_effect_with_lower_bounds_reads_at_least(example_site):
    """The 6 sessions before the recent ones are read only up to the next session: 6+ (still
    above at it), 6, 6, 6, 7 and 7 days. The average is a lower bound: 'at least 6.3 days',
    saying why, and never 'at least 7.0 days' (an average of sessions all past day 7 reads
    '7 days or more', see test_signals)."""
    trends = text_of(article(page(example_site, "trends.html")))
    assert "at least 6.3 days (6 sessions, 1 still above at the next session)" in trends
    assert "at least 7.0 days" not in trends


def test_a_named_pipe_in_docs_dir_is_left_out_and_named(tmp_path):
    """Reading a named pipe waits for a writer that never comes: the build must not."""
    project = with_vega_runtime(write_project(tmp_path, {"2026-06-01.yaml": GOOD}))
    os.mkfifo(project / "extra" / "pipe.md")
    os.mkfifo(project / "extra" / "pipe.png")
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", "--today", EXAMPLE_TODAY],
        cwd=project, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "extra/pipe.md is not a regular file" in done.stderr
    assert "extra/pipe.png is not a regular file" in done.stderr
    assert (project / "site" / "index.html").is_file()
    assert not (project / "site" / "pipe.html").exists()


def test_the_style_sheet_closes_every_block_it_opens():
    """A stray brace makes a browser drop the rule after it (the preview banner's colour was)."""
    from generator.pages import builtin_templates_dir

    css = re.sub(r"/\*.*?\*/", "", (builtin_templates_dir() / "static" / "journal.css").read_text(encoding="utf-8"), flags=re.S)
    depth = 0
    for character in css:
        depth += {"{": 1, "}": -1}.get(character, 0)
        assert depth >= 0, "a } closes nothing"
    assert depth == 0
