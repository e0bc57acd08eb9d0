"""Property: a valid journal, whatever its dates and file names, checks, builds and exports.

Hypothesis writes random valid entries (session dates anywhere in the accepted range, any
encoding YAML reads) under any file names the file system allows: bytes that are not UTF-8,
names of 255 bytes, spaces, any Unicode, characters Windows cannot hold, names Windows
reserves, leading dashes, subfolders. Then `journal check`, `journal build` (as it is and
with --lenient) and `journal export` run on it, in this process, as a person would type them.
None may end in exit 3 ("please report it"): a valid journal checks, builds and exports
with exit 0, and the zip is one any system can extract.

A whole run is a few seconds, so CI tries a few, always the same (the "ci" profile of
test_properties); `HYPOTHESIS_PROFILE=long` tries 50 random ones.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from conftest import EXAMPLE_TODAY, write_project
from generator.cli import main as run_journal
from test_export import windows_problems
from test_properties import examples, optional_fields, words

# The session dates a journal may hold (the checks refuse others); nothing here goes outside.
FIRST_DAY = dt.date(1980, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)
MAX_NAME_BYTES = 255  # a file name on Linux, macOS and Windows

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="file names only Linux allows (bytes, : and \\n)")


# --------------------------------------------------------------------------- strategies

name_parts = st.one_of(
    st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="/\x00"), min_size=1, max_size=10)
    .map(lambda text: text.encode("utf-8")),
    st.sampled_from([b"caf\xe9", b"\xff\xfe", b"\x80", b"\xc3"]),  # not UTF-8
    st.sampled_from([b"<", b">", b":", b'"', b"|", b"?", b"*", b"\\", b"\n", b"\t", b"\r", b"\x7f", b" ", b".",
                     b"-", b"--", b"#", b"%20", b"CON", b"aux", b"NUL", b"com1", b"LPT9", b"index"]),
    st.sampled_from([b"2026-04-02", b"session", b"x", b"X", "séance".encode(), "日記".encode()]),
)


@st.composite
def file_names(draw) -> bytes:
    """A name that is read as an entry: ends in .yaml or .yml, not hidden, at most 255 bytes."""
    stem = b"".join(draw(st.lists(name_parts, min_size=1, max_size=6)))
    suffix = draw(st.sampled_from([b".yaml", b".yml", b".YAML", b".Yml"]))
    if draw(st.integers(0, 4)) == 0:  # as long as a name can be
        stem = (stem * (MAX_NAME_BYTES // len(stem) + 1))
    stem = stem[: MAX_NAME_BYTES - len(suffix)]
    if stem.startswith(b"."):
        stem = b"_" + stem[1:]  # a hidden file is not an entry
    return stem + suffix


@st.composite
def folders(draw) -> bytes:
    """The folder inside entries/ a file is in: mostly none."""
    if draw(st.integers(0, 3)):
        return b""
    name = b"".join(draw(st.lists(name_parts, min_size=1, max_size=3)))[:MAX_NAME_BYTES]
    return b"_" + name[1:] if name.startswith(b".") else name


@st.composite
def when(draw) -> tuple[dt.date, tuple[int, int] | None]:
    """A session's day in the accepted range, and its time, if one is written."""
    day = draw(st.dates(FIRST_DAY, LAST_DAY))
    return day, (draw(st.integers(0, 23)), draw(st.integers(0, 59))) if draw(st.booleans()) else None


ENCODINGS = {  # how an editor may save the file: each starts with its byte order mark, if any
    "utf-8": b"", "utf-8 with a mark": "\ufeff".encode(), "utf-16-le": "\ufeff".encode("utf-16-le"),
    "utf-16-be": "\ufeff".encode("utf-16-be"), "utf-32-le": "\ufeff".encode("utf-32-le"),
}


@st.composite
def entry_files(draw, session: tuple[dt.date, tuple[int, int] | None]) -> bytes:
    """A valid entry for the session, every other field anywhere in its range."""
    day, time = session
    if time is None:
        date = draw(st.sampled_from([day, day.isoformat()]))
    else:
        date = f"{day.isoformat()} {time[0]:02d}:{time[1]:02d}"
    data: dict = {"date": date, "dose_mg": draw(st.sampled_from([25, 50, 150, 37.5]) | st.floats(0.01, 5000))}
    side_effect = st.sampled_from(["nausea", "dizzy", "headache"]) | words.filter(str.strip)
    optional = optional_fields(words, side_effect)
    for name, strategy in optional.items():
        if draw(st.booleans()):
            data[name] = draw(strategy)
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=draw(st.sampled_from([False, None])))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")  # as Windows editors save it
    encoding = draw(st.sampled_from(sorted(ENCODINGS)))
    return ENCODINGS[encoding] + text.encode(encoding.split()[0])


@st.composite
def journals(draw) -> tuple[dict[bytes, bytes], dt.date]:
    """Entry files by their path inside entries/ (bytes), and the day the commands run on."""
    # a day written twice is an error (one session in two files); a day and the day with a time are two
    sessions = draw(st.lists(when(), min_size=1, max_size=5, unique_by=lambda s: s if s[1] else s[0]))
    files: dict[bytes, bytes] = {}
    for session in sessions:
        folder, name = draw(folders()), draw(file_names())
        path = folder + b"/" + name if folder else name
        assume(path.lower() not in {p.lower() for p in files})
        files[path] = draw(entry_files(session))
    last = max(day for day, _ in sessions)
    today = min(LAST_DAY, last + dt.timedelta(days=draw(st.integers(0, 60))))
    return files, today


# --------------------------------------------------------------------------- the property

def run(project: Path, *args: str) -> tuple[int, str]:
    """`journal ARGS` run in the project's folder; its exit status and everything it printed."""
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(project)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run_journal(list(args))
    finally:
        os.chdir(cwd)
    return code, out.getvalue() + err.getvalue()


@examples(ci=8, long_at_most=50)
@given(journals())
def test_a_valid_journal_checks_builds_and_exports_whatever_its_dates_and_names(journal_files):
    files, today = journal_files
    with tempfile.TemporaryDirectory() as tmp:
        project = write_project(Path(tmp), {})
        config = project / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace(EXAMPLE_TODAY, today.isoformat()), encoding="utf-8")
        entries = os.fsencode(project / "entries")
        for path, raw in files.items():
            full = entries + b"/" + path
            try:
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "xb") as handle:
                    handle.write(raw)
            except (FileExistsError, NotADirectoryError, IsADirectoryError):
                assume(False)  # a folder named as another file: not two entries
        day = ["--today", today.isoformat()]

        code, printed = run(project, "check", *day)
        assert code == 0, printed
        assert printed.splitlines()[-1].startswith(f"{len(files)} {'entry' if len(files) == 1 else 'entries'}, 0 errors")
        for args in (["build"], ["build", "--lenient"]):
            code, printed = run(project, *args, *day)
            assert code == 0 and "Traceback" not in printed, printed
            assert len(list((project / "site" / "sessions").glob("*.html"))) == len(files) + 1  # and the list

        code, printed = run(project, "export", *day, "--out", "x.zip")
        assert code == 0 and "Traceback" not in printed, printed
        archive = project / "x.zip"
        assert not windows_problems(archive), windows_problems(archive)
        with zipfile.ZipFile(archive) as opened:
            members = set(opened.namelist())
            (folder,) = {name.split("/")[0] for name in members}
            rows = list(csv.DictReader(io.StringIO(opened.read(f"{folder}/data/sessions.csv").decode("utf-8-sig"))))
        assert len(rows) == len(files)
        assert {f"{folder}/data/{row['entry_file']}" for row in rows} <= members  # each row names its copy
        assert len({row["entry_file"] for row in rows}) == len(files)
