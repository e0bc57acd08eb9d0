"""`journal serve` keeps compiled templates, search sections, each page's rendered theme
template, MkDocs' Markdown step of the journal's pages and the theme's list of files between
rebuilds (generator/rebuilding.py): a rebuild after any edit must make the very site a fresh
build of the same files makes."""

from __future__ import annotations

import filecmp
import json
import logging
import os
import subprocess
import sys
import time
import tomllib
import traceback
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import jinja2
import jinja2.bccache
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import REPO, write_project
from generator import rebuilding
from generator.cache import FOLDER_NAME, DrawingCache
from generator.plugin import JournalPlugin
from generator.rebuilding import (
    SHIPPED_TEMPLATES,
    KeptTemplateCode,
    recording_shipped_code,
    shipped_template_code,
    write_shipped_code,
)

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


# --------------------------------------------------------------------------- compiled templates shipped in the package

SHOUTING = "Hello {{ name | shout }}"


def page_environment(folder: Path, template_code: KeptTemplateCode) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True, bytecode_cache=template_code)
    env.filters["shout"] = str.upper
    return env


def ship(tmp_path: Path, source: str) -> Path:
    """page.html with `source`, compiled and recorded as setup.py's build step does, in a
    folder of its own; the package folder the shipped set is written to."""
    built = tmp_path / "built"
    built.mkdir()
    (built / "page.html").write_text(source, encoding="utf-8")
    with recording_shipped_code() as code:
        page_environment(built, KeptTemplateCode()).get_template("page.html")
    package = tmp_path / "package"
    package.mkdir()
    write_shipped_code(package / SHIPPED_TEMPLATES, code)
    assert str(built).encode() not in (package / SHIPPED_TEMPLATES).read_bytes()  # no path of the build's
    return package


def installed(tmp_path: Path, source: str) -> Path:
    folder = tmp_path / "installed"
    folder.mkdir(exist_ok=True)
    (folder / "page.html").write_text(source, encoding="utf-8")
    return folder


@pytest.fixture
def package(tmp_path, monkeypatch) -> Path:
    """A package folder shipping SHOUTING compiled, the one builds take shipped code from."""
    folder = ship(tmp_path, SHOUTING)
    monkeypatch.setattr(rebuilding, "shipped_template_code", lambda: shipped_template_code(folder))
    return folder


@pytest.fixture
def compiled(package, monkeypatch) -> list[str]:
    """The names of the templates Jinja compiles from now on (once the package is made)."""
    names: list[str] = []
    compile = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, *args, **kwargs):
        names.append(name)
        return compile(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return names


def test_the_installed_package_ships_its_templates_compiled():
    assert len(shipped_template_code()) > 40, "no compiled templates in the package: install it again (pip install -e .)"


def test_a_shipped_template_is_taken_compiled_wherever_the_package_is_installed(tmp_path, compiled):
    folder = installed(tmp_path, SHOUTING)
    env = page_environment(folder, KeptTemplateCode())
    template = env.get_template("page.html")
    assert template.render(name="you") == "Hello YOU"
    assert compiled == []
    # an error in it names the installed file (Jinja takes it from the code), not the build's
    assert template.filename == str(folder / "page.html")
    with pytest.raises(TypeError) as raised:
        template.render(name=None)
    frames = traceback.extract_tb(raised.value.__traceback__)
    assert (str(folder / "page.html"), 1) in [(frame.filename, frame.lineno) for frame in frames]


def test_an_edited_template_renders_its_new_text(tmp_path, compiled):
    env = page_environment(installed(tmp_path, "Goodbye {{ name | shout }}"), KeptTemplateCode())
    assert env.get_template("page.html").render(name="you") == "Goodbye YOU"
    assert compiled == ["page.html"]


def _another_jinja(monkeypatch, env):
    monkeypatch.setattr(rebuilding, "_compiler_versions", lambda: "3.1.99")


def _another_python(monkeypatch, env):
    # Jinja's bucket starts with its format and Python's version; code for another is refused
    monkeypatch.setattr(jinja2.bccache, "bc_magic", jinja2.bccache.bc_magic + b"another")


def _another_interpreter(monkeypatch, env):
    # another implementation or bytecode within the same Python version (PyPy 3.11, a
    # pre-release): Jinja's own check sees only the major and minor version
    import importlib.util
    import sys

    monkeypatch.setattr(sys.implementation, "cache_tag", "pypy311")
    monkeypatch.setattr(importlib.util, "MAGIC_NUMBER", b"\x00\x00\r\n")
    rebuilding._compiler_versions.cache_clear()
    monkeypatch.setattr(rebuilding, "_compiler_versions", rebuilding._compiler_versions.__wrapped__)


@pytest.mark.parametrize("change", [
    lambda monkeypatch, env: env.filters.update(shout=str.title),  # a filter of another library's version
    lambda monkeypatch, env: setattr(env, "trim_blocks", True),
    lambda monkeypatch, env: setattr(env, "autoescape", False),
    _another_jinja,
    _another_python,
    _another_interpreter,
], ids=["another filter", "another whitespace setting", "another escaping", "another Jinja", "another Python",
        "another interpreter"])
def test_code_shipped_for_another_environment_jinja_or_python_is_not_used(tmp_path, monkeypatch, compiled, change):
    env = page_environment(installed(tmp_path, SHOUTING), KeptTemplateCode())
    change(monkeypatch, env)
    expected = "Hello You" if env.filters["shout"] is str.title else "Hello YOU"
    assert env.get_template("page.html").render(name="you") == expected
    assert compiled == ["page.html"]


def test_a_damaged_shipped_file_is_not_used(tmp_path, package, compiled):
    data = bytearray((package / SHIPPED_TEMPLATES).read_bytes())
    data[-100] ^= 1
    (package / SHIPPED_TEMPLATES).write_bytes(bytes(data))
    assert shipped_template_code(package) == {}
    assert page_environment(installed(tmp_path, SHOUTING), KeptTemplateCode()).get_template("page.html").render(name="a") == "Hello A"
    assert compiled == ["page.html"]


def test_a_template_not_shipped_is_kept_in_the_journals_cache_and_nothing_in_the_package(tmp_path, monkeypatch, package, compiled):
    before = sorted(p.name for p in package.iterdir())
    (tmp_path / "journal").mkdir()
    store = DrawingCache(tmp_path / "journal" / FOLDER_NAME)
    folder = installed(tmp_path, "My own {{ name }}")  # the person's own template
    for _ in range(2):  # the second time as a new process: its memory empty, the journal's cache kept
        assert page_environment(folder, KeptTemplateCode(store)).get_template("page.html").render(name="a") == "My own a"
    assert compiled == ["page.html"]
    assert [p.name.split("-")[0] for p in store.folder.iterdir()] == ["template"]
    assert sorted(p.name for p in package.iterdir()) == before
    # a new Jinja (whose security fixes may be in the code it compiles) does not take it
    monkeypatch.setattr(rebuilding, "_compiler_versions", lambda: "3.1.99")
    assert page_environment(folder, KeptTemplateCode(store)).get_template("page.html").render(name="a") == "My own a"
    assert compiled == ["page.html", "page.html"]


# The recording, as setup.py runs it, then the top-level modules it imported.
RECORD = """
import json, sys
from pathlib import Path
from generator.template_bundle import record
print(record(Path(sys.argv[1])))
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_the_package_build_records_a_real_build_needing_only_what_it_requires(tmp_path):
    """The recording builds a journal for real, in a build environment where only
    pyproject.toml's [build-system] requires are installed: it imports none of the package's
    other dependencies (Altair, cryptography)."""
    done = subprocess.run([sys.executable, "-c", RECORD, str(tmp_path / SHIPPED_TEMPLATES)], cwd=tmp_path,
                          capture_output=True, text=True, check=True)
    count, modules = done.stdout.splitlines()[-2:]
    assert len(shipped_template_code(tmp_path)) == int(count) > 40  # Material's and the report's
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    runtime = {canonicalize_name(Requirement(line).name) for line in pyproject["project"]["dependencies"]}
    build = {canonicalize_name(Requirement(line).name) for line in pyproject["build-system"]["requires"]}
    owners = metadata.packages_distributions()
    imported = {canonicalize_name(owner) for module in json.loads(modules) for owner in owners.get(module, [])}
    assert imported & runtime and (imported & runtime) <= build, sorted(imported & runtime - build)
    assert sorted(p.name for p in tmp_path.iterdir()) == [SHIPPED_TEMPLATES]  # the journal it built is gone


def test_the_recording_is_skipped_where_the_build_environment_lacks_a_dependency(tmp_path, monkeypatch, capsys):
    """`pip install --no-build-isolation` without the dependencies installed: no compiled
    templates are shipped, and the build goes on (setup.py); a first build compiles them."""
    from generator import template_bundle

    real = template_bundle.find_spec
    monkeypatch.setattr(template_bundle, "find_spec", lambda name: None if name == "material" else real(name))
    assert template_bundle.main([str(tmp_path / SHIPPED_TEMPLATES)]) == template_bundle.SKIPPED
    assert "compiled templates not shipped: the build environment lacks mkdocs-material;" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
