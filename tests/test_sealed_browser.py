"""The sealed file (journal export --encrypt) opened from disk in a real headless Chromium with
every network request blocked, as a prescriber would open it: the full 600,000 PBKDF2 rounds,
the page's own script under its Content-Security-Policy, nothing installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import OUTPUT
from test_export_browser import offline  # noqa: F401  (the fixture: files only, requests recorded)
from test_sealed import PASSPHRASE, flip_one, sealed_export, sentences, summary_of  # noqa: F401

pytestmark = pytest.mark.browser

WRONG = "That passphrase does not open this file"
DAMAGED = "This file is damaged"

# the page's text without the download bar the sealed file adds above the summary
TEXT_WITHOUT_BAR = """() => { const body = document.body.cloneNode(true);
  body.querySelector('#kj-sealed-bar')?.remove(); return body.textContent; }"""


def unlock(page, path: Path, passphrase: str) -> None:
    page.goto(path.as_uri(), wait_until="load")
    page.fill("#passphrase", passphrase)
    page.click("button[type=submit]")


def test_a_wrong_passphrase_says_so_and_shows_nothing(offline, sealed_export):  # noqa: F811
    new_page, outside, errors = offline
    archive, sealed_file = sealed_export
    page = new_page()
    unlock(page, sealed_file, "violet harbour 7 lantern quietly?")
    page.wait_for_function(f"() => document.getElementById('status').textContent.includes({WRONG!r})", timeout=20_000)
    text = page.inner_text("body")
    assert DAMAGED not in text
    assert not any(sentence in text for sentence in sentences(summary_of(archive)))
    assert page.locator("#kj-sealed-bar").count() == 0 and page.input_value("#passphrase") == ""
    assert outside == [] and errors == []


def test_the_passphrase_shows_the_summary_and_gives_the_same_zip(offline, sealed_export, example_export, tmp_path):  # noqa: F811
    new_page, outside, errors = offline
    archive, sealed_file = sealed_export
    plain = new_page()
    summary_file = tmp_path / "summary.html"
    summary_file.write_text(summary_of(archive), encoding="utf-8")
    plain.goto(summary_file.as_uri(), wait_until="load")
    expected_text, expected_title = plain.evaluate("() => document.body.textContent"), plain.title()

    page = new_page()
    unlock(page, sealed_file, PASSPHRASE.replace(" ", "  "))  # spaces do not count
    page.wait_for_selector("#kj-sealed-bar a", timeout=20_000)
    assert page.title() == expected_title
    assert page.evaluate(TEXT_WITHOUT_BAR) == expected_text
    assert "What this is." in page.inner_text("#about")
    assert page.evaluate("() => document.querySelectorAll('figure.chart svg').length") == 9
    with page.expect_download() as download_info:
        page.click("#kj-sealed-bar a")
    download = download_info.value
    assert download.suggested_filename == archive.name
    got = Path(download.path()).read_bytes()
    assert got == archive.read_bytes() == example_export.read_bytes()  # the plain export's zip, byte for byte
    # printing shows the summary only
    page.emulate_media(media="print")
    assert page.locator("#kj-sealed-bar").is_hidden()
    (OUTPUT / "export").mkdir(parents=True, exist_ok=True)
    page.emulate_media(media="screen")
    page.screenshot(path=str(OUTPUT / "export" / "sealed-opened.png"))
    assert outside == [] and errors == []


def test_one_changed_byte_is_reported_as_damage(offline, sealed_export, tmp_path):  # noqa: F811
    new_page, outside, errors = offline
    archive, sealed_file = sealed_export
    damaged = tmp_path / sealed_file.name
    damaged.write_text(flip_one(sealed_file.read_text(encoding="utf-8")), encoding="utf-8")
    page = new_page()
    unlock(page, damaged, PASSPHRASE)  # the right passphrase: still damaged, not "wrong"
    page.wait_for_function(f"() => document.getElementById('status').textContent.includes({DAMAGED!r})", timeout=20_000)
    text = page.inner_text("body")
    assert WRONG not in text and not any(sentence in text for sentence in sentences(summary_of(archive)))
    assert outside == [] and errors == []


def test_the_lock_page_passes_axe(browser, sealed_export):  # noqa: F811
    from accessibility import axe_violations

    # axe is injected as a script of its own, which the page's policy rightly refuses: this
    # context lets it in (and still reads nothing but files)
    context = browser.new_context(bypass_csp=True)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
    try:
        page = context.new_page()
        unlock(page, sealed_export[1], "not the passphrase at all")
        page.wait_for_function(f"() => document.getElementById('status').textContent.includes({WRONG!r})", timeout=20_000)
        assert axe_violations(page, exclude=None) == []
    finally:
        context.close()
