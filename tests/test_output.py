"""Nothing lost: output is swapped in whole, and no command writes into entries/."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLE_TODAY, REPO, build, run_in, with_vega_runtime, write_project
from generator.cache import FOLDER_NAME
from generator.cli import main as journal
from generator.output import replace_directory

GOOD = "date: 2026-06-01\ndose_mg: 50\npre_mood: 3\npost_mood_2h: 5\nmood_day1: 4\nmood_day3: 3\nmood_day7: 3\n"


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_a_failed_write_leaves_the_previous_output_and_no_leftovers(tmp_path):
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old report")

    def write(folder: Path) -> None:
        (folder / "index.html").write_text("half a new report")
        raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        replace_directory(target, write)
    assert (target / "index.html").read_text() == "old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_broken_entry_keeps_the_previous_site(tmp_path):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    assert build(project) == 0
    before = fingerprint(project / "site")
    (project / "entries" / "2026-06-08.yaml").write_text("date: 2026-06-08\ndose_mg: 150mg\n")
    assert build(project) == 1
    assert fingerprint(project / "site") == before


def test_a_build_killed_half_way_leaves_the_previous_site_intact(tmp_path):
    site = tmp_path / "site"
    command = [sys.executable, "-m", "generator.cli", "build", "--today", EXAMPLE_TODAY, "--site-dir", str(site)]
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    before = fingerprint(site)
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    staging: list[Path] = []
    # wait until the new build is writing its pages, then kill it without warning
    while time.monotonic() < deadline and process.poll() is None:
        staging = [p for p in tmp_path.glob(".site.building-*") if any(p.rglob("*.html"))]
        if staging:
            break
        time.sleep(0.02)
    assert staging, "the build never started writing"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert fingerprint(site) == before
    # the next build cleans up what the killed one left
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    assert not list(tmp_path.glob(".site.*"))
    assert (site / "index.html").exists()


def test_no_command_writes_into_entries(tmp_path, monkeypatch, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD, "2026-06-08.yaml": "date: 2026-06-08\ndose_mg: 0\n"})
    entries = project / "entries"
    before = fingerprint(entries)
    monkeypatch.chdir(project)
    journal(["check", "--today", EXAMPLE_TODAY])
    journal(["check", "--format", "json", "--today", EXAMPLE_TODAY])
    journal(["build", "--today", EXAMPLE_TODAY])
    journal(["build", "--lenient", "--today", EXAMPLE_TODAY])
    assert fingerprint(entries) == before
    # `journal new` is the one command that writes there, and only a new file
    journal(["new", "--date", "2026-06-01", "--today", EXAMPLE_TODAY])
    after = fingerprint(entries)
    assert {k: v for k, v in after.items() if k in before} == before
    assert sorted(set(after) - set(before)) == ["2026-06-01-2.yaml"]


def test_a_site_folder_inside_entries_is_refused(tmp_path, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    assert build(project, "--site-dir", str(project / "entries" / "site")) == 2
    assert "inside the entries folder" in capsys.readouterr().err
    assert sorted(p.name for p in (project / "entries").iterdir()) == ["2026-06-01.yaml"]


# --------------------------------------------------------------------------- output paths


def plain_line(err: str) -> str:
    """The one line a command printed for an ordinary failure."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "please report" not in err and "Traceback" not in err
    return lines[0]


def project_with_entries_in(tmp_path: Path, entries: str) -> Path:
    """A project whose mkdocs.yml reads its entries from `entries` (a folder inside it)."""
    project = write_project(tmp_path, {}, f"entries: {entries}")
    (project / "entries").rmdir()
    (project / entries).mkdir(parents=True)
    (project / entries / "2026-06-01.yaml").write_text(GOOD, encoding="utf-8")
    return project


@pytest.mark.parametrize("where", ["--site-dir", "site_dir in mkdocs.yml"])
def test_a_site_folder_that_holds_the_entries_is_refused(tmp_path, capsys, where):
    project = project_with_entries_in(tmp_path, "data/entries")
    (project / "data" / "scan.pdf").write_bytes(b"a letter from the clinic")
    before = fingerprint(project / "data")
    if where == "--site-dir":
        status = build(project, "--site-dir", "data")
    else:
        with open(project / "mkdocs.yml", "a", encoding="utf-8") as config:
            config.write("site_dir: data\n")
        status = build(project)
    assert status == 2
    assert "entries" in plain_line(capsys.readouterr().err)
    assert fingerprint(project / "data") == before
    assert not list(project.glob(".data*"))


def test_a_site_folder_inside_entries_through_a_link_is_refused(tmp_path, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    (project / "linkdir").symlink_to("entries")
    assert build(project, "--site-dir", "linkdir/site") == 2
    assert "inside the entries folder" in plain_line(capsys.readouterr().err)
    assert sorted(p.name for p in (project / "entries").iterdir()) == ["2026-06-01.yaml"]


def test_a_site_folder_that_is_a_link_gets_the_report_and_stays_a_link(tmp_path, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    (tmp_path / "public").mkdir()
    (project / "site").symlink_to(tmp_path / "public")
    assert build(project) == 0
    (project / "entries" / "2026-06-08.yaml").write_text(GOOD.replace("06-01", "06-08"), encoding="utf-8")
    assert build(project) == 0
    assert (project / "site").is_symlink()
    assert (tmp_path / "public" / "sessions" / "2026-06-08.html").is_file()
    assert not list(project.glob(".site*")) and not list(tmp_path.glob(".public*"))


def test_an_export_through_a_link_into_entries_is_refused(tmp_path, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    (project / "linkdir").symlink_to("entries")
    assert run_in(project, "export", "--out", "linkdir/x.zip") == 1
    assert "inside the entries folder" in capsys.readouterr().err
    assert sorted(p.name for p in (project / "entries").iterdir()) == ["2026-06-01.yaml"]


def test_a_zip_written_beside_the_entries_leaves_them_as_they_were(tmp_path, capsys):
    project = project_with_entries_in(tmp_path, "data/entries")
    before = fingerprint(project / "data" / "entries")
    assert run_in(project, "export", "--out", "data") == 0
    assert sorted(p.name for p in (project / "data").iterdir()) == ["entries", "journal-export-2026-06-01-to-2026-06-01.zip"]
    assert fingerprint(project / "data" / "entries") == before


def test_the_one_check_refuses_both_overlaps(tmp_path):
    from generator.output import check_output

    entries = tmp_path / "data" / "entries"
    entries.mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "data")
    for output in (entries / "site", tmp_path / "link" / "entries" / "x.zip", tmp_path / "data", tmp_path / "link", entries):
        with pytest.raises(ValueError, match="entries folder"):
            check_output(output, entries, "--out")
    assert check_output(tmp_path / "link" / "site", entries, "--out") == tmp_path / "data" / "site"


# --------------------------------------------------------------------------- two runs at once

JOURNAL = [sys.executable, "-m", "generator.cli"]


def large_project(tmp_path: Path, sessions: int = 300) -> Path:
    project = write_project(tmp_path, {})
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "make_journal.py"), str(sessions), str(project / "entries"),
                    "--today", EXAMPLE_TODAY], check=True, capture_output=True)
    return with_vega_runtime(project)


def started_writing(process: subprocess.Popen, pattern: str, folder: Path) -> None:
    """Wait until `process` writes pages into its staging folder (`pattern` in `folder`)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if any(any(p.rglob("*.html")) for p in folder.glob(pattern) if p.is_dir()):
            return
        time.sleep(0.01)
    raise AssertionError(f"{process.args!r} never started writing: {process.communicate()!r}")


def assert_whole_site(site: Path, entries: Path) -> None:
    for page in ("index.html", "trends.html", "checklists.html", "sessions/index.html", "search/search_index.json"):
        assert (site / page).is_file(), page
    assert {p.stem for p in (site / "sessions").glob("20*.html")} == {p.stem for p in entries.glob("*.yaml")}


def test_a_second_build_while_one_is_writing_leaves_the_first_whole(tmp_path):
    project = large_project(tmp_path)
    command = [*JOURNAL, "build", "--today", EXAMPLE_TODAY]
    first = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started_writing(first, ".site.building-*", project)
    second = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert_whole_site(project / "site", project / "entries")  # what the first one swapped in
    out, err = second.communicate(timeout=300)
    assert second.returncode == 1
    assert "another journal build is writing" in plain_line(err)
    assert_whole_site(project / "site", project / "entries")
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


def test_a_second_export_to_the_same_zip_leaves_the_first_whole(tmp_path):
    project = large_project(tmp_path)
    command = [*JOURNAL, "export", "--today", EXAMPLE_TODAY, "--out", "out.zip"]
    first = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started_writing(first, ".out.zip.building-*", project)
    second = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    with zipfile.ZipFile(project / "out.zip") as archive:  # what the first one wrote
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    (prefix,) = {name.split("/")[0] for name in files}
    files = {name.removeprefix(prefix + "/"): content for name, content in files.items()}
    assert "site/index.html" in files and "summary.html" in files
    pages = {name for name in files if name.startswith("site/sessions/20")}
    assert len(pages) == len(list((project / "entries").glob("*.yaml")))
    manifest = json.loads(files.pop("manifest.json"))
    assert {f["path"]: f["sha256"] for f in manifest["files"]} == {
        name: hashlib.sha256(content).hexdigest() for name, content in files.items()
    }
    out, err = second.communicate(timeout=300)
    assert second.returncode == 1
    assert "another journal export is writing" in plain_line(err)
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".out")) == []


# --------------------------------------------------------------------------- leftovers


def test_what_a_killed_build_left_is_removed_by_the_next(tmp_path):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    # killed while deleting the old site, killed while writing, killed holding the lock
    (project / ".site.previous-123" / "sessions").mkdir(parents=True)
    (project / ".site.previous-123" / "sessions" / "2026-06-01.html").write_text("private notes: only for me")
    (project / ".site.building-x1y2" / "assets").mkdir(parents=True)
    (project / ".site.lock").write_text("")
    assert build(project) == 0
    assert leftovers(project) == []
    assert (project / "site" / "index.html").is_file()


def leftovers(project: Path) -> list[str]:
    """Hidden files and folders beside the entries, but for the journal's chart cache."""
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".") and p.name != FOLDER_NAME)


def enforce_write_permission(monkeypatch) -> None:
    """Removing a file needs its folder to be writable, even for root (tests run as root in
    CI, where a chmod alone would stop nothing)."""
    def folder_is_writable(path, dir_fd) -> bool:
        if dir_fd is not None and not os.path.isabs(path):
            return bool(os.fstat(dir_fd).st_mode & stat.S_IWUSR)
        return bool(os.stat(os.path.dirname(os.path.abspath(path))).st_mode & stat.S_IWUSR)

    for name in ("unlink", "remove", "rmdir"):
        def guarded(path, *, dir_fd=None, real=getattr(os, name)):  # noqa: B008  this name's function, bound now
            if not folder_is_writable(path, dir_fd):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))
            return real(path, dir_fd=dir_fd)

        monkeypatch.setattr(os, name, guarded)


def make_read_only(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)


def test_a_read_only_old_site_is_replaced_without_a_leftover(tmp_path, monkeypatch):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    assert build(project) == 0
    make_read_only(project / "site")
    enforce_write_permission(monkeypatch)
    (project / "entries" / "2026-06-08.yaml").write_text(GOOD.replace("06-01", "06-08"), encoding="utf-8")
    assert build(project) == 0
    assert (project / "site" / "sessions" / "2026-06-08.html").is_file()
    assert leftovers(project) == []


# --------------------------------------------------------------------------- plain failures


def test_an_export_to_odd_places_fails_with_one_plain_line(tmp_path, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    (project / "afile").write_text("not a folder")
    for out in ("/dev/null", "afile/x.zip", "afile/sub/"):
        assert run_in(project, "export", "--out", out) == 1, out
        assert "afile" in plain_line(capsys.readouterr().err) or out == "/dev/null"
    assert (project / "afile").read_text() == "not a folder"


def test_a_build_to_odd_places_fails_with_one_plain_line(tmp_path, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    (project / "afile").write_text("not a folder")
    for site in ("/dev/null/site", "afile/site", "afile"):
        assert build(project, "--site-dir", site) == 1, site
        line = plain_line(capsys.readouterr().err)
        assert "not a folder" in line, line
    assert (project / "afile").read_text() == "not a folder"
    assert sorted(p.name for p in project.iterdir()) == ["afile", "entries", "extra", "mkdocs.yml"]


def test_a_site_folder_holding_other_files_is_left_as_it_is(tmp_path, capsys):
    """`--site-dir ~/Documents`: the site folder is replaced whole, so a folder that is not
    an earlier report (nor empty) is refused before anything is written or removed."""
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    documents = tmp_path / "Documents"
    (documents / "taxes").mkdir(parents=True)
    (documents / "letter.txt").write_text("keep me")
    (documents / "taxes" / "2025.pdf").write_bytes(b"%PDF")
    assert build(project, "--site-dir", str(documents)) == 1
    line = plain_line(capsys.readouterr().err)
    assert "holds files that are not a journal report" in line and str(documents) in line
    assert sorted(p.relative_to(documents).as_posix() for p in documents.rglob("*")) == ["letter.txt", "taxes", "taxes/2025.pdf"]
    # an empty folder, and then the report it now holds, are fine
    empty = tmp_path / "empty"
    empty.mkdir()
    assert build(project, "--site-dir", str(empty)) == 0
    assert build(project, "--site-dir", str(empty)) == 0
    assert (empty / "index.html").is_file()


def fail_writing_in(monkeypatch, folder: Path, code: int) -> None:
    """Every new file or folder in `folder` (and below) fails with `code`, as on a full
    disk (ENOSPC) or a read-only file system (EROFS); root would not be stopped by a chmod."""
    inside = str(folder) + os.sep

    def refuse(path) -> None:
        path = os.path.abspath(os.fsdecode(path))
        if path.startswith(inside):
            raise OSError(code, os.strerror(code), path)

    real_open, real_mkdir = os.open, os.mkdir

    def guarded_open(path, flags, *args, **kwargs):
        if flags & (os.O_CREAT | os.O_WRONLY | os.O_RDWR):
            refuse(path)
        return real_open(path, flags, *args, **kwargs)

    def guarded_mkdir(path, *args, **kwargs):
        refuse(path)
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded_open)
    monkeypatch.setattr(os, "mkdir", guarded_mkdir)


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_a_folder_that_cannot_be_written_fails_with_one_plain_line(tmp_path, capsys, monkeypatch, code):
    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    (project / "out").mkdir()
    fail_writing_in(monkeypatch, project / "out", code)
    assert build(project, "--site-dir", "out/site") == 1
    assert os.strerror(code) in plain_line(capsys.readouterr().err)
    assert run_in(project, "export", "--out", "out/") == 1
    assert os.strerror(code) in plain_line(capsys.readouterr().err)
    assert list((project / "out").iterdir()) == []


def test_a_full_disk_during_a_build_fails_with_one_plain_line(tmp_path, capsys, monkeypatch):
    from mkdocs import utils

    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    assert build(project) == 0
    before = fingerprint(project / "site")
    written = []
    real_write_file = utils.write_file

    def write_file(content, path):
        written.append(path)
        if len(written) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)
        return real_write_file(content, path)

    monkeypatch.setattr(utils, "write_file", write_file)
    assert build(project) == 1
    assert os.strerror(errno.ENOSPC) in plain_line(capsys.readouterr().err)
    assert len(written) == 3  # it did fail half way
    assert fingerprint(project / "site") == before
    assert leftovers(project) == []


def test_a_leftover_that_cannot_be_removed_is_named(tmp_path, capsys, monkeypatch):
    from generator import output

    project = write_project(tmp_path, {"2026-06-01.yaml": GOOD})
    (project / ".site.previous-123").mkdir()

    def rmtree(path, *args, **kwargs):
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), str(path))

    monkeypatch.setattr(output.shutil, "rmtree", rmtree)
    assert build(project) == 0
    line = plain_line(capsys.readouterr().err)
    assert f"cannot remove {project / '.site.previous-123'}" in line and "remove it yourself" in line
