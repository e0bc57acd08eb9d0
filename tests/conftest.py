"""Shared fixtures: real builds of real sites, and a real headless Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main as run_journal
from generator.journal import Journal, load_journal

REPO = Path(__file__).resolve().parents[1]

EXAMPLE_TODAY = "2026-11-25"  # the example journal's "today": its newest follow-ups are pending
OUTPUT = REPO / "test-output"

# The longest tests (seconds each: real builds in new processes, a wheel, a browser through
# every page), started first. The runner hands tests out in collection order, so a long test
# collected last (test_valid_journals and test_wheel are last by name) kept one core busy
# while the other had nothing left to run. Longest first; the rest keep their order.
LONG_FIRST = [
    "tests/test_valid_journals.py::",
    "tests/test_wheel.py::",
    "tests/test_browser.py::test_every_page_",
    "tests/test_properties.py::test_a_real_lenient_build",
    "tests/test_robustness.py::test_twenty_thousand_files",
    "tests/test_output.py::test_a_second_",
    "tests/test_accessibility.py::test_export_site_and_summary",
    "tests/test_serve.py::test_serve_",
    "tests/test_site.py::test_mkdocs_build_and_journal_build",
    "tests/test_chart_cache.py::test_a_second_",
    "tests/test_sealed.py::test_a_made_passphrase",
    "tests/test_properties.py::test_the_pipeline",
    "tests/test_output.py::test_a_build_killed_half_way",
]


def pytest_collection_modifyitems(items) -> None:
    def rank(item) -> int:
        return next((i for i, start in enumerate(LONG_FIRST) if item.nodeid.startswith(start)), len(LONG_FIRST))

    items.sort(key=rank)  # stable: the order within each rank stays


ENTRY_NAME = "2026-04-02.yaml"
MINIMAL_ENTRY = "date: 2026-04-02\ndose_mg: 150\n"
_DEFAULT: Any = object()  # an argument not given (where None means something); it stands in for any type


class JournalFolder:
    """A journal folder (entries/ inside the working directory) and `journal` commands run
    on it in this process, as a person would type them."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str], today: str = "2026-04-02"):
        self.root = root
        self.folder = root / "entries"
        self.folder.mkdir()
        self.today = today
        self._capsys = capsys

    def write(self, name: str | bytes, content: str | bytes = MINIMAL_ENTRY) -> Path:
        """Write an entry file (a `bytes` name is one that is not UTF-8)."""
        if isinstance(name, bytes):
            path = Path(os.fsdecode(os.fsencode(self.folder) + b"/" + name))
        else:
            path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    def run(self, *args: str) -> tuple[int, str, str]:
        code = run_journal(list(args))
        out, err = self._capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    def check(self, *args: str, today: str | None = _DEFAULT) -> tuple[int, list[str], str]:
        """`journal check`: its exit status, its message lines and its summary line."""
        today = self.today if today is _DEFAULT else today
        code, out, err = self.run("check", *(["--today", today] if today else []), *args)
        assert err == ""
        lines = out.splitlines()
        return code, lines[:-1], lines[-1]

    def problems(self, content: str | bytes, name: str = ENTRY_NAME) -> list[str]:
        """The messages for one file, which must have errors (exit status 1)."""
        self.write(name, content)
        code, lines, summary = self.check()
        assert code == 1, lines
        assert summary.startswith("1 entry, ")
        return lines

    def loaded(self, content: str | bytes, name: str = ENTRY_NAME):
        """The entry one file holds, which must have no problem at all."""
        self.write(name, content)
        assert self.check() == (0, [], "1 entry, 0 errors, 0 warnings")
        (entry,) = self.load().entries
        return entry

    def load(self, today: str | None = None) -> Journal:
        return load_journal(self.folder, today or self.today, base=self.root)


@pytest.fixture
def journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> JournalFolder:
    """An empty journal folder as the working directory; no JOURNAL_TODAY from outside."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JOURNAL_TODAY", raising=False)
    return JournalFolder(tmp_path, capsys)


def write_project(root: Path, entries: dict[str, str], plugin_options: str = "") -> Path:
    """A journal folder as a person would have it: mkdocs.yml, entries/, an extra-pages folder."""
    (root / "entries").mkdir(parents=True, exist_ok=True)
    (root / "extra").mkdir(exist_ok=True)
    for name, text in entries.items():
        (root / "entries" / name).write_text(text, encoding="utf-8")
    options = "".join(f"      {line}\n" for line in plugin_options.strip().splitlines())
    (root / "mkdocs.yml").write_text(
        "site_name: Test journal\n"
        "docs_dir: extra\n"
        "use_directory_urls: false\n"
        "theme:\n  name: material\n  font: false\n"
        "extra:\n  generator: false\n"
        "plugins:\n"
        + (f"  - journal:\n{options}" if options else "  - journal\n") +
        "  - search\n"
        "  - privacy:\n      assets_fetch: false\n      assets_exclude: [unpkg.com/mermaid@11/*]\n",
        encoding="utf-8",
    )
    return root


def run_in(project: Path, command: str, *extra: str) -> int:
    """`journal COMMAND --today EXAMPLE_TODAY ...` run in the project's folder, as a person would."""
    cwd = os.getcwd()
    os.chdir(project)
    try:
        return run_journal([command, "--today", EXAMPLE_TODAY, *extra])
    finally:
        os.chdir(cwd)


def build(project: Path, *extra: str) -> int:
    return run_in(project, "build", *extra)


def made_once(tmp_path_factory, name: str, make) -> Path:
    """A folder `make(folder)` fills, made once for the whole run: with the tests spread over
    processes (pytest-xdist), the first process to get here makes it and the others wait for
    it and read it, instead of each building the same thing again."""
    import fcntl

    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent  # this run's, shared by its workers
    folder = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / f"{name}.done").exists():
            folder.mkdir()
            make(folder)
            (shared / f"{name}.done").touch()
    return folder


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example journal built with the repository's own mkdocs.yml, as the README does."""

    def build_example(folder: Path) -> None:
        cwd = os.getcwd()
        os.chdir(REPO)
        try:
            status = run_journal(["build", "--today", EXAMPLE_TODAY, "--site-dir", str(folder / "site")])
        finally:
            os.chdir(cwd)
        assert status == 0, "the example journal must build"

    return made_once(tmp_path_factory, "example", build_example) / "site"


def search_results(page, words: str) -> list[str]:
    """Type into Material's search box on an open page; the results' text."""
    page.click("input.md-search__input")
    page.keyboard.type(words, delay=30)
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    return page.locator(".md-search-result__item").all_inner_texts()


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Skips locally without it; fails in CI."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but Chromium is not installed (apt-get install chromium)")
        pytest.skip("no Chromium found: install Debian's chromium package to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI is set but playwright is not installed (pip install -e '.[test]')")
        pytest.skip("playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield instance
        instance.close()


def file_only_context(browser):
    """A browser context in which anything but file:// is refused and recorded: returns the
    context and the list of what was asked for elsewhere (empty for a private page)."""
    from urllib.parse import urlparse

    context = browser.new_context(service_workers="block")
    requested: list[str] = []

    def route(route_):
        if urlparse(route_.request.url).scheme != "file":
            requested.append(route_.request.url)
            return route_.abort()
        return route_.continue_()

    context.route("**/*", route)
    return context, requested


def export_example(out: Path, *extra: str) -> Path:
    """`journal export` of the example journal, run in the repository as the README says;
    returns the zip."""
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        status = run_journal(["export", "--today", EXAMPLE_TODAY, "--out", str(out), *extra])
    finally:
        os.chdir(cwd)
    assert status == 0, "the example journal must export"
    zips = sorted(out.glob("*.zip")) if out.is_dir() else [out]
    assert len(zips) == 1, zips
    return zips[0]


@pytest.fixture(scope="session")
def example_export(tmp_path_factory) -> Path:
    """The example journal exported with the default options. Returns the zip; what it
    holds is unzipped next to it, into unzipped/ (see `unzipped_bundle`)."""
    import zipfile

    def export_and_unzip(folder: Path) -> None:
        archive = export_example(folder)
        with zipfile.ZipFile(archive) as opened:
            opened.extractall(folder / "unzipped")

    folder = made_once(tmp_path_factory, "export", export_and_unzip)
    (archive,) = folder.glob("*.zip")
    return archive


def unzipped_bundle(archive: Path) -> Path:
    """The bundle folder (summary.html, site/, data/...) of an unzipped `example_export`."""
    (folder,) = (archive.parent / "unzipped").iterdir()
    return folder


# --------------------------------------------------------------------------- compiled templates

def _keep_compiled_templates() -> None:
    """Jinja's compiled templates kept for the rest of this test process.

    MkDocs makes a new Jinja environment for every build (and the report's pages one of
    their own), so each of the suite's hundreds of real builds parsed and compiled the same
    fifty Material and report templates again: about a third of a small build's time. Jinja's
    bytecode cache is made for exactly this: a template is taken compiled only when its source
    is the same (by its SHA-1) and the environment compiles it the same way (generator.rebuilding's key:
    the syntax, whitespace and autoescape settings, the extensions, the filters and tests),
    else compiled anew and kept. What renders, and so every page, is the same; a template a
    test writes or changes is compiled from its new source."""
    import jinja2

    from generator.rebuilding import KeptTemplateCode

    cache = KeptTemplateCode()  # in memory only: the suite's builds need not share a folder
    made = jinja2.Environment.__init__

    def __init__(environment, *args, **kwargs):
        made(environment, *args, **kwargs)
        if environment.bytecode_cache is None:
            environment.bytecode_cache = cache

    setattr(jinja2.Environment, "__init__", __init__)  # noqa: B010 - a plain assignment to a method is refused by mypy


_keep_compiled_templates()


# The yaml-test-suite inputs, in ../shared beside the repository (as CI lays it out).
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "yaml-test-suite"
CASES = sorted(CORPUS.glob("*/in.yaml")) if CORPUS.is_dir() else []
EXPECTED_CASES = 402


def require_corpus() -> None:
    if len(CASES) == EXPECTED_CASES:
        return
    message = (
        f"the YAML test suite corpus is missing or incomplete: expected {EXPECTED_CASES} "
        f"*/in.yaml in {CORPUS} (../shared/corpora/yaml-test-suite beside the repository), "
        f"found {len(CASES)}"
    )
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def with_vega_runtime(project: Path) -> Path:
    """The project's chart cache given the Vega runtime, as any journal built once has it.
    The package ships the runtime (setup.py), so a build takes that one; this matters when
    it does not (a checkout whose vl-convert changed since `pip install -e .`): a build in a
    new process then does not make it again (a JavaScript engine for a second or two). The
    runtime does not depend on the entries; tests/test_performance.py and
    tests/test_chart_cache.py check how it is made and kept."""
    from generator.cache import FOLDER_NAME, DrawingCache
    from generator.charts import _runtime_key, vega_runtime_js

    DrawingCache(project / FOLDER_NAME).put(_runtime_key(), vega_runtime_js())
    return project
