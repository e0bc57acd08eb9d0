"""Property-based tests: generated entry files never crash the reader, the checks or the
report, every problem is located, and a broken file never costs a valid entry its place.

Bounded and repeatable by default (the "ci" profile: a fixed seed per test and a small
number of examples). For a longer, random search:

    HYPOTHESIS_PROFILE=long pytest tests/test_properties.py    # 2,000 examples a test (500 and 50
                                                                #   for the tests that render or build sites)
    HYPOTHESIS_EXAMPLES=20000 pytest tests/test_properties.py           # as many as you like

The long profile keeps Hypothesis' example database (.hypothesis/, git-ignored), so a
failure it finds is replayed first on the next run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE_TODAY, build, write_project
from generator.journal import load_journal
from generator.pages import build_pages, render_pages, session_path
from generator.reading import read_entry
from generator.report import PERSONAL, build_report
from generator.settings import Settings
from generator.validation import validate

_COMMON: dict[str, Any] = dict(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
settings.register_profile("ci", max_examples=100, derandomize=True, database=None, **_COMMON)
settings.register_profile("long", max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES") or 2000), **_COMMON)
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long" or bool(os.environ.get("HYPOTHESIS_EXAMPLES"))
PROFILE = settings.get_profile("long" if LONG else "ci")


def examples(ci: int, long_at_most: int | None = None) -> settings:
    """The profile, with this test's example count in CI. A long run uses the profile's count,
    capped for the tests that build whole sites (about a second each)."""
    if not LONG:
        return settings(PROFILE, max_examples=ci)
    return settings(PROFILE, max_examples=min(PROFILE.max_examples, long_at_most or PROFILE.max_examples))


TODAY = dt.date(2026, 4, 30)
NAME = "entries/x.yaml"
FIELDS = ["date", "dose_mg", "route", "hold_time_min", "pre_mood", "dissociation", "post_mood_2h",
          "side_effects", "mood_day1", "mood_day3", "mood_day7", "provider", "scores", "notes", "private_notes"]
HEADER = "date: 2026-04-02\ndose_mg: 150\n"  # so that many examples get past "dose_mg is missing"
PAYLOADS = ['<script>window.pwned=1</script>', '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
            "{{ 7*7 }}", "{% raw %}", "<!-- -->", "[x](javascript:alert(1))", "&amp;", "\\", "</textarea>"]


# --------------------------------------------------------------------------- strategies

def _date_text() -> st.SearchStrategy[str]:
    day = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat)
    return st.one_of(
        day,
        st.tuples(day, st.integers(0, 25), st.integers(0, 61)).map(lambda t: f"{t[0]} {t[1]:02d}:{t[2]:02d}"),
        day.map(lambda d: f"{d}T10:00:00+05:00"),
        st.sampled_from(["2026-02-30", "2026-13-01", "0000-01-01", "2026-4-2", "20260402", "02/04/2026"]),
    )


words = st.text(max_size=20)  # any characters: unicode, control characters, quotes, colons
plain_scalars = st.one_of(
    st.integers(-10**30, 10**30).map(str),
    st.floats().map(repr),
    st.sampled_from([".nan", ".inf", "-.inf", "1e5", "1.0e+400", "1_000", "0x1F", "0o17", "0b101", "010", "08",
                     "1:30", "190:20:30", "37,5", "150mg", "7/10", "~", "null", "yes", "no", "on", "off", "y",
                     "true", "False", "", "-", "?", ":", "@x", "`x", "%x", "|", ">", "!", "&", "*", "#c", "'",
                     '"', "nausea, headache", "none", "mild", "sublingual"]),
    _date_text(),
    st.sampled_from(PAYLOADS),
    words,
)
TAGS = ["!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!timestamp ", "!!binary ", "!!set ", "!!omap ",
        "!!python/object/apply:os.system ", "!!python/name:os.system ", "!foo ", "! ", "!e!x ", "!<tag:x> "]


@st.composite
def scalars(draw) -> str:
    text = draw(plain_scalars)
    style = draw(st.sampled_from(["plain", "plain", "double", "single", "unclosed", "escape"]))
    if style == "double":
        text = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    elif style == "single":
        text = "'" + text.replace("'", "''") + "'"
    elif style == "unclosed":
        text = draw(st.sampled_from(['"', "'"])) + text
    elif style == "escape":
        text = '"' + text + draw(st.sampled_from(["\\q", "\\x4", "\\u12", "\\n", "\\0", "\\U0001F600", "\\"])) + '"'
    prefix = draw(st.sampled_from(["", "", "", "&a ", "&b "] + TAGS))
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(["*a", "*b", "*undefined"]))
    return prefix + text


values = st.recursive(
    scalars(),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(st.tuples(inner, inner), max_size=3).map(lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"),
    ),
    max_leaves=8,
)


@st.composite
def keys(draw) -> str:
    key = draw(st.one_of(
        st.sampled_from(FIELDS),
        st.sampled_from(FIELDS).map(str.upper),
        st.sampled_from(["<<", "phq9", "gad7", "Pre_mood", "dose", "~", "null", "true", "3", "2026-04-02", "-", "? x"]),
        words,
    ))
    style = draw(st.sampled_from(["plain", "plain", "plain", "double", "single", "complex", "anchor", "alias"]))
    if style == "double":
        return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == "single":
        return "'" + key.replace("'", "''") + "'"
    if style == "complex":
        return f"? {key}\n"
    if style == "anchor":
        return f"&k {key}"
    if style == "alias":
        return "*k "
    return key


@st.composite
def lines(draw) -> str:
    indent = draw(st.sampled_from(["", "", "", "  ", "    ", " ", "\t", "  - ", "- "]))
    kind = draw(st.sampled_from(["field", "field", "field", "field", "open", "item", "comment", "blank",
                                 "marker", "block", "directive"]))
    if kind == "field":
        return f"{indent}{draw(keys())}: {draw(values)}"
    if kind == "open":
        return f"{indent}{draw(keys())}:"
    if kind == "item":
        return f"{indent}- {draw(values)}"
    if kind == "comment":
        return f"{indent}# {draw(words)}"
    if kind == "blank":
        return ""
    if kind == "marker":
        return draw(st.sampled_from(["---", "...", "--- |", "--- &a", "--- !!map"]))
    if kind == "directive":
        return draw(st.sampled_from(["%YAML 1.1", "%YAML 1.2", "%YAML 2.0", "%TAG !e! tag:e.com,2000:", "%FOO bar"]))
    body = "\n".join(draw(st.sampled_from(["  ", "   ", "", "\t"])) + line for line in draw(st.lists(words, max_size=3)))
    return f"{indent}{draw(keys())}: {draw(st.sampled_from(['|', '>', '|-', '|+', '>2', '|0']))}\n{body}"


@st.composite
def yaml_documents(draw) -> bytes:
    """Entry files assembled from YAML syntax: keys, values, indentation, quotes, anchors,
    tags, flow collections, block scalars, several documents, comments, directives."""
    text = "\n".join(draw(st.lists(lines(), max_size=8)))
    if draw(st.booleans()):
        text = HEADER + text
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    text = text.replace("\n", newline) + draw(st.sampled_from([newline, ""]))
    return draw(st.sampled_from([b"", b"", b"\xef\xbb\xbf"])) + text.encode("utf-8", "surrogatepass")


any_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | words | st.dates() | st.datetimes()
    | st.sampled_from(PAYLOADS),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(words, inner, max_size=4),
    max_leaves=8,
)


@st.composite
def dumped_entries(draw) -> bytes:
    """Every field with a value of any type (and unknown fields), written out by a YAML emitter."""
    data = draw(st.dictionaries(st.sampled_from(FIELDS) | words, any_value, max_size=8))
    if draw(st.booleans()):
        data = {"date": draw(_date_text()), "dose_mg": draw(st.floats(0.01, 5000)), **data}
    text = yaml.safe_dump(data, default_flow_style=draw(st.sampled_from([False, True, None])),
                          allow_unicode=draw(st.booleans()), sort_keys=draw(st.booleans()))
    return text.encode("utf-8", "surrogatepass")


@st.composite
def damaged(draw) -> bytes:
    """A valid entry with random bytes spliced in."""
    raw = bytearray(b"date: 2026-04-02\ndose_mg: 150\npre_mood: 3\npost_mood_2h: 6\nnotes: |\n  calm\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(raw)))
        raw[at:at + draw(st.integers(0, 3))] = draw(st.binary(min_size=1, max_size=4))
    return bytes(raw)


entry_files = st.one_of(yaml_documents(), dumped_entries(), damaged(), st.binary(max_size=200))


def optional_fields(text: st.SearchStrategy, side_effect: st.SearchStrategy) -> dict[str, st.SearchStrategy]:
    """A strategy for each optional field of an entry, valid anywhere in its range; `text` for
    the notes, `side_effect` for one side effect's name."""
    return {
        "route": st.sampled_from(["sublingual", "oral", "intranasal", "intramuscular", "intravenous"]),
        "hold_time_min": st.integers(0, 60) | st.floats(0, 60),
        "pre_mood": st.integers(1, 10), "post_mood_2h": st.integers(1, 10),
        "mood_day1": st.integers(1, 10), "mood_day3": st.integers(1, 10), "mood_day7": st.integers(1, 10),
        "dissociation": st.sampled_from(["none", "mild", "moderate", "strong"]),
        "side_effects": st.lists(side_effect, max_size=3),
        "provider": st.sampled_from(["Clinic A", "Dr B"] + PAYLOADS) | words,
        "scores": st.fixed_dictionaries({}, optional={
            "phq9": st.integers(0, 27) | st.lists(st.integers(0, 3), min_size=9, max_size=9),
            "gad7": st.integers(0, 21) | st.lists(st.integers(0, 3), min_size=7, max_size=7)}),
        "notes": text, "private_notes": text,
    }


@st.composite
def valid_entries(draw) -> str:
    """Entries that pass every check, with values anywhere in their ranges and any text."""
    day = draw(st.dates(dt.date(2025, 1, 1), dt.date(2026, 4, 30)))
    data: dict = {"date": day.isoformat() if draw(st.booleans())
                  else f"{day} {draw(st.integers(0, 23)):02d}:{draw(st.integers(0, 59)):02d}",
                  "dose_mg": draw(st.sampled_from([25, 50, 100, 150, 37.5]) | st.floats(0.01, 5000))}
    text = st.sampled_from(PAYLOADS) | words
    optional = optional_fields(text, st.sampled_from(["nausea", "dizzy", "headache"] + PAYLOADS) | words.filter(str.strip))
    for name, strategy in optional.items():
        if draw(st.booleans()):
            data[name] = draw(strategy)
    return yaml.safe_dump(data, allow_unicode=True, default_flow_style=draw(st.sampled_from([False, None])))


# --------------------------------------------------------------------------- helpers

def assert_located(problems, sources_and_lines: dict[str, int]) -> None:
    for problem in problems:
        assert problem.source in sources_and_lines, problem
        assert isinstance(problem.line, int) and 1 <= problem.line <= sources_and_lines[problem.source], problem
        assert isinstance(problem.column, int) and problem.column >= 1, problem
        assert isinstance(problem.message, str) and problem.message.strip(), problem
        assert problem.severity in ("error", "warning"), problem
        assert "\n" not in str(problem) and "Traceback" not in problem.message, problem


def line_count(raw: bytes) -> int:
    """Lines as a YAML parser counts them (\\r\\n, \\r, \\n, and NEL/LS/PS, which YAML 1.1 treats as breaks)."""
    text = raw.decode("utf-8", "replace")
    return len(re.findall(r"\r\n|[\r\n\x85\u2028\u2029]", text)) + 1


@contextlib.contextmanager
def folder_with(files: dict[str, bytes]):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "entries").mkdir()
        for name, raw in files.items():
            (root / "entries" / name).write_bytes(raw)
        yield root


CONTROL = {  # valid entries that must survive whatever lies next to them
    "control-1.yaml": b"date: 2024-01-10\ndose_mg: 100\npre_mood: 3\npost_mood_2h: 6\nmood_day1: 5\nmood_day3: 5\nmood_day7: 4\n",
    "control-2.yaml": b"date: 2024-01-20\ndose_mg: 150\npre_mood: 4\npost_mood_2h: 7\nmood_day1: 6\nmood_day3: 5\nmood_day7: 5\n",
}


def without_control_dates(files: list[bytes]) -> bool:
    return not any(b"2024-01-10" in raw or b"2024-01-20" in raw for raw in files)


# --------------------------------------------------------------------------- properties

@examples(ci=300)
@given(entry_files)
def test_one_file_never_raises_and_every_problem_is_located(raw):
    read = read_entry(raw, NAME)
    entry, problems = validate(read)
    everything = read.problems + problems
    assert_located(everything, {NAME: line_count(raw)})
    errors = [p for p in everything if p.severity == "error"]
    assert entry is not None or errors, "neither an entry nor an error"
    if entry is not None:
        assert entry.source == NAME and entry.dose_mg > 0


@examples(ci=60)
@given(st.lists(entry_files, min_size=1, max_size=4).filter(without_control_dates))
def test_a_folder_never_raises_and_valid_entries_survive_broken_neighbours(files):
    named = {f"generated-{i}.yaml": raw for i, raw in enumerate(files)} | CONTROL
    with folder_with(named) as root:
        journal = load_journal(root / "entries", TODAY, base=root)
    assert journal.files_read == len(named)
    assert_located(journal.problems, {f"entries/{name}": line_count(raw) for name, raw in named.items()})
    loaded = {e.source for e in journal.entries}
    failed = {p.source for p in journal.errors}
    assert loaded | failed == {f"entries/{name}" for name in named}  # an entry or an error, for every file
    assert not loaded & failed
    assert {"entries/control-1.yaml", "entries/control-2.yaml"} <= loaded
    assert not [p for p in journal.problems if p.source.startswith("entries/control-")]


def render_report(journal):
    report = build_report(journal, PERSONAL, Settings(), lenient=True)  # the site's charts: specs and tables, no picture
    pages = build_pages(report)
    render_pages(report, pages, lambda from_path, to_path: to_path)
    return report.trends, {page.path: page.html for page in pages}


@examples(ci=25, long_at_most=500)
@given(st.lists(valid_entries(), max_size=6), st.lists(entry_files, max_size=3).filter(without_control_dates))
def test_the_pipeline_never_raises_and_shows_every_valid_entry(valid, broken):
    named = ({f"valid-{i}.yaml": text.encode("utf-8", "surrogatepass") for i, text in enumerate(valid)}
             | {f"broken-{i}.yaml": raw for i, raw in enumerate(broken)} | CONTROL)
    with folder_with(named) as root:
        journal = load_journal(root / "entries", TODAY, base=root)
    trends, pages = render_report(journal)
    assert len(trends.sessions) == len(journal.entries)
    assert {"entries/control-1.yaml", "entries/control-2.yaml"} <= {e.source for e in journal.entries}
    assert len({session_path(e) for e in journal.entries}) == len(journal.entries)  # slugs never collide
    listing = html.unescape(pages["sessions/index.md"])
    for entry in journal.entries:
        assert pages[session_path(entry)].strip(), entry.source  # a page of its own
        assert f'href="{session_path(entry)}"' in listing, entry.source
    problems = html.unescape(pages["problems.md"])
    for source in journal.sources_with_errors:
        assert source in problems, source
    for text in pages.values():  # typed text is never markup (the browser test proves nothing runs)
        assert "<script>window.pwned" not in text and "<img src=x onerror" not in text


@examples(ci=3, long_at_most=50)
@given(st.lists(entry_files, min_size=1, max_size=4).filter(without_control_dates))
def test_a_real_lenient_build_keeps_valid_entries_next_to_broken_ones(files):
    with tempfile.TemporaryDirectory() as tmp:
        root = write_project(Path(tmp), {})
        named = {f"generated-{i}.yaml": raw for i, raw in enumerate(files)} | CONTROL
        for name, raw in named.items():
            (root / "entries" / name).write_bytes(raw)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = build(root, "--lenient")
        assert code == 0, err.getvalue()
        assert "Traceback" not in out.getvalue() + err.getvalue()
        site = root / "site"
        journal = load_journal(root / "entries", EXAMPLE_TODAY, base=root)
        for entry in journal.entries:
            assert (site / session_path(entry).replace(".md", ".html")).is_file(), entry.source
        assert (site / "sessions" / "control-1.html").is_file() and (site / "sessions" / "control-2.html").is_file()
        problems = html.unescape((site / "problems.html").read_text(encoding="utf-8"))
        for source in journal.sources_with_errors:
            assert re.search(re.escape(source) + r":\d+:\d+</code>", problems), source
