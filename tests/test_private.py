"""Private by construction: whatever a person's mkdocs.yml says, a journal report loads and
links nothing from another website. Asserted on the written HTML and in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import build, file_only_context

GOOD = "date: 2026-06-01\ndose_mg: 50\npre_mood: 3\npost_mood_2h: 5\nmood_day1: 4\nmood_day3: 3\nmood_day7: 3\n"
# Material with web fonts asked for, no privacy plugin, no offline plugin: the plugin alone
MINIMAL_WITH_FONTS = "site_name: Mine\ntheme:\n  name: material\n  font:\n    text: Roboto\nplugins:\n  - journal\n"
OUTSIDE = re.compile(r"""(?:src|href|action|srcset)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*['"]?(?:https?:)?//""", re.I)


def minimal_project(root: Path, config: str = MINIMAL_WITH_FONTS) -> Path:
    (root / "entries").mkdir(parents=True)
    (root / "docs").mkdir()  # MkDocs' default docs_dir
    (root / "entries" / "2026-06-01.yaml").write_text(GOOD, encoding="utf-8")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site_with_fonts_asked_for(tmp_path_factory) -> Path:
    project = minimal_project(tmp_path_factory.mktemp("fonts"))
    assert build(project) == 0
    return project / "site"


def test_web_fonts_in_mkdocs_yml_never_reach_the_report(site_with_fonts_asked_for):
    pages = sorted(site_with_fonts_asked_for.rglob("*.html"))
    assert len(pages) >= 8
    for path in pages:
        markup = path.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in markup and "fonts.gstatic.com" not in markup, path
        assert not OUTSIDE.search(markup), (path, OUTSIDE.search(markup))
    for path in site_with_fonts_asked_for.rglob("*.css"):
        assert not OUTSIDE.search(path.read_text(encoding="utf-8")), path


@pytest.mark.browser
def test_web_fonts_in_mkdocs_yml_make_no_outside_request(browser, site_with_fonts_asked_for):
    context, requested = file_only_context(browser)
    page = context.new_page()
    for name in ("index.html", "trends/index.html"):  # this mkdocs.yml keeps directory URLs
        page.goto((site_with_fonts_asked_for / name).as_uri(), wait_until="load")
        page.wait_for_timeout(300)  # late requests (fonts are asked for after the styles)
    context.close()
    assert requested == []


def test_an_outside_link_or_image_fails_the_build_naming_page_and_url(tmp_path, capsys):
    project = minimal_project(tmp_path, MINIMAL_WITH_FONTS + "repo_url: https://git.example.org/me/journal\n")
    (project / "docs" / "mine.md").write_text("# Mine\n\n![x](https://tracker.example.net/pixel.png)\n", encoding="utf-8")
    assert build(project) == 1
    err = capsys.readouterr().err
    assert "https://tracker.example.net/pixel.png (in mine/index.html)" in err  # the page and the URL
    assert re.search(r"https://git\.example\.org/me/journal \(in [^)]*\bindex\.html", err)
    assert not (project / "site").exists()
