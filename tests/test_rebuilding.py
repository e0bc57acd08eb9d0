"""`journal serve` keeps compiled templates, search sections, each page's rendered theme
template, MkDocs' Markdown step of the journal's pages and the theme's list of files between
rebuilds (generator/rebuilding.py): a rebuild after any edit must make the very site a fresh
build of the same files makes."""

from __future__ import annotations

import filecmp
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from conftest import write_project
from generator.plugin import JournalPlugin

SERVE_URL = "http://127.0.0.1:8000/"
# pre_mood 2: other tests draw charts of the same days with 3, and drawn charts are kept per process
ENTRY = "date: {day}\ndose_mg: {dose}\npre_mood: 2\npost_mood_2h: {post}\nmood_day1: 5\nmood_day3: 4\nmood_day7: 3\nnotes: {note}\n"

# A build in a process of its own: MkDocs keeps one instance of a plugin with on_startup per
# process, so a build here would share the serve session's plugin and what it kept.
FRESH_BUILD = """
import logging, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
logging.getLogger("mkdocs").setLevel(logging.ERROR)
config = load_config(sys.argv[1], site_dir=sys.argv[2])
config.site_url = sys.argv[3]
build(config, serve_url=sys.argv[3])
"""


def entry(day: str, dose: int = 100, post: int = 6, note: str = "fine") -> str:
    return ENTRY.format(day=day, dose=dose, post=post, note=note)


def differences(one: Path, other: Path) -> list[str]:
    """Files that are only in one of the two sites, or differ."""
    found: list[str] = []

    def walk(compared: filecmp.dircmp, prefix: str) -> None:
        found.extend(f"{prefix}{name} (only in one)" for name in compared.left_only + compared.right_only)
        found.extend(f"{prefix}{name}" for name in compared.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(compared.left, compared.right, compared.common_files, shallow=False)
        found.extend(f"{prefix}{name}" for name in mismatch + errors)
        for name, below in compared.subdirs.items():
            walk(below, f"{prefix}{name}/")

    walk(filecmp.dircmp(one, other), "")
    return found


def test_every_serve_rebuild_makes_the_site_a_fresh_build_makes(tmp_path: Path):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    days = ("2026-06-01", "2026-06-04", "2026-06-08", "2026-06-11")
    project = write_project(tmp_path / "journal", {f"{d}.yaml": entry(d, dose=100 + 10 * i) for i, d in enumerate(days)},
                            "templates: mine")
    (project / "mine" / "theme").mkdir(parents=True)  # the person's theme templates, before Material's
    long_ago = time.time() - 60  # a folder changed in the last seconds is always listed again: this one is not
    os.utime(project / "mine" / "theme", (long_ago, long_ago))
    extra = project / "extra" / "questions.md"
    extra.write_text("# Questions\n\nAsk about sleep.\n", encoding="utf-8")
    served = tmp_path / "served"
    logging.getLogger("mkdocs").setLevel(logging.ERROR)

    def serve_build():
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(served))
        config.site_url = SERVE_URL
        build(config, serve_url=SERVE_URL)
        return config

    def write(name: str, text: str) -> None:
        (project / "entries" / name).write_text(text, encoding="utf-8")

    def own_page(text: str) -> None:
        extra.write_text(text, encoding="utf-8")

    def both(*edits: Callable[[], object]) -> None:
        for edit in edits:
            edit()

    def own_template() -> None:  # and a file of its own beside Material's, copied into the site
        (project / "mine" / "theme" / "partials").mkdir()
        (project / "mine" / "theme" / "partials" / "copyright.html").write_text("<p>Mine</p>\n", encoding="utf-8")
        (project / "mine" / "theme" / "mine.css").write_text("p { margin: 0 }\n", encoding="utf-8")

    def settings(old: str, new: str) -> None:
        config_file = project / "mkdocs.yml"
        config_file.write_text(config_file.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")

    edits = {  # each changes what some pages show, and another set of pages each time
        "a follow-up mood and a note": lambda: write("2026-06-08.yaml", entry("2026-06-08", dose=120, post=9, note="slept well")),
        "a new session and a heading of the person's own page": lambda: both(
            lambda: write("2026-06-15.yaml", entry("2026-06-15", dose=130)),
            lambda: own_page("# My questions\n\n## Later\n")),
        "a session removed": lambda: (project / "entries" / "2026-06-04.yaml").unlink(),
        "the text of the person's own page": lambda: own_page("# My questions\n\n## Later\n\nAsk about sleep too.\n"),
        "the site's name in mkdocs.yml": lambda: settings("site_name: Test journal", "site_name: Our test journal"),
        "a navigation of the person's own in mkdocs.yml": lambda: settings(
            "plugins:", "nav:\n  - Overview: index.md\n  - Sessions: sessions/index.md\n  - questions.md\nplugins:"),
        # a template of the theme's, now found first in the person's folder; mkdocs.yml is unchanged
        "a template of the person's own, in place of Material's": own_template,
        # the navigation of every page names that page by its heading; mkdocs.yml is unchanged
        "the heading of the person's page in that navigation": lambda: own_page("# Before the next visit\n\n## Later\n"),
    }
    kept_after = {"a follow-up mood and a note", "the text of the person's own page"}  # most pages unchanged
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(served))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        config.site_url = SERVE_URL
        build(config, serve_url=SERVE_URL)
        plugin: JournalPlugin = config.plugins["journal"]  # type: ignore[assignment]  # MkDocs types plugins as BasePlugin
        for number, (what, edit) in enumerate(edits.items()):
            edit()
            config = serve_build()
            assert config.plugins["journal"] is plugin  # the same serve session, as `journal serve` has
            fresh = tmp_path / f"fresh-{number}"
            subprocess.run([sys.executable, "-c", FRESH_BUILD, str(project / "mkdocs.yml"), str(fresh), SERVE_URL],
                           check=True, cwd=project)
            assert differences(served, fresh) == [], f"after {what}"
            if what in kept_after:  # what was kept was used
                renders = plugin.page_renders
                assert renders.hits > renders.misses > 0, (what, renders.hits, renders.misses)
                assert plugin.stub_renders.hits > 0
        assert plugin.template_code._code and plugin.search_sections._sections._used
        assert plugin.template_listing.listed < len(edits)  # the theme's files were not listed on every rebuild
    finally:
        config.plugins.on_shutdown()


def test_a_build_lists_the_theme_files_mkdocs_lists_without_walking_hidden_folders(tmp_path: Path, monkeypatch):
    """Every build (not only serve's) leaves folders whose name starts with a dot unlisted
    (Material's 14,000 icons are in `.icons`), and still finds exactly the theme files MkDocs'
    own listing finds: here with a person's theme folder holding a hidden folder, a hidden
    file and a nested folder of their own."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from generator import rebuilding

    project = write_project(tmp_path / "journal", {"2026-06-01.yaml": entry("2026-06-01")}, "templates: mine")
    theme = project / "mine" / "theme"
    for name in (".drafts/old.css", ".notes.css", "assets/mine/deeper/mine.css", "assets/.cache/x.js", "mine.js"):
        (theme / name).parent.mkdir(parents=True, exist_ok=True)
        (theme / name).write_text("/* mine */\n", encoding="utf-8")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)

    def theme_files(env) -> list[str]:
        files = Files([])
        files.add_files_from_theme(env, config)
        return sorted(file.src_uri for file in files)

    walked: list[str] = []
    walk = os.walk

    def walk_noted(top, *args, **kwargs):
        for found in walk(top, *args, **kwargs):
            walked.append(os.path.relpath(found[0], top))
            yield found

    monkeypatch.setattr(rebuilding.os, "walk", walk_noted)
    ours = theme_files(config.theme.get_env())  # the plugin's listing
    monkeypatch.setattr(rebuilding.os, "walk", walk)
    mkdocs_own = theme_files(type(config.theme).get_env(config.theme))  # the environment as MkDocs makes it
    assert ours == mkdocs_own
    assert "assets/mine/deeper/mine.css" in ours and "mine.js" in ours
    assert not any(name.startswith(".") or "/." in name for name in ours)
    hidden = [folder for folder in walked if any(part.startswith(".") and part != "." for part in Path(folder).parts)]
    assert "partials" in walked and hidden == []  # Material's own folders walked, its .icons not
    assert rebuilding._refuses_hidden(lambda name: True) is False  # another filter: everything listed
