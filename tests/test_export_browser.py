"""The exported bundle in a real headless Chromium, opened from disk with every network
request blocked: the summary's charts are there, the report's charts draw and its search
works, nothing leaves file://, and the summary prints on A4 and US Letter with no chart
cut in two. Screenshots and PDFs go to test-output/export/."""

from __future__ import annotations

import re

import pytest

from conftest import OUTPUT, search_results, unzipped_bundle

pytestmark = pytest.mark.browser

SHOTS = OUTPUT / "export"
MM = 72 / 25.4  # PDF points per millimetre
# The summary's @page margins (top, sides, bottom), in mm.
MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM = 15, 14, 17
PAPER = {"A4": (595.92, 842.88), "Letter": (612.0, 792.0)}  # points, as Chromium writes them


@pytest.fixture()
def offline(browser):
    """A browser context that may read files and nothing else: every other request is
    aborted and recorded, and so are page errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    outside: list[str] = []
    errors: list[str] = []

    def route(route_):
        if route_.request.url.startswith("file://"):
            return route_.continue_()
        outside.append(route_.request.url)
        return route_.abort()

    context.route("**/*", route)
    context.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:", "about:")) else outside.append(r.url))

    def new_page():
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        return page

    yield new_page, outside, errors
    context.close()


def test_summary_opens_from_disk_with_its_charts_and_no_script(offline, example_export):
    new_page, outside, errors = offline
    bundle = unzipped_bundle(example_export)
    page = new_page()
    page.goto((bundle / "summary.html").as_uri(), wait_until="load")
    assert page.evaluate("() => document.scripts.length") == 0
    drawn = page.eval_on_selector_all(
        "figure.chart svg",
        "svgs => svgs.map(s => [s.getBoundingClientRect().width, s.querySelectorAll('path, .mark-symbol, .mark-rect').length])",
    )
    assert len(drawn) == 9
    assert all(width > 300 and marks > 0 for width, marks in drawn), drawn
    assert "What this is." in page.inner_text("#about")
    # The words as a reader sees them: a space before the providers' key, and the charts in
    # the contents as numbers, each in the middle of its link (at its left, a gap opened after it).
    assert "is not used for how long its effect lasted. Providers: A = " in page.inner_text("#sessions .intro")
    assert page.inner_text("ol.contents li:has(a[href='#charts'])") == "Charts: 1 2 3 4 5 6 7 8 9"
    gaps = page.eval_on_selector_all("ol.contents a.chart-ref", """links => links.map(a => {
        const range = document.createRange(); range.selectNodeContents(a);
        const box = a.getBoundingClientRect(), text = range.getBoundingClientRect();
        return text.left - box.left - (box.right - text.right);
    })""")
    assert len(gaps) == 9 and all(abs(gap) <= 1 for gap in gaps), gaps
    # On screen too, every table stays inside the text column (cells wrap, as on paper)
    wider = page.eval_on_selector_all("table", """tables => tables.map(t => [t.closest('section') ? t.closest('section').id : '',
        Math.round(t.getBoundingClientRect().right - document.body.getBoundingClientRect().right)]).filter(([, over]) => over > 0)""")
    assert wider == [], wider
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "summary.png"), full_page=True)
    assert outside == [] and errors == []


def test_exported_site_draws_its_charts_and_searches_from_disk(offline, example_export):
    new_page, outside, errors = offline
    site = unzipped_bundle(example_export) / "site"
    page = new_page()
    for name in ["index.html", "trends.html"]:
        page.goto((site / name).as_uri(), wait_until="load")
        page.wait_for_function(
            "() => [...document.querySelectorAll('figure.kj-chart')].every(f => f.dataset.drawn && f.dataset.drawn !== 'pending')",
            timeout=20_000,
        )
        states = page.eval_on_selector_all("figure.kj-chart", "fs => fs.map(f => f.dataset.drawn)")
        assert states and set(states) == {"live"}, (name, states)
    page.goto((site / "index.html").as_uri(), wait_until="load")
    results = search_results(page, "Riverside")
    assert any("Session of" in r for r in results), results
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "site-search.png"))
    assert outside == [] and errors == []


def pdf_pages(pdf: bytes) -> list[int]:
    """The object numbers of the pages, in page order (following the page tree)."""
    def kids(number: int) -> list[int]:
        body = _object(pdf, number)
        if re.search(rb"/Type\s*/Pages\b", body):
            listed = _group(rb"/Kids\s*\[(.*?)\]", body, re.S)
            return [page for kid in re.findall(rb"(\d+)\s+0\s+R", listed) for page in kids(int(kid))]
        return [number]

    root = int(_group(rb"/Root\s+(\d+)\s+0\s+R", pdf))
    tree = int(_group(rb"/Pages\s+(\d+)\s+0\s+R", _object(pdf, root)))
    return kids(tree)


def _object(pdf: bytes, number: int) -> bytes:
    return _group(rb"(?:^|\n)%d 0 obj\b(.*?)endobj" % number, pdf, re.S)


def _group(pattern: bytes, data: bytes, flags: int = 0) -> bytes:
    """The first group of the pattern's first match (a failed test when nothing matches)."""
    found = re.search(pattern, data, flags)
    assert found is not None, f"{pattern!r} is not in the PDF"
    return found.group(1)


def pdf_destinations(pdf: bytes) -> dict[str, tuple[int, float]]:
    """Named destinations (Chromium writes one for each element a link points to):
    name -> (page index, y in points from the page's bottom)."""
    root = int(_group(rb"/Root\s+(\d+)\s+0\s+R", pdf))
    dests = int(_group(rb"/Dests\s+(\d+)\s+0\s+R", _object(pdf, root)))
    order = {number: index for index, number in enumerate(pdf_pages(pdf))}
    found = {}
    for name, page, y in re.findall(rb"/([\w.-]+)\s*\[\s*(\d+)\s+0\s+R\s*/XYZ\s+[\d.]+\s+([\d.]+)", _object(pdf, dests)):
        found[name.decode()] = (order[int(page)], float(y))
    return found


# The doses ("50 mg") and the headers "2 h", "Day 1"... in the summary's tables, and those laid
# out on more than one line.
KEPT_TOGETHER = r"""() => {
    const split = []; let found = 0;
    for (const cell of document.querySelectorAll('table th, table td')) {
        const texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = texts.nextNode(); node; node = texts.nextNode()) {
            for (const m of node.data.matchAll(/\d+(\.\d+)?\s+(mg|h)\b|Day\s+\d/g)) {
                found += 1;
                const range = document.createRange();
                range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
                const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
                if (lines.size > 1) split.push(cell.closest('table').className + ': ' + m[0]);
            }
        }
    }
    return {found, split};
}"""


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_summary_prints_readable_pages_and_never_cuts_a_chart(offline, example_export, paper):
    new_page, outside, errors = offline
    summary = unzipped_bundle(example_export) / "summary.html"
    page = new_page()
    page.goto(summary.as_uri(), wait_until="load")
    pdf = page.pdf(format=paper, prefer_css_page_size=False)
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"summary-{paper}.pdf").write_bytes(pdf)

    pages = pdf_pages(pdf)
    assert len(pages) == len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))
    assert 5 <= len(pages) <= 14, f"{len(pages)} pages on {paper}"
    width, height = PAPER[paper]
    box = [float(v) for v in re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf).groups()]
    assert abs(box[0] - width) < 1 and abs(box[1] - height) < 1, box

    # Each chart's height as laid out for this paper (print styles, the page's content width).
    content_px = (width - 2 * MARGIN_SIDE * MM) / 0.75
    page.set_viewport_size({"width": round(content_px), "height": 1000})
    page.emulate_media(media="print")
    # Nothing is wider than the paper: a wider table makes Chromium shrink every page to fit it.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= round(content_px) + 1
    # A dose and its unit, and the headers "2 h" and "Day 1", stay on one line: not "50 / mg".
    assert page.evaluate(KEPT_TOGETHER) == {"found": 5 + 4 + 32 + 4, "split": []}  # history, by dose, sessions; headers
    heights = dict(page.eval_on_selector_all("figure.chart", "fs => fs.map(f => [f.id, f.getBoundingClientRect().height])"))
    destinations = pdf_destinations(pdf)
    content_top, content_bottom = height - MARGIN_TOP * MM, MARGIN_BOTTOM * MM
    assert len(heights) == 9
    for key, css_height in heights.items():
        assert key in destinations, f"no destination for {key} in the PDF"
        index, y = destinations[key]
        top = y - MARGIN_TOP * MM  # Chromium measures destinations from the page box's top, margin included
        bottom = top - css_height * 0.75
        assert content_bottom < top <= content_top + 1, f"{key} starts outside the page's content box"
        assert css_height * 0.75 < content_top - content_bottom, f"{key} is taller than a page"
        assert bottom >= content_bottom - 1, f"{key} on page {index + 1} runs {content_bottom - bottom:.0f}pt past the page"
    # The charts are in order, and spread over the pages rather than squeezed or lost.
    order = [destinations[key][0] for key in heights]
    assert order == sorted(order) and len(set(order)) >= 3
    assert outside == [] and errors == []
