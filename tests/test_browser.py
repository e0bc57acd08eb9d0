"""Every page of the example report in a real headless Chromium: nothing leaves the
machine, nothing errors, every chart draws. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import OUTPUT

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


def test_every_page_loads_privately_without_errors_and_draws_its_charts(browser, served_site, example_site):
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
    for relative in pages:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message, errors=errors: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        page.on("requestfailed", lambda request, errors=errors: errors.append(f"failed: {request.url}"))
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
                "figure.kj-chart .kj-chart-live", "ls => ls.map(l => l.querySelectorAll('svg .mark-symbol, svg .mark-line, svg .mark-rect, svg .mark-line path, svg path').length)"
            )
            if not all(n > 0 for n in drawn):
                failures.append(f"{relative}: empty chart {drawn}")
        name = relative.replace("/", "_").replace(".html", ".png")
        page.screenshot(path=str(shots / name), full_page=relative in ("index.html", "trends.html", "check-in.html"))
        if errors:
            failures.append(f"{relative}: {errors}")
        page.close()
    context.close()
    assert outside == [], f"requests to other hosts: {outside}"
    assert failures == []


def test_search_finds_a_session(browser, served_site):
    page = browser.new_page()
    page.goto(served_site + "index.html", wait_until="networkidle")
    page.click("input.md-search__input")
    page.keyboard.type("Riverside", delay=50)
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    results = page.locator(".md-search-result__item").all_inner_texts()
    assert any("Session of" in r for r in results), results
    page.close()


def test_print_shows_the_static_charts(browser, served_site):
    page = browser.new_page()
    page.goto(served_site + "trends.html")
    page.wait_for_function("() => [...document.querySelectorAll('figure.kj-chart')].every(f => f.dataset.drawn === 'live')")
    page.emulate_media(media="print")
    visible = page.eval_on_selector_all(
        "figure.kj-chart", "fs => fs.map(f => getComputedStyle(f.querySelector('.kj-chart-static')).display !== 'none' && getComputedStyle(f.querySelector('.kj-chart-live')).display === 'none')"
    )
    assert visible and all(visible)
    page.close()


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
