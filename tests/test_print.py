"""The check-in sheet and the export's summary on paper, in the worst case the report can
produce, and the `patient` setting on both."""

from __future__ import annotations

import json
import re
import shutil
import zipfile

import pytest

from conftest import OUTPUT, REPO, build, run_in, write_project
from test_export_browser import pdf_destinations, pdf_pages

pytestmark = pytest.mark.browser

LONG_A = "Dr. Maximilian Alexander Featherstonehaugh-Worthington (Northern Lakeside Integrated Psychiatry and Ketamine Therapy Centre)"
LONG_B = "Riverside Community Ketamine Clinic and Interventional Psychiatry Partners of the Greater Metropolitan Area"
PATIENT = "patient:\n  name: Maximiliana Featherstonehaugh-Worthington\n  date_of_birth: 1984-03-09\n  record_number: RKC-2026-000481\n"


@pytest.fixture(scope="module")
def worst_case(tmp_path_factory):
    """The example journal made as long as a sheet gets: PHQ-9 question 9 answered 2 (the
    self-harm notice), a session with the first clinic inside the second one's period (the
    overlap notice), long provider names, many side effects, 12 recent sessions."""
    entries = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "entries").glob("*.yaml")}
    entries["2026-10-31.yaml"] = entries["2026-10-31.yaml"].replace("[1, 2, 1, 2, 1, 2, 1, 1, 0]", "[1, 2, 1, 2, 1, 2, 1, 1, 2]")
    entries = {name: text.replace("Dr. Amara Osei (Lakeside Psychiatry)", LONG_A).replace("Riverside Ketamine Clinic", LONG_B)
               for name, text in entries.items()}
    entries["2026-11-15.yaml"] = (
        "date: 2026-11-15\ndose_mg: 150\nroute: sublingual\npre_mood: 4\npost_mood_2h: 6\nmood_day1: 5\nmood_day3: 4\n"
        f"mood_day7: 4\nside_effects: [nausea, dizziness, headache, blurred vision, fatigue]\nprovider: {LONG_B}\n"
    )
    project = write_project(tmp_path_factory.mktemp("worst"), entries, "window: 12\n" + PATIENT)
    assert build(project) == 0
    return project


@pytest.fixture(scope="module")
def page(browser):
    page = browser.new_page()
    yield page
    page.close()


def test_check_in_sheet_with_both_notices_and_long_names_prints_on_one_page(page, worst_case):
    page.goto((worst_case / "site" / "check-in.html").as_uri(), wait_until="load")
    notices = page.locator(".kj-sheet .kj-signal").all_inner_texts()
    assert len(notices) == 2 and "please reach out now" in notices[0] and "More than one prescriber" in notices[1]
    assert page.locator(".kj-log tbody tr").count() == 12
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper)
        (OUTPUT / "screenshots").mkdir(parents=True, exist_ok=True)
        (OUTPUT / "screenshots" / f"check-in-worst-{paper}.pdf").write_bytes(pdf)
        assert len(pdf_pages(pdf)) == 1, paper
    page.emulate_media(media="print")
    # "What we agreed" and the next check-in stay together
    assert page.evaluate("() => getComputedStyle(document.querySelector('.kj-agreed')).breakInside") == "avoid"
    assert page.locator(".kj-agreed").inner_text().startswith("What we agreed")
    assert "Reassess the dose after" in page.locator(".kj-agreed").inner_text()
    page.emulate_media(media="screen")


def test_a_lenient_check_in_sheet_names_the_entries_it_left_out_on_paper_too(page, worst_case, tmp_path):
    """A typo in the newest entries the night before an appointment: the printed sheet says
    which sessions are missing from it, after the safety notices, and still fits one page."""
    project = tmp_path / "lenient"
    shutil.copytree(worst_case, project, ignore=shutil.ignore_patterns("site", ".journal-cache"))
    newest, before = project / "entries" / "2026-11-22.yaml", project / "entries" / "2026-11-19.yaml"
    newest.write_text(newest.read_text(encoding="utf-8").replace("dose_mg: 150\n", "dose_mg: 150mg\n"), encoding="utf-8")
    before.write_text(re.sub(r"(?m)^pre_mood: .*$", "pre_mood: 40", before.read_text(encoding="utf-8")), encoding="utf-8")
    assert build(project, "--lenient") == 0
    page.goto((project / "site" / "check-in.html").as_uri(), wait_until="load")
    line = ("2 entries left out: 19 Nov 2026 and 22 Nov 2026 "
            "have errors, so they are not in the figures or the table on this sheet until they are fixed.")
    try:
        page.emulate_media(media="print")
        shown = " ".join(page.locator("#left-out").inner_text().split())
        assert page.locator("#left-out").is_visible() and shown == line  # by day, without the screen's files and link
        # after both safety notices, before the sessions' table
        assert page.evaluate("""() => {
            const line = document.querySelector('#left-out'), after = Node.DOCUMENT_POSITION_FOLLOWING;
            return [...document.querySelectorAll('.kj-sheet .kj-signal')].every(n => n.compareDocumentPosition(line) & after)
                && !!(line.compareDocumentPosition(document.querySelector('h2#recent')) & after);
        }""")
        for paper in ("A4", "Letter"):
            pdf = page.pdf(format=paper)
            (OUTPUT / "screenshots").mkdir(parents=True, exist_ok=True)
            (OUTPUT / "screenshots" / f"check-in-left-out-{paper}.pdf").write_bytes(pdf)
            assert len(pdf_pages(pdf)) == 1, paper
    finally:
        page.emulate_media(media="screen")
    on_screen = " ".join(page.locator("#left-out").inner_text().split())
    assert on_screen.startswith("2 entries left out: 19 Nov 2026 (entries/2026-11-19.yaml) and 22 Nov 2026 (entries/2026-11-22.yaml) have errors")
    assert on_screen.endswith("Data problems says what to fix.")


def test_check_in_sheet_talking_points_are_short_sentences_without_brackets(page, worst_case, example_site):
    for site in (worst_case / "site", example_site):
        page.goto((site / "check-in.html").as_uri(), wait_until="load")
        for selector in ("h2#efficacy + p", "h2#side-effects + p"):
            text = page.inner_text(selector)
            assert not re.search(r"[()\[\]]", text), text
            sentences = [s for s in re.split(r"(?<=\.)\s+", text) if s]
            assert len(sentences) >= 2
            assert all(len(s.split()) <= 25 for s in sentences), sentences


def test_patient_on_the_sheet_and_the_summary_and_in_the_data_only_when_set(page, worst_case, example_export, tmp_path):
    page.goto((worst_case / "site" / "check-in.html").as_uri(), wait_until="load")
    assert " ".join(page.inner_text(".kj-sheet-name").split()) == (
        "Name: Maximiliana Featherstonehaugh-Worthington · Date of birth: 9 Mar 1984 · Record number: RKC-2026-000481"
    )
    assert run_in(worst_case, "export", "--out", str(tmp_path / "x.zip")) == 0
    with zipfile.ZipFile(tmp_path / "x.zip") as bundle:
        names = bundle.namelist()
        summary = bundle.read(next(n for n in names if n.endswith("/summary.html"))).decode()
        manifest = json.loads(bundle.read(next(n for n in names if n.endswith("/manifest.json"))))
        csv = bundle.read(next(n for n in names if n.endswith("sessions.csv"))).decode("utf-8-sig")
    assert "Patient: <strong>Maximiliana Featherstonehaugh-Worthington</strong> · date of birth 9 Mar 1984 · record number RKC-2026-000481" in summary
    assert manifest["patient"] == {"name": "Maximiliana Featherstonehaugh-Worthington", "date_of_birth": "1984-03-09", "record_number": "RKC-2026-000481"}
    assert "Featherstonehaugh-Worthington\n" not in csv and "Maximiliana" not in csv
    # Without the setting: no name anywhere, a blank on the sheet.
    with zipfile.ZipFile(example_export) as bundle:
        names = bundle.namelist()
        manifest = json.loads(bundle.read(next(n for n in names if n.endswith("/manifest.json"))))
        summary = bundle.read(next(n for n in names if n.endswith("/summary.html"))).decode()
        sheet = bundle.read(next(n for n in names if n.endswith("/site/check-in.html"))).decode()
    assert "patient" not in manifest and 'id="patient"' not in summary
    assert 'Name: <span class="kj-blank"></span>' in sheet


def test_a_bad_patient_setting_is_named(tmp_path, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": "date: 2026-06-01\ndose_mg: 50\n"}, "patient:\n  nmae: Jo\n")
    assert build(project) == 1
    assert "patient: unknown field 'nmae'" in capsys.readouterr().err


def test_summary_on_letter_ends_with_more_than_the_provider_key(page, example_export):
    from conftest import unzipped_bundle

    summary = unzipped_bundle(example_export) / "summary.html"
    page.emulate_media(media="print")  # as printing is: the page is shared, and a test before may have left "screen"
    page.goto(summary.as_uri(), wait_until="load")
    pdf = page.pdf(format="Letter", prefer_css_page_size=False)
    last = len(pdf_pages(pdf)) - 1
    found = pdf_destinations(pdf)
    # The last section (linked from the contents) starts on the last page, and the key to
    # the providers' letters comes before the table it explains, not after it.
    assert found["method"][0] == last
    assert page.evaluate(
        "() => !!(document.querySelector('#provider-key')"
        ".compareDocumentPosition(document.querySelector('table.log')) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )


def test_the_trends_page_prints_the_charts_the_page_drew(page, worst_case):
    """The site has no static pictures: what is printed is the drawing the page made, every
    chart whole on A4's printable width, and the PDF holds them."""
    page.emulate_media(media="screen")
    page.goto((worst_case / "site" / "trends.html").as_uri(), wait_until="load")
    page.wait_for_function("() => [...document.querySelectorAll('figure.kj-chart')].every(f => f.dataset.drawn === 'live')",
                           timeout=20_000)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 718, "height": 1000})  # A4's printable width
    try:
        charts = page.evaluate("""() => [...document.querySelectorAll('figure.kj-chart')].map(f => {
            const box = f.querySelector('.kj-chart-live'), svg = box.querySelector('svg');
            const drawn = svg.getBoundingClientRect(), room = box.getBoundingClientRect();
            return {visible: svg.checkVisibility(), high: drawn.height > 100, fits: drawn.right <= room.right + 1,
                    marks: svg.querySelectorAll('.mark-symbol path, .mark-line path, .mark-rect path').length > 0};
        })""")
        assert len(charts) == 9 and all(c == {"visible": True, "high": True, "fits": True, "marks": True} for c in charts), charts
        pdf = page.pdf(format="A4")
        (OUTPUT / "screenshots").mkdir(parents=True, exist_ok=True)
        (OUTPUT / "screenshots" / "trends-A4.pdf").write_bytes(pdf)
        # the same page with the drawings taken out prints on fewer pages: the PDF holds them
        page.evaluate("() => document.querySelectorAll('.kj-chart-live').forEach(box => box.replaceChildren())")
        assert len(pdf_pages(pdf)) > len(pdf_pages(page.pdf(format="A4"))) + 2
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})
