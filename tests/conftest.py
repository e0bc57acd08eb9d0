"""Shared fixtures: real builds of real sites, and a real headless Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.cli import main as journal

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_TODAY = "2026-11-25"  # the example journal's "today": its newest follow-ups are pending
OUTPUT = REPO / "test-output"


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
        f"  - journal:\n      today: '{EXAMPLE_TODAY}'\n{options}"
        "  - search\n"
        "  - privacy:\n      assets_fetch: false\n      assets_exclude: [unpkg.com/mermaid@11/*]\n",
        encoding="utf-8",
    )
    return root


def build(project: Path, *extra: str) -> int:
    cwd = os.getcwd()
    os.chdir(project)
    try:
        return journal(["build", "--today", EXAMPLE_TODAY, *extra])
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example journal built with the repository's own mkdocs.yml, as the README does."""
    site = tmp_path_factory.mktemp("example") / "site"
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        status = journal(["build", "--today", EXAMPLE_TODAY, "--site-dir", str(site)])
    finally:
        os.chdir(cwd)
    assert status == 0, "the example journal must build"
    return site


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


def export_example(out: Path, *extra: str) -> Path:
    """`journal export` of the example journal, run in the repository as the README says;
    returns the zip."""
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        status = journal(["export", "--today", EXAMPLE_TODAY, "--out", str(out), *extra])
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

    folder = tmp_path_factory.mktemp("export")
    archive = export_example(folder)
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(folder / "unzipped")
    return archive


def unzipped_bundle(archive: Path) -> Path:
    """The bundle folder (summary.html, site/, data/...) of an unzipped `example_export`."""
    (folder,) = (archive.parent / "unzipped").iterdir()
    return folder


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
