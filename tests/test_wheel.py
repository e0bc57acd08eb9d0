"""The tool as a person gets it: a wheel installed into a new environment, and a journal of
their own started in an empty folder far from this repository: init, an entry filled in,
check, build, export. Nothing loads from another host and nothing is written outside it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, file_only_context
from generator.rebuilding import SHIPPED_TEMPLATES

TODAY = "2026-04-03"
OUTSIDE = re.compile(r"""(?:src|href|action|srcset)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*['"]?(?:https?:)?//""", re.I)
SCHEMA_LINE = "# yaml-language-server: $schema="


@dataclass
class Trial:
    python: Path
    folder: Path  # the journal folder
    bundle: Path  # the export, unzipped (by the test, elsewhere)
    outputs: dict[str, subprocess.CompletedProcess]
    around_before: list[str]
    around_after: list[str]
    home_after: list[str]


def _listing(root: Path, skip: Path | None = None) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if skip is None or not p.is_relative_to(skip))


def _install_wheel(work: Path) -> Path:
    """Build the wheel from a copy of the sources (the build writes beside them) and install
    it into a new environment. For speed, that environment reaches the dependencies through
    the test environment's site-packages (a .pth line, added after its own); the project
    itself comes only from the wheel, as the test asserts.

    The wheel is built with the test environment's packages (inside the declared ranges, as
    tests/test_dependencies.py checks), not in an isolated environment made from
    [build-system] requires: installing MkDocs, Material and the rest into one took 20 to 40 s
    on the development machine, where this build takes 3 s. The isolated build is the one
    the README's `pip install -e .` (and so CI) makes, which fails if it lacks a package."""
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):  # setup.py: the steps that make the runtime and the templates
        shutil.copy(REPO / name, source / name)
    # not what an editable install of this checkout made: the wheel's build makes its own
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "vega-runtime.js", "vega-runtime.version", SHIPPED_TEMPLATES)
    for name in ("generator", "site_templates"):
        shutil.copytree(REPO / name, source / name, ignore=ignore)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(work / "dist"),
                    str(source)], check=True, capture_output=True)
    (wheel,) = (work / "dist").glob("ketamine_journal-*.whl")
    with zipfile.ZipFile(wheel) as opened:
        names = opened.namelist()
    assert "generator/vega-runtime.js" in names and "generator/vega-runtime.version" in names, names
    assert "generator/vega-runtime-licenses.txt" in names, names  # the notices go wherever the runtime goes
    assert f"generator/{SHIPPED_TEMPLATES}" in names, names
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True)
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    return python


@pytest.fixture(scope="module")
def trial(tmp_path_factory) -> Trial:
    work = tmp_path_factory.mktemp("wheel")
    python = _install_wheel(work)
    place, home = work / "place", work / "home"
    place.mkdir()
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("JOURNAL_TODAY", "PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(HOME=str(home), PATH=f"{python.parent}{os.pathsep}{env.get('PATH', '')}")
    outputs = {}

    def journal(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
        done = subprocess.run([str(python.parent / "journal"), name, *args], cwd=cwd, env=env, capture_output=True, text=True)
        assert "Traceback" not in done.stderr, done.stderr
        outputs[name] = done
        return done

    before = _listing(place)
    assert journal("init", "my-journal", "--today", "2026-04-02", cwd=place).returncode == 0
    folder = place / "my-journal"
    entry = folder / "entries" / "2026-04-02.yaml"
    text = entry.read_text(encoding="utf-8")
    for key, value in (("dose_mg", "150"), ("route", "sublingual"), ("pre_mood", "4"), ("post_mood_2h", "7"), ("mood_day1", "6")):
        text = re.sub(rf"^{key}:\s+#", f"{key}: {value}  #", text, flags=re.M)
    entry.write_text(text, encoding="utf-8")
    journal("check", "--today", TODAY, cwd=folder)
    journal("build", "--today", TODAY, cwd=folder)
    journal("export", "--today", TODAY, cwd=folder)
    after = _listing(place, skip=folder)
    (archive,) = folder.glob("journal-export-*.zip")
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(work / "unzipped")
    (bundle,) = (work / "unzipped").iterdir()
    return Trial(python, folder, bundle, outputs, before, after, _listing(home))


def test_a_journal_of_ones_own_from_the_wheel(trial):
    located = subprocess.run([str(trial.python), "-c", "import generator; print(generator.__file__)"],
                             cwd=trial.folder, capture_output=True, text=True, check=True).stdout
    assert located.startswith(str(trial.python.parent.parent)), located  # the wheel, not this checkout
    check = trial.outputs["check"]
    assert (check.returncode, check.stdout) == (0, "1 entry, 0 errors, 0 warnings\n")
    assert trial.outputs["build"].returncode == 0, trial.outputs["build"].stderr
    export = trial.outputs["export"]
    assert export.returncode == 0, export.stderr
    assert re.search(r"^Size of the zip: \d+(\.\d)? (KB|MB)$", export.stdout, re.M)
    assert (trial.folder / "site" / "index.html").is_file() and (trial.folder / "site" / "follow-ups.ics").is_file()
    assert (trial.bundle / "summary.html").is_file() and (trial.bundle / "site" / "index.html").is_file()
    # nothing written outside the journal folder: not beside it, not in HOME
    assert trial.around_before == [] and trial.around_after == []  # (the listing leaves the journal folder out)
    assert (trial.folder / "entries").is_dir()
    assert trial.home_after == []


def test_the_vega_runtime_comes_from_the_wheel_and_no_build_makes_it(trial):
    """The wheel's build made the runtime (setup.py): the journal's first build and its export
    take it as it is, so neither starts vl-convert to make it (a second process, 1.8 s of CPU
    and 150 MiB); a runtime made by a build would be kept in the journal's cache."""
    package = Path(subprocess.run([str(trial.python), "-c", "import generator; print(generator.__file__)"],
                                  capture_output=True, text=True, check=True).stdout.strip()).parent
    shipped = (package / "vega-runtime.js").read_bytes()
    assert b"vegaEmbed" in shipped
    assert (trial.folder / "site" / "assets" / "journal" / "vega-runtime.js").read_bytes() == shipped
    assert (trial.bundle / "site" / "assets" / "journal" / "vega-runtime.js").read_bytes() == shipped
    notices = (package / "vega-runtime-licenses.txt").read_bytes()
    assert notices == (REPO / "generator" / "vega-runtime-licenses.txt").read_bytes()
    for root in (trial.folder / "site", trial.bundle / "site"):
        assert (root / "assets" / "journal" / "vega-runtime-licenses.txt").read_bytes() == notices
    assert not [p.name for p in (trial.folder / ".journal-cache").iterdir() if p.name.startswith("vega-runtime")]


def test_no_page_of_the_report_or_the_bundle_refers_to_another_host(trial):
    for root in (trial.folder / "site", trial.bundle):
        pages = sorted(root.rglob("*.html")) + sorted(root.rglob("*.css"))
        assert len(pages) > 8
        for path in pages:
            assert not OUTSIDE.search(path.read_text(encoding="utf-8")), (path, OUTSIDE.search(path.read_text(encoding="utf-8")))


def test_schema_lines_resolve_in_the_folder_and_in_the_bundle(trial):
    for entry, schema in ((trial.folder / "entries" / "2026-04-02.yaml", trial.folder / "entry.schema.json"),
                          (trial.bundle / "data" / "entries" / "2026-04-02.yaml", trial.bundle / "data" / "entry.schema.json")):
        first = entry.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(SCHEMA_LINE), first
        assert (entry.parent / first[len(SCHEMA_LINE):]).resolve() == schema and schema.is_file()


def test_the_bundle_holds_no_source_maps_and_no_other_languages_search_files(trial):
    names = [p.relative_to(trial.bundle).as_posix() for p in trial.bundle.rglob("*") if p.is_file()]
    assert not [n for n in names if n.endswith(".map")]
    assert not [n for n in names if "/lunr/" in n]  # an English report needs none of them
    assert "site/search/search_index.js" in names  # search itself is there
    assert "site/follow-ups.ics" not in names  # the reminders are the person's own
    assert list((trial.folder / "site").rglob("*.map"))  # the personal report is built as usual


def test_no_template_the_wheel_ships_compiled_is_compiled_by_a_first_build(trial):
    """The wheel's build recorded Material's templates and the report's, compiled (setup.py): the
    journal's first build and its export take them as they are. A template compiled by a build
    would be kept in the journal's cache (generator.rebuilding.KeptTemplateCode)."""
    package = Path(subprocess.run([str(trial.python), "-c", "import generator; print(generator.__file__)"],
                                  capture_output=True, text=True, check=True).stdout.strip()).parent
    assert (package / SHIPPED_TEMPLATES).stat().st_size > 100_000
    kept = sorted(p.name for p in (trial.folder / ".journal-cache").iterdir())
    assert kept and not [name for name in kept if name.startswith("template-")], kept


@pytest.mark.browser
def test_the_report_and_the_bundle_open_with_the_network_blocked(browser, trial):
    context, requested = file_only_context(browser)
    page = context.new_page()
    for path in (trial.folder / "site" / "index.html", trial.bundle / "summary.html", trial.bundle / "site" / "index.html"):
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_timeout(300)  # requests made after load (fonts, scripts)
    context.close()
    assert requested == []
