"""Accessibility checks that go deeper than the every-page axe pass of test_browser.py: the
export (its site and summary.html), one page with its chart drawings, the real dark scheme,
headings the theme knows, keyboard focus and chart text size."""

from __future__ import annotations

import pytest

from accessibility import COLOUR_RULES, axe_violations, pages_to_inspect, to_dark
from conftest import REPO, build, unzipped_bundle, write_project

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("share", [0, 1])  # two shares, which the test runner spreads over the cores
def test_export_site_and_summary_pass_axe_in_both_schemes(browser, example_export, share):
    bundle = unzipped_bundle(example_export)
    # bypass_csp: the summary's policy forbids any script, axe's included
    context = browser.new_context(bypass_csp=True, service_workers="block")
    # The chart runtime is not loaded here (each chart then says it could not be drawn, and
    # where its numbers are): loading it on each page is slow, and the drawings are outside
    # axe's run anyway. test_browser.py checks every page of the example with its charts drawn.
    context.route("**/vega-runtime.js", lambda route: route.abort())
    outside: list[str] = []
    context.route("http*://**/*", lambda route: (outside.append(route.request.url), route.abort()))
    page = context.new_page()
    page.on("pageerror", lambda error: None)  # without the runtime the charts do not draw, by design here
    failures = []
    site = bundle / "site"
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html") if p.name != "404.html")
    assert len(pages) >= 40
    # axe in both schemes on one page per template (and a second session page only for
    # parts the first lacks: pages_to_inspect); every page is opened, and must ask nothing
    # of any host. test_browser.py does the same for the example site, with its charts drawn.
    deep = pages_to_inspect(site, pages)
    assert sum(p.startswith("sessions/") for p in deep) >= 2
    ordered = deep + [p for p in pages if p not in deep]
    for relative in ordered[share::2]:
        page.goto((site / relative).as_uri(), wait_until="load")
        if relative not in deep:
            continue
        found = axe_violations(page)
        to_dark(page)
        found += [f"dark {v}" for v in axe_violations(page, COLOUR_RULES)]
        if found:
            failures.append(f"{relative}: {found}")
    if share == 0:
        page.goto((bundle / "summary.html").as_uri(), wait_until="load")
        found = axe_violations(page, exclude=None)  # its charts included: it is one page
        page.emulate_media(color_scheme="dark")  # the summary keeps its light colours: still readable
        found += [f"dark {v}" for v in axe_violations(page, COLOUR_RULES, exclude=None)]
        if found:
            failures.append(f"summary.html: {found}")
    context.close()
    assert outside == [], f"requests to other hosts: {outside}"
    assert failures == []


def test_trends_with_its_chart_drawings_passes_axe_in_the_dark_scheme(browser, example_site):
    context = browser.new_context(color_scheme="dark", bypass_csp=True, service_workers="block")
    page = context.new_page()
    page.goto((example_site / "trends.html").as_uri(), wait_until="load")
    page.wait_for_function("() => [...document.querySelectorAll('figure.kj-chart')].every(f => f.dataset.drawn === 'live')", timeout=20_000)
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "slate"
    assert axe_violations(page, exclude=None) == []
    context.close()


def test_the_pages_naming_left_out_entries_pass_axe_in_both_schemes(browser, tmp_path):
    """A lenient build's check-in sheet (its line on the entries left out) and Data problems
    (the files named in its box, its errors first), which the example never shows."""
    good = "date: 2026-06-01\ndose_mg: 50\npre_mood: 3\npost_mood_2h: 5\n"
    project = write_project(tmp_path, {"2026-06-01.yaml": good, "2026-06-08.yaml": "date: 2026-06-08\ndose_mg: 75\npre_mood: 12\n",
                                       "2026-06-12.yaml": "date: 2026-06-31\ndose_mg: 75\n"})
    # the example's settings: its light and dark schemes
    settings = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(settings.replace("docs_dir: site_templates/extra", "docs_dir: extra"), encoding="utf-8")
    assert build(project, "--lenient") == 0
    context = browser.new_context(bypass_csp=True, service_workers="block")
    page = context.new_page()
    failures = []
    for name in ("check-in.html", "problems.html"):
        page.goto((project / "site" / name).as_uri(), wait_until="load")
        assert page.locator("#left-out" if name == "check-in.html" else ".admonition a").first.is_visible()
        found = axe_violations(page)
        to_dark(page)
        found += [f"dark {v}" for v in axe_violations(page, COLOUR_RULES)]
        if found:
            failures.append(f"{name}: {found}")
    context.close()
    assert failures == []


def test_long_pages_have_a_table_of_contents_and_a_skip_link(browser, example_site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((example_site / "trends.html").as_uri(), wait_until="load")
    toc = page.locator("nav.md-nav--secondary a.md-nav__link")
    assert "By dose" in toc.all_inner_texts()
    assert page.locator("nav.md-nav--secondary a.md-nav__link[href='#doses']").is_visible()
    # The skip link is the first thing the keyboard reaches and leads to the page's title
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('md-skip')")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#page-title"
    assert page.locator("h1#page-title").inner_text() == "Trends"
    page.close()


FOCUS = """() => {
    const e = document.activeElement;
    // a visually hidden input shows its focus on what stands for it, just after it
    const hidden = e.tagName === 'INPUT' && (e.getBoundingClientRect().width < 2 || getComputedStyle(e).opacity === '0');
    const shown = hidden ? e.nextElementSibling : e;
    const s = getComputedStyle(shown);
    return {tag: e.tagName, cls: e.className, type: e.type || '',
            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2, box: s.boxShadow !== 'none'};
}"""


def test_keyboard_focus_is_visible_on_every_control(browser, example_site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((example_site / "checklists.html").as_uri(), wait_until="load")
    seen = []
    for _ in range(120):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS)
        if focus["tag"] == "BODY":
            break
        seen.append(focus)
    assert any("md-option" in f["cls"] for f in seen) and any("md-search__input" in f["cls"] for f in seen)
    assert any(f["type"] == "checkbox" for f in seen)  # a checklist box
    assert any("md-nav__link" in f["cls"] for f in seen) and any("md-skip" in f["cls"] for f in seen)
    invisible = [f for f in seen if not (f["outline"] or f["box"])]
    assert invisible == []
    page.close()


def test_chart_text_is_at_least_12_px_at_default_zoom(browser, example_site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((example_site / "trends.html").as_uri(), wait_until="load")
    page.wait_for_function("() => [...document.querySelectorAll('figure.kj-chart')].every(f => f.dataset.drawn === 'live')", timeout=20_000)
    sizes = page.evaluate("""() => [...document.querySelectorAll('.kj-chart-live svg')].flatMap(svg => {
        const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
        return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    })""")
    assert len(sizes) > 50
    assert min(sizes) >= 12 - 0.01, min(sizes)
    page.close()


def test_the_deep_checks_see_every_kind_of_part_once_and_one_page_per_template(tmp_path):
    def page(relative: str, body: str) -> str:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f'<html><body class="page">{body}</body></html>', encoding="utf-8")
        return relative

    pages = [
        page("index.html", '<div class="kj-cards">'),
        page("sessions/index.html", '<table class="kj-table">'),
        page("sessions/2026-01-01.html", '<p class="kj-note">'),
        page("sessions/2026-01-08.html", '<p class="kj-note"><div class="admonition warning">'),
        page("sessions/2026-01-15.html", '<p class="kj-note">'),
        page("sessions/2026-01-22.html", '<table class="kj-phq9">'),
        # a section without a class of its own: a heading and a plain list
        page("sessions/2026-01-29.html", '<p class="kj-note"><h2 id="scores">Questionnaires</h2><ul><li>PHQ-9</li></ul>'),
    ]
    # The page with the most parts first, then only a page that adds one: the notice's page
    # covers the plain ones, the questionnaire's page is the only one with its table, and the
    # scores' page the only one with that heading (and a list).
    assert pages_to_inspect(tmp_path, pages) == [
        "index.html", "sessions/2026-01-08.html", "sessions/2026-01-22.html", "sessions/2026-01-29.html", "sessions/index.html",
    ]
