"""Every page of the example report in a real headless Chromium: nothing leaves the
machine, nothing errors, every chart draws. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from accessibility import COLOUR_RULES, axe_violations, pages_to_inspect, to_dark
from conftest import OUTPUT, REPO, search_results

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served_site(example_site):
    handler = functools.partial(_QuietHandler, directory=str(example_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


def _pages(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html") if p.name != "404.html")


# Every page, in four shares that the test runner can spread over the cores.
SHARES = 4


@pytest.mark.parametrize("share", range(SHARES))
def test_every_page_loads_privately_without_errors_draws_its_charts_and_passes_axe(browser, served_site, example_site, share):
    shots = OUTPUT / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    outside: list[str] = []
    failures: list[str] = []

    def route(route_):
        host = urlparse(route_.request.url).hostname
        if host not in ("127.0.0.1", None):
            outside.append(route_.request.url)
            return route_.abort()
        return route_.continue_()

    context.route("**/*", route)
    pages = _pages(example_site)
    assert len(pages) >= 40
    # Every page is loaded and checked for outside requests, errors and drawn charts; axe,
    # the dark scheme and the screenshot go to one page per template (and a second session
    # page only for parts the first lacks): the other session pages are the same markup.
    deep = pages_to_inspect(example_site, pages)
    assert "sessions/index.html" in deep and sum(p.startswith("sessions/") for p in deep) >= 2
    ordered = deep + [p for p in pages if p not in deep]  # the deep checks spread over the shares
    # One tab goes from page to page (a new tab for each cost more than some pages' checks).
    # What goes wrong is recorded against the page that was asked for last: anything after
    # one page's checks (as it is left, say) is reported with the next one, or after the loop.
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A request cut short because the test moved on to the next page (the icon, often) is
    # not the page's failure; any other failure is. Outside hosts are refused and listed above.
    page.on("requestfailed", lambda request: request.failure != "net::ERR_ABORTED" and errors.append(f"failed: {request.url}"))
    for relative in ordered[share::SHARES]:
        page.goto(served_site + relative, wait_until="load")
        charts = page.locator("figure.kj-chart")
        count = charts.count()
        if count:
            page.wait_for_function(
                "() => [...document.querySelectorAll('figure.kj-chart')].every(f => f.dataset.drawn && f.dataset.drawn !== 'pending')",
                timeout=20_000,
            )
            states = page.eval_on_selector_all("figure.kj-chart", "fs => fs.map(f => f.dataset.drawn)")
            if states != ["live"] * count:
                failures.append(f"{relative}: charts {states}")
            drawn = page.eval_on_selector_all(
                "figure.kj-chart .kj-chart-live",
                "ls => ls.map(l => l.querySelectorAll("
                "'svg .mark-symbol, svg .mark-line, svg .mark-rect, svg .mark-line path, svg path').length)",
            )
            if not all(n > 0 for n in drawn):
                failures.append(f"{relative}: empty chart {drawn}")
        if relative in deep:
            # axe-core, WCAG 2.2 A and AA, in the light scheme and then the dark one
            found = axe_violations(page)
            to_dark(page)
            found += [f"dark {v}" for v in axe_violations(page, COLOUR_RULES)]
            page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'default')")
            if found:
                failures.append(f"{relative}: {found}")
            name = relative.replace("/", "_").replace(".html", ".png")
            page.screenshot(path=str(shots / name), full_page=relative in ("index.html", "trends.html", "check-in.html"))
        if errors:
            failures.append(f"{relative}: {errors[:]}")
            errors.clear()
    page.close()
    if errors:
        failures.append(f"after {relative}: {errors}")
    context.close()
    assert outside == [], f"requests to other hosts: {outside}"
    assert failures == []


def test_search_finds_a_session(browser, served_site):
    page = browser.new_page()
    page.goto(served_site + "index.html", wait_until="networkidle")
    results = search_results(page, "Riverside")
    assert any("Session of" in r for r in results), results
    page.close()


def test_search_works_opened_from_disk(browser, example_site):
    """`journal build` says to open site/index.html: search works there too (Material's
    offline plugin and the plugin's own worker shim), and nothing leaves file://."""
    context = browser.new_context()
    outside: list[str] = []

    def route(route_):
        if route_.request.url.startswith("file://"):
            route_.continue_()
        else:
            outside.append(route_.request.url)
            route_.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.goto((example_site / "index.html").as_uri(), wait_until="load")
    results = search_results(page, "Riverside")
    assert any("Session of" in r for r in results), results
    assert outside == []
    context.close()


def test_print_shows_the_charts_the_page_drew(browser, served_site):
    page = browser.new_page()
    page.goto(served_site + "trends.html")
    page.wait_for_function("() => [...document.querySelectorAll('figure.kj-chart')].every(f => f.dataset.drawn === 'live')")
    page.emulate_media(media="print")
    shown = page.eval_on_selector_all(
        "figure.kj-chart",
        "fs => fs.map(f => { const svg = f.querySelector('.kj-chart-live svg');"
        " return !!svg && svg.checkVisibility() && svg.getBoundingClientRect().height > 100; })",
    )
    assert len(shown) == 9 and all(shown), shown
    page.close()


def test_charts_give_the_sessions_days_in_a_browser_west_of_utc(browser, served_site):
    """Dates are calendar days: in Los Angeles, the charts drawn in the browser still give the
    first session as 1 Jun 2026, not 31 May (Vega reads 2026-06-01 as midnight UTC)."""
    sessions = {dt.date.fromisoformat(p.stem).strftime("%d %b %Y") for p in (REPO / "entries").glob("*.yaml")}
    context = browser.new_context(timezone_id="America/Los_Angeles")
    page = context.new_page()
    page.goto(served_site + "trends.html", wait_until="load")
    assert page.evaluate("() => new Date(Date.UTC(2026, 5, 1)).getDate()") == 31  # the browser is west of UTC
    page.wait_for_function("() => [...document.querySelectorAll('figure.kj-chart')].every(f => f.dataset.drawn === 'live')")
    labels = page.eval_on_selector_all(".kj-chart-live svg [aria-label]", "ns => ns.map(n => n.getAttribute('aria-label'))")
    context.close()
    shown = {day for label in labels for day in re.findall(r"Session: (\d\d \w{3} \d{4})", label)}
    assert "01 Jun 2026" in shown and "31 May 2026" not in shown
    assert shown == sessions


HOSTILE = [
    '<script>window.pwned = "script"</script>',
    '<img src=x onerror="window.pwned = \'img\'">',
    '<svg onload="window.pwned = \'svg\'"></svg>',
    '[click](javascript:window.pwned="link")',
    '<a href="javascript:window.pwned=\'a\'">x</a>',
    "{{ config.site_name }} {% raw %} ${window.pwned='template'}",
    '"><script>window.pwned="attr"</script>',
    "</script><script>window.pwned='json'</script>",
]


def test_injected_text_never_runs_in_the_browser(browser, tmp_path):
    from conftest import build, write_project

    payload = " ".join(HOSTILE)
    quoted = payload.replace("'", "''")
    entries = {
        "2026-06-01.yaml": (
            "date: 2026-06-01\ndose_mg: 50\npre_mood: 3\npost_mood_2h: 5\nmood_day1: 4\nmood_day3: 3\nmood_day7: 3\n"
            f"provider: '{quoted}'\nside_effects: ['{quoted}', nausea]\n"
            f"notes: '{quoted}'\nprivate_notes: '{quoted}'\n"
        ),
        "2026-06-08.yaml": f"date: 2026-06-08\ndose_mg: 60\npre_mood: 3\npost_mood_2h: 6\nside_effects: ['{quoted}']\n",
    }
    project = write_project(tmp_path, entries)
    assert build(project) == 0
    site = project / "site"
    page = browser.new_page()
    for relative in ["sessions/2026-06-01.html", "sessions/2026-06-08.html", "index.html", "trends.html", "sessions/index.html", "check-in.html"]:
        page.goto((site / relative).as_uri())
        page.wait_for_timeout(300)
        page.wait_for_function(
            "() => [...document.querySelectorAll('figure.kj-chart')].every(f => f.dataset.drawn && f.dataset.drawn !== 'pending')",
            timeout=20_000,
        )
        assert page.evaluate("() => window.pwned") is None, relative
        with_handlers = page.evaluate(
            "() => [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).map(e => e.outerHTML.slice(0, 80))"
        )
        assert with_handlers == [], relative
        script_links = page.evaluate("() => [...document.querySelectorAll('a[href^=\"javascript:\"]')].length")
        assert script_links == 0, relative
    page.goto((site / "sessions/2026-06-01.html").as_uri())
    assert "window.pwned" in page.inner_text("article")  # shown as the text it is
    page.close()


def test_printed_tables_show_every_column(browser, served_site):
    """Paper cannot scroll: in print layout no table may be cut off at the side."""
    page = browser.new_page()
    for relative in ["check-in.html", "sessions/index.html", "trends.html"]:
        page.goto(served_site + relative, wait_until="load")
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        clipped = page.eval_on_selector_all(
            "article table",
            """ts => ts.filter(t => {
                let box = t.getBoundingClientRect(), article = document.querySelector('article').getBoundingClientRect();
                let outer = t.closest('.kj-table') || t.parentElement;
                return box.right > article.right + 1 || outer.scrollWidth > outer.clientWidth + 1;
            }).map(t => t.innerText.slice(0, 40))""",
        )
        assert clipped == [], (relative, clipped)
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 1280, "height": 900})
    page.close()


# --- the check-in sheet on paper ---------------------------------------------------------

def test_check_in_sheet_with_a_safety_notice_still_prints_on_one_page(browser, tmp_path):
    """The example with PHQ-9 question 9 answered 2 on 31 Oct: the urgent notice prints at the
    top of the sheet (its text, without the closed evidence box), and the sheet still fits
    one page on A4 and on Letter."""
    from conftest import REPO, build, write_project
    from test_export_browser import pdf_pages

    entries = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "entries").glob("*.yaml")}
    assert "phq9: [1, 2, 1, 2, 1, 2, 1, 1, 0]" in entries["2026-10-31.yaml"]
    entries["2026-10-31.yaml"] = entries["2026-10-31.yaml"].replace("[1, 2, 1, 2, 1, 2, 1, 1, 0]", "[1, 2, 1, 2, 1, 2, 1, 1, 2]")
    project = write_project(tmp_path, entries)
    assert build(project) == 0
    page = browser.new_page()
    page.goto((project / "site" / "check-in.html").as_uri(), wait_until="load")
    page.emulate_media(media="print")
    notice = page.locator(".kj-sheet .kj-signal").first
    assert "please reach out now" in notice.inner_text() and "31 Oct 2026" in notice.inner_text()
    assert not page.locator(".kj-sheet .kj-evidence").first.is_visible()
    for paper in ("A4", "Letter"):
        assert len(pdf_pages(page.pdf(format=paper))) == 1, paper
    page.close()


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_check_in_sheet_prints_on_one_page(browser, served_site, paper):
    """The overview promises the check-in sheet on one printable page; the caveats print
    under their own heading at the size of the text around them."""
    from test_export_browser import pdf_pages

    shots = OUTPUT / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page()
    page.goto(served_site + "check-in.html", wait_until="load")
    pdf = page.pdf(format=paper)
    (shots / f"check-in-{paper}.pdf").write_bytes(pdf)
    assert len(pdf_pages(pdf)) == 1, f"the check-in sheet takes {len(pdf_pages(pdf))} pages on {paper}"

    page.emulate_media(media="print")
    sizes = page.evaluate(
        """() => {
            const sheet = document.querySelector('.kj-sheet');
            const heading = [...sheet.querySelectorAll('h2')].find(h => h.textContent.trim() === 'What the data cannot say yet');
            const size = e => parseFloat(getComputedStyle(e).fontSize);
            const caveat = [...heading.nextElementSibling.querySelectorAll('li')]
                .find(li => li.textContent.includes('PHQ-9 scores were recorded as a total only'));
            return {
                heading: size(heading), other_heading: size(sheet.querySelector('h2#side-effects')),
                caveat: caveat ? size(caveat) : 0, text: size(sheet.querySelector('h2#efficacy + p')),
                colour: getComputedStyle(caveat).color, text_colour: getComputedStyle(sheet.querySelector('h2#efficacy + p')).color,
                first_line: sheet.firstElementChild.innerText.trim(),
            };
        }"""
    )
    assert sizes["heading"] == sizes["other_heading"]
    assert sizes["caveat"] == sizes["text"] >= 11  # px: 8 pt and more on paper
    assert sizes["colour"] == sizes["text_colour"]
    assert sizes["first_line"] == "Name:"
    page.close()


# --- phones: charts and wide tables scroll sideways, and say so --------------------------

PHONE = {"width": 390, "height": 844}
DRAWN = "() => [...document.querySelectorAll('figure.kj-chart')].every(f => f.dataset.drawn && f.dataset.drawn !== 'pending')"
# Each chart's container, its smallest axis label as drawn, whether it scrolls, and the hint above it.
CHART_READING = """(selector) => [...document.querySelectorAll('figure.kj-chart')].map(f => {
    const box = f.querySelector(selector);
    const labels = [...box.querySelectorAll('.role-axis-label text')].map(t => t.getBoundingClientRect().height).filter(h => h > 0);
    const hint = box.previousElementSibling && box.previousElementSibling.classList.contains('kj-scroll-hint') ? box.previousElementSibling : null;
    return {id: f.id, label: labels.length ? Math.min(...labels) : 0, scrolls: box.scrollWidth > box.clientWidth + 1,
            overflow_x: getComputedStyle(box).overflowX, hint: hint && hint.checkVisibility() ? hint.innerText : ''};
})"""


def test_charts_on_a_phone_keep_legible_labels_and_scroll_sideways(browser, served_site):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, service_workers="block")
    page = context.new_page()
    page.goto(served_site + "trends.html", wait_until="load")
    page.wait_for_function(DRAWN, timeout=20_000)
    page.wait_for_timeout(200)  # the scroll cues follow the charts' resize
    charts = page.evaluate(CHART_READING, ".kj-chart-live")
    assert len(charts) == 9
    for chart in charts:
        assert chart["label"] >= 9, chart  # px high: legible, not shrunk to the screen
        assert chart["scrolls"] and chart["overflow_x"] == "auto", chart
        assert chart["hint"].startswith("Scroll sideways"), chart

    # Every chart opens at its left edge, as a table does: its title, its y-axis and the start of
    # its legend in view, which say what the lines are; the right edge fades, more is there.
    views = page.eval_on_selector_all(
        "figure.kj-chart .kj-chart-live",
        "bs => bs.map(b => ({left: b.scrollLeft, end: b.scrollWidth - b.clientWidth, overflow: b.dataset.kjOverflow}))",
    )
    assert len(views) == 9
    for view in views:
        assert view["left"] == 0 and view["end"] > 100 and view["overflow"] == "start", view
    in_view = """(pattern) => {
        const box = document.querySelector('#chart-mood .kj-chart-live'), seen = box.getBoundingClientRect();
        return [...box.querySelectorAll('svg text')].filter(t => new RegExp(pattern).test(t.textContent)).map(t => {
            const r = t.getBoundingClientRect();
            return r.left >= seen.left && r.right <= seen.right;
        });
    }"""
    for start in ("^Mood before and after each session$", "^Mood \\(1-10\\)$", "^10$", "^Before$"):
        assert page.evaluate(in_view, start) == [True], start  # the title, the y-axis and the legend's first
    page.locator("#chart-mood").screenshot(path=str(OUTPUT / "screenshots" / "phone-chart-mood.png"))
    # Scrolled to its end, the latest session's date label is in view.
    box = page.locator("#chart-mood .kj-chart-live")
    box.evaluate("b => b.scrollLeft = b.scrollWidth")
    page.wait_for_function("() => document.querySelector('#chart-mood .kj-chart-live').dataset.kjOverflow === 'end'")
    assert page.evaluate(in_view, "Nov")[-1]
    page.locator("#chart-mood").screenshot(path=str(OUTPUT / "screenshots" / "phone-chart-mood-latest.png"))
    box.evaluate("b => b.scrollLeft = 0")
    page.screenshot(path=str(OUTPUT / "screenshots" / "phone-trends.png"))
    context.close()


# How many cells of each chart's table of numbers are shown (on paper, with print media).
PRINTED_CELLS = "fs => fs.map(f => [...f.querySelectorAll('.kj-chart-data td')].filter(td => td.checkVisibility()).length)"


def test_charts_without_javascript_say_where_their_numbers_are(browser, served_site):
    """Nothing draws a chart without the page's script: each figure says so, and points to
    its numbers (the table under it; from the overview, the Trends page), with no empty box
    where the chart would be (its description stays in the caption)."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    for relative, count, where in (("trends.html", 9, "Its numbers are in the table below it."),
                                   ("index.html", 3, "Its numbers are on the Trends page, under the chart.")):
        page.goto(served_site + relative, wait_until="load")
        figures = page.eval_on_selector_all("figure.kj-chart", """fs => fs.map(f => {
            const line = f.querySelector('.kj-chart-noscript'), box = f.querySelector('.kj-chart-live');
            return {line: line && line.checkVisibility() ? line.innerText : '', box: box.checkVisibility(),
                    caption: f.querySelector('figcaption').innerText, drawn: box.querySelectorAll('svg').length};
        })""")
        assert len(figures) == count, relative
        for figure in figures:
            assert figure["line"] == "This chart is drawn by the page's script, which is not running here. " + where, figure
            assert not figure["box"] and figure["caption"].endswith(".") and figure["drawn"] == 0, figure
        if relative == "index.html":  # the overview's line links to the chart on the Trends page
            assert page.locator(".kj-chart-noscript a").first.get_attribute("href") == "trends.html#lift"
    # On paper too: the trends page printed without the script shows each chart's table,
    # which its line says is below it.
    page.goto(served_site + "trends.html", wait_until="load")
    page.emulate_media(media="print")
    shown = page.eval_on_selector_all("figure.kj-chart", PRINTED_CELLS)
    assert len(shown) == 9 and all(n > 0 for n in shown), shown
    context.close()


def test_a_runtime_that_breaks_leaves_each_chart_saying_so_and_its_numbers_open(browser, served_site):
    """A runtime cut short still fires its load event: each chart must still say it could not
    be drawn (beside its box, which is then no picture to a screen reader) and open its
    table, on screen and on paper, not stay an empty box."""
    context = browser.new_context(service_workers="block")
    context.route("**/vega-runtime.js", lambda route: route.fulfill(body="(function(){ var x = ;", content_type="text/javascript"))
    page = context.new_page()
    page.on("pageerror", lambda error: None)  # the broken runtime's own error, by design here
    page.goto(served_site + "trends.html", wait_until="load")
    page.wait_for_function("() => [...document.querySelectorAll('figure.kj-chart')].every(f => f.dataset.drawn === 'failed')")
    figures = page.eval_on_selector_all("figure.kj-chart", """fs => fs.map(f => {
        const line = f.querySelector('.kj-chart-failed'), box = f.querySelector('.kj-chart-live');
        return {line: line && line.checkVisibility() ? line.innerText : '', inBox: !!box.querySelector('.kj-chart-failed'),
                role: box.getAttribute('role'), box: box.checkVisibility(), open: f.querySelector('.kj-chart-data').open};
    })""")
    assert len(figures) == 9
    for figure in figures:
        assert figure == {"line": "This chart could not be drawn. Its numbers are in the table below it.",
                          "inBox": False, "role": None, "box": False, "open": True}, figure
    page.emulate_media(media="print")
    shown = page.eval_on_selector_all("figure.kj-chart", PRINTED_CELLS)
    assert all(n > 0 for n in shown), shown
    context.close()


def test_wide_tables_on_a_phone_scroll_with_a_cue_and_fit_a_wide_screen(browser, served_site):
    context = browser.new_context(viewport=PHONE, service_workers="block")
    page = context.new_page()
    page.goto(served_site + "sessions/index.html", wait_until="load")
    page.wait_for_selector(".md-typeset__scrollwrap")
    page.wait_for_timeout(200)
    tables = page.eval_on_selector_all(
        "article table",
        """ts => ts.map(t => {
            const box = t.closest('.md-typeset__scrollwrap'), hint = box.parentElement.querySelector('.kj-scroll-hint');
            return {scrolls: box.scrollWidth > box.clientWidth + 1, overflow: box.dataset.kjOverflow || '',
                    hint: hint && hint.checkVisibility() ? hint.innerText : '',
                    nested: !!box.closest('.kj-table') && box.closest('.kj-table').scrollWidth > box.closest('.kj-table').clientWidth + 1};
        })""",
    )
    assert len(tables) == 6
    for table in tables:
        assert table == {"scrolls": True, "overflow": "start", "hint": "Scroll sideways to see all of it →", "nested": False}
    page.screenshot(path=str(OUTPUT / "screenshots" / "phone-sessions.png"))

    # On a computer screen the tables and charts fit: every column shows, no cue.
    page.set_viewport_size({"width": 1280, "height": 900})
    for relative in ["sessions/index.html", "trends.html", "check-in.html"]:
        page.goto(served_site + relative, wait_until="load")
        page.wait_for_function(DRAWN, timeout=20_000)
        page.wait_for_timeout(200)
        cut = page.evaluate(
            """() => [...document.querySelectorAll('article .md-typeset__scrollwrap, article .kj-chart-live, article .kj-table')]
                .filter(b => b.clientWidth > 0 && b.scrollWidth > b.clientWidth + 1).map(b => b.className)"""
        )
        assert cut == [], relative
        assert page.locator(".kj-scroll-hint:visible").count() == 0, relative
    context.close()


def test_printing_from_a_phone_keeps_charts_whole(browser, served_site):
    """The phone's sideways scrolling is for the screen: on paper every chart fits the page."""
    context = browser.new_context(viewport=PHONE, service_workers="block")
    page = context.new_page()
    page.goto(served_site + "trends.html", wait_until="load")
    page.wait_for_function(DRAWN, timeout=20_000)
    page.emulate_media(media="print")
    for width in (390, 718):  # the phone's own width, and A4's printable width
        page.set_viewport_size({"width": width, "height": 1000})
        charts = page.evaluate(
            """() => [...document.querySelectorAll('figure.kj-chart .kj-chart-live')].map(box => {
                const svg = box.querySelector('svg').getBoundingClientRect(), room = box.getBoundingClientRect();
                return {visible: box.checkVisibility(), fits: svg.right <= room.right + 1 && box.scrollWidth <= box.clientWidth + 1,
                        masked: getComputedStyle(box).maskImage !== 'none'};
            })"""
        )
        assert charts and all(c == {"visible": True, "fits": True, "masked": False} for c in charts), (width, charts)
        assert page.locator(".kj-scroll-hint:visible").count() == 0
    context.close()


# --- contrast ----------------------------------------------------------------------------

CONTRAST = """(selector) => [...document.querySelectorAll(selector)].map(e => {
    const rgba = c => c.match(/[\\d.]+/g).map(Number);
    const [r, g, b, a = 1] = rgba(getComputedStyle(e).color), bg = rgba(getComputedStyle(document.body).backgroundColor);
    const alpha = a * parseFloat(getComputedStyle(e).opacity);  // Material fades <small> with opacity
    const mix = [r, g, b].map((v, i) => v * alpha + bg[i] * (1 - alpha));
    const lum = c => c.map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
                      .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
    const [hi, lo] = [lum(mix), lum(bg)].sort((x, y) => y - x);
    return [(hi + 0.05) / (lo + 0.05), e.innerText.slice(0, 40)];
})"""


def test_statements_notes_and_titles_have_strong_contrast(browser, served_site):
    page = browser.new_page()
    checks = {
        "index.html": ["article h1", "blockquote.kj-statement p", ".kj-card-note", ".kj-card-label"],
        "check-in.html": [".kj-sheet-meta", ".kj-legend", ".kj-due", ".kj-sheet p"],
        "sessions/2026-11-22.html": [".kj-due", ".kj-legend"],
        "checklists.html": [".task-list-item small"],  # what the journal shows, and its evidence
    }
    for relative, selectors in checks.items():
        page.goto(served_site + relative, wait_until="load")
        for selector in selectors:
            found = page.evaluate(CONTRAST, selector)
            assert found, (relative, selector)
            for ratio, text in found:
                assert ratio >= 7, (relative, selector, text, round(ratio, 2))
    page.close()


def test_open_checklist_items_have_a_visible_circle(browser, served_site):
    page = browser.new_page()
    page.goto(served_site + "checklists.html", wait_until="load")
    circles = page.eval_on_selector_all(
        ".task-list-item input:not(:checked) + .task-list-indicator",
        """spans => spans.map(s => {
            const c = getComputedStyle(s, '::before');
            const [r, g, b] = c.borderTopColor.match(/[\\d.]+/g).map(Number);
            return {width: parseFloat(c.borderTopWidth), style: c.borderTopStyle, size: parseFloat(c.width),
                    dark: Math.max(r, g, b) <= 0x76};  // #767676 and darker: 4.5:1 and more on white
        })""",
    )
    assert len(circles) >= 3
    for circle in circles:
        assert circle["width"] >= 1.5 and circle["style"] == "solid" and circle["size"] >= 15 and circle["dark"], circle
    page.locator(".task-list-item:has(input:not(:checked))").first.screenshot(path=str(OUTPUT / "screenshots" / "checklist-open-item.png"))
    page.close()
