"""YAML traps in one entry file: each gives one plain, located message, never a traceback.

Every test writes a small file into a temporary `entries/` folder and runs
`journal check` the way a person would, so the assertions are on the exact lines
they read: `entries/FILE.yaml:LINE:COL: field: what is wrong (what is expected)`.
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from generator import reading
from generator.journal import load_journal
from generator.reading import read_entry

ENTRY = "date: 2026-04-02\ndose_mg: 150\n"
NAME = "2026-04-02.yaml"
WHERE = f"entries/{NAME}"




# --- dates --------------------------------------------------------------------------

def test_invalid_calendar_date(journal):
    assert journal.problems("date: 2026-02-30\ndose_mg: 150\n") == [
        f'{WHERE}:1:7: date: "2026-02-30" is not a real calendar date (check the day and month)'
    ]


def test_invalid_calendar_date_with_time(journal):
    assert journal.problems("date: 2026-02-30 18:30\ndose_mg: 150\n") == [
        f'{WHERE}:1:7: date: "2026-02-30 18:30" is not a real calendar date (check the day and month)'
    ]


def test_date_and_time_is_valid(journal):
    entry = journal.loaded("date: 2026-04-02 18:30\ndose_mg: 150\n")
    assert entry.date == dt.datetime(2026, 4, 2, 18, 30)
    assert entry.day == dt.date(2026, 4, 2)


def test_quoted_date_and_iso_timestamp_are_valid(journal):
    assert journal.loaded("date: '2026-04-02'\ndose_mg: 150\n").date == dt.date(2026, 4, 2)
    assert journal.loaded("date: 2026-04-02T09:15:00\ndose_mg: 150\n").date == dt.datetime(2026, 4, 2, 9, 15)


def test_time_that_does_not_exist(journal):
    assert journal.problems("date: 2026-04-02 25:30\ndose_mg: 150\n") == [
        f'{WHERE}:1:7: date: "2026-04-02 25:30" has a time that does not exist (hours 0-23, minutes 0-59)'
    ]


@pytest.mark.parametrize(
    "written, shown",
    [("April 2", '"April 2"'), ("02/04/2026", '"02/04/2026"'), ("20260402", "20260402")],
)
def test_not_a_date(journal, written, shown):
    assert journal.problems(f"date: {written}\ndose_mg: 150\n") == [
        f"{WHERE}:1:7: date: {shown} is not a date; write a date like 2026-04-02, or with the time, 2026-04-02 18:30"
    ]


# --- tabs ---------------------------------------------------------------------------

TAB = "a tab character is used here; YAML indentation must use spaces, not tabs"


@pytest.mark.parametrize(
    "content, where",
    [
        ("\tdate: 2026-04-02\ndose_mg: 150\n", "1:1"),
        ("date: 2026-04-02\n\tdose_mg: 150\n", "2:1"),
        (ENTRY + "scores:\n\tphq9: 3\n", "4:1"),
        (ENTRY + "scores:\n  \tphq9: 3\n", "4:3"),
        (ENTRY + "side_effects:\n\t- nausea\n", "4:1"),
        (ENTRY + "notes: |\n\tslept well\n", "4:1"),
        (ENTRY + "side_effects:\n  -\tnausea\n", "4:4"),
    ],
    ids=["first-line", "top-level", "nested", "after-spaces", "list", "block-text", "after-dash"],
)
def test_tab_in_indentation(journal, content, where):
    assert journal.problems(content) == [f"{WHERE}:{where}: {TAB}"]


def test_tab_between_colon_and_value(journal):
    content = "date: 2026-04-02\ndose_mg:\t150\t# mg\n"
    if reading._Loader is getattr(yaml, "CSafeLoader", None):
        assert journal.loaded(content).dose_mg == 150  # valid YAML, and libyaml reads it
    else:  # PyYAML's pure-Python scanner refuses it; then it must be the plain tab message
        assert journal.problems(content) == [f"{WHERE}:2:9: {TAB}"]


def test_libyaml_is_used_when_present():
    expected = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    assert reading._Loader is expected


# --- the shape of the file ----------------------------------------------------------

def test_list_where_a_mapping_was_expected(journal):
    assert journal.problems("- date: 2026-04-02\n  dose_mg: 150\n") == [
        f"{WHERE}:1:1: the file holds a list (lines starting with '-'); an entry is a set of "
        "`field: value` lines, such as `date: 2026-04-02` and `dose_mg: 150`"
    ]


def test_single_value_where_a_mapping_was_expected(journal):
    assert journal.problems("# my session\nfelt good today\n") == [
        f"{WHERE}:2:1: the file holds a single value ('felt good today'); an entry is a set of "
        "`field: value` lines, such as `date: 2026-04-02` and `dose_mg: 150`"
    ]


def test_several_documents(journal):
    content = ENTRY + "---\ndate: 2026-04-03\ndose_mg: 150\n---\ndate: 2026-04-04\ndose_mg: 150\n"
    assert journal.problems(content) == [
        f"{WHERE}:4:1: this file holds 3 YAML documents (separated by ---); "
        "write one session per file so none is lost"
    ]


def test_document_markers_around_one_entry_are_fine(journal):
    assert journal.loaded("---\n" + ENTRY + "...\n").dose_mg == 150


EMPTY = (
    "the file is empty; an entry needs at least `date:` and `dose_mg:` "
    "(`journal new` writes a filled-in template)"
)


@pytest.mark.parametrize(
    "content",
    [b"", b"\n\n   \n", b"# my first session\n# nothing yet\n", b"---\n", b"~\n"],
    ids=["empty", "blank-lines", "comments-only", "document-marker-only", "null"],
)
def test_empty_file(journal, content):
    assert journal.problems(content) == [f"{WHERE}:1:1: {EMPTY}"]


# --- bytes --------------------------------------------------------------------------

def test_non_utf8_byte_is_located_in_characters(journal):
    # "café" is valid UTF-8 (2 bytes for é); then a Latin-1 "ï" (0xEF) that is not.
    content = b"date: 2026-04-02\ndose_mg: 150\nnotes: caf\xc3\xa9 na\xefve\n"
    assert journal.problems(content) == [
        f"{WHERE}:3:15: the file is not UTF-8 text (byte 0xEF here); save it as UTF-8 in your editor"
    ]


def test_latin1_file(journal):
    content = "date: 2026-04-02\ndose_mg: 150\nprovider: Dr. Müller\n".encode("latin-1")
    assert journal.problems(content) == [
        f"{WHERE}:3:16: the file is not UTF-8 text (byte 0xFC here); save it as UTF-8 in your editor"
    ]


def test_non_utf8_after_a_byte_order_mark(journal):
    assert journal.problems(b"\xef\xbb\xbfdate: 2026-04-02\ndose_mg: 1\xb50\n") == [
        f"{WHERE}:2:11: the file is not UTF-8 text (byte 0xB5 here); save it as UTF-8 in your editor"
    ]


def test_byte_order_mark_is_fine(journal):
    assert journal.loaded(b"\xef\xbb\xbf" + ENTRY.encode()).dose_mg == 150


def test_nul_byte(journal):
    assert journal.problems(b"date: 2026-04-02\ndose_mg: 15\x000\n") == [
        f"{WHERE}:2:12: the file contains a NUL byte, so it is not a text file; an entry is plain text"
    ]


def test_windows_line_endings_are_fine(journal):
    assert journal.loaded(b"date: 2026-04-02\r\ndose_mg: 150\r\npre_mood: 4\r\n").pre_mood == 4


# --- tags: refused, never run -------------------------------------------------------

REFUSED = (
    "is not allowed; an entry holds plain values (numbers, words, dates, lists), "
    "and tags are never run"
)


@pytest.mark.parametrize(
    "template, where, field",
    [
        ("date: 2026-04-02\ndose_mg: !!python/object/apply:os.system ['touch {marker}']\n", "2:10", "dose_mg: "),
        ("date: 2026-04-02\ndose_mg: 150\nnotes: !!python/object/apply:os.system ['touch {marker}']\n", "3:8", "notes: "),
        ("!!python/object/apply:os.system ['touch {marker}']\n", "1:1", ""),
        ("date: 2026-04-02\ndose_mg: 150\nside_effects:\n  - !!python/object/apply:os.system ['touch {marker}']\n", "4:5", "side_effects item 1: "),
    ],
    ids=["number-field", "text-field", "whole-file", "list-item"],
)
def test_python_tag_is_refused_and_never_run(journal, tmp_path, template, where, field):
    marker = tmp_path / "PWNED"
    assert journal.problems(template.format(marker=marker)) == [
        f"{WHERE}:{where}: {field}the tag !!python/object/apply:os.system {REFUSED}"
    ]
    assert not marker.exists()


def test_python_tags_that_would_write_a_file_are_never_run(journal, tmp_path):
    marker = tmp_path / "PWNED"
    content = (
        f"date: 2026-04-02\ndose_mg: 150\n"
        f"provider: !!python/object/apply:builtins.open ['{marker}', 'w']\n"
        f"notes: !!python/object/new:subprocess.Popen [['touch', '{marker}']]\n"
        f"private_notes: !!python/name:os.system\n"
    )
    assert journal.problems(content) == [
        f"{WHERE}:3:11: provider: the tag !!python/object/apply:builtins.open {REFUSED}",
        f"{WHERE}:4:8: notes: the tag !!python/object/new:subprocess.Popen {REFUSED}",
        f"{WHERE}:5:16: private_notes: the tag !!python/name:os.system {REFUSED}",
    ]
    assert not marker.exists()


@pytest.mark.parametrize(
    "value, tag", [("!!binary aGVsbG8=", "!!binary"), ("!local 150", "!local"), ("!!set {a, b}", "!!set")]
)
def test_other_tags_are_refused(journal, value, tag):
    assert journal.problems(f"date: 2026-04-02\ndose_mg: {value}\n") == [
        f"{WHERE}:2:10: dose_mg: the tag {tag} {REFUSED}"
    ]


# --- anchors, aliases and nesting are bounded ---------------------------------------

def test_alias_bomb_is_bounded(journal):
    # "billion laughs": 9 levels of 9 aliases would expand to 9**9 values if built.
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level, previous in zip("bcdefghi", "abcdefgh"):
        lines.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]")
    assert journal.problems("\n".join(lines) + "\n") == [
        f"{WHERE}:4:1: the file expands to more than 2000 values (YAML anchors '&' and aliases '*' "
        "repeat values); an entry needs a few dozen, so write them out"
    ]


def test_small_alias_is_fine(journal):
    entry = journal.loaded("date: 2026-04-02\ndose_mg: &dose 20\nhold_time_min: *dose\n")
    assert entry.hold_time_min == 20


def test_deep_nesting_is_bounded(journal):
    content = ENTRY + "notes: " + "[" * 60 + "]" * 60 + "\n"
    assert journal.problems(content) == [
        f"{WHERE}:3:28: the values are nested more than 20 levels deep; an entry is flat"
    ]


def test_large_file_is_not_read(journal):
    content = ENTRY + "notes: |\n" + ("  " + "x" * 98 + "\n") * 11_000
    assert journal.problems(content) == [
        f"{WHERE}:1:1: the file is 1.1 MiB; an entry is a few lines, so files over 1 MiB are not "
        "read (is this the right file?)"
    ]


# --- duplicate keys -----------------------------------------------------------------

def test_duplicate_key_reports_both_lines(journal):
    content = "date: 2026-04-02\ndose_mg: 150\npre_mood: 3\npost_mood_2h: 7\npre_mood: 4\n"
    assert journal.problems(content) == [
        f"{WHERE}:5:1: pre_mood: appears twice (first on line 3); YAML would keep only this last "
        "value and lose the other, so keep one of them"
    ]


def test_duplicate_nested_key(journal):
    content = ENTRY + "scores:\n  phq9: 14\n  gad7: 9\n  phq9: 12\n"
    assert journal.problems(content) == [
        f"{WHERE}:6:3: scores.phq9: appears twice (first on line 4); YAML would keep only this "
        "last value and lose the other, so keep one of them"
    ]


def test_duplicate_key_in_flow_mapping(journal):
    assert journal.problems("{date: 2026-04-02, dose_mg: 150, dose_mg: 200}\n") == [
        f"{WHERE}:1:34: dose_mg: appears twice (first on line 1); YAML would keep only this "
        "last value and lose the other, so keep one of them"
    ]


# --- other syntax errors ------------------------------------------------------------

def test_colon_inside_unquoted_text(journal):
    assert journal.problems(ENTRY + "notes: felt: calm\n") == [
        f"{WHERE}:3:12: there is a ':' where YAML does not expect one; if this is text, put it in "
        'quotes ("...") or write it on the next lines after `notes: |`, indented'
    ]


def test_line_without_a_colon(journal):
    assert journal.problems(ENTRY + "felt calm afterwards\n") == [
        f"{WHERE}:3:1: this line is not `field: value`; each line needs a field name, a colon and "
        "a space, then the value"
    ]


def test_unclosed_quote_is_shown_where_it_opens(journal):
    # libyaml only notices at the end of the file; the place to fix is the opening quote
    assert journal.problems(ENTRY + 'notes: "calm\npre_mood: 4\npost_mood_2h: 6\n') == [
        f'{WHERE}:3:8: this " opens a quoted value that is never closed, so the rest of the file '
        'is read into it; add the closing " where the value ends'
    ]
    assert journal.problems(ENTRY + "provider: 'Dr Smith\npre_mood: 4\n") == [
        f"{WHERE}:3:11: this ' opens a quoted value that is never closed, so the rest of the file "
        "is read into it; add the closing ' where the value ends"
    ]


def test_unclosed_brackets_are_shown_where_they_open(journal):
    assert journal.problems(ENTRY + "side_effects: [nausea, headache\npre_mood: 4\n") == [
        f"{WHERE}:3:15: this [ is never closed with ]; values in brackets go on one line and end "
        "with ], e.g. [nausea, headache]"
    ]
    assert journal.problems(ENTRY + "scores: {phq9: 3\npre_mood: 4\n") == [
        f"{WHERE}:3:9: this {{ is never closed with }}; values in brackets go on one line and end "
        "with }, e.g. {phq9: 12, gad7: 8}"
    ]
    assert journal.problems("date: [\n") == [
        f"{WHERE}:2:1: a [ or {{ is not closed; values in brackets go on one line, e.g. [nausea, headache]"
    ]


def test_something_other_than_a_comma_inside_brackets(journal):
    assert journal.problems(ENTRY + 'side_effects: [nausea, "dizzy" a bit]\n') == [
        f"{WHERE}:3:32: a comma or the closing ] is expected here; values in brackets are separated "
        "by commas, e.g. [nausea, headache], and a value with quotes or commas inside goes in quotes as a whole"
    ]


MISALIGNED = "fields that belong together must line up: the entry's fields at the left edge, and those " \
    "under a field such as `scores:` indented by the same spaces"


def test_a_field_one_space_off_says_which_lines_do_not_line_up(journal):
    assert journal.problems(ENTRY + "scores:\n  phq9: 12\n   gad7: 8\n") == [
        f"{WHERE}:5:4: `gad7:` starts in column 4 but `phq9:` on the line above in column 3; {MISALIGNED}"
    ]
    assert journal.problems(ENTRY + "scores:\n   phq9: 12\n  gad7: 8\n") == [
        f"{WHERE}:5:3: `gad7:` starts in column 3 but `phq9:` on the line above in column 4; {MISALIGNED}"
    ]
    assert journal.problems("date: 2026-04-02\n dose_mg: 150\n") == [
        f"{WHERE}:2:2: `dose_mg:` starts in column 2 but `date:` on the line above in column 1; {MISALIGNED}"
    ]
    # the first line is the one off: both lines are named, so either can be fixed
    assert journal.problems(" dose_mg: 150\ndate: 2026-04-02\n") == [
        f"{WHERE}:2:1: `date:` starts in column 1 but `dose_mg:` on the line above in column 2; {MISALIGNED}"
    ]


def test_a_colon_in_text_on_an_aligned_line_is_not_called_an_indentation_problem(journal):
    assert journal.problems(ENTRY + "scores:\n  phq9: 12\n  gad7: felt: 8\n") == [
        f"{WHERE}:5:13: there is a ':' where YAML does not expect one; if this is text, put it in "
        'quotes ("...") or write it on the next lines after `notes: |`, indented'
    ]


def test_value_starting_with_a_reserved_character(journal):
    assert journal.problems(ENTRY + "provider: @clinic\n") == [
        f'{WHERE}:3:11: a value cannot start with @; put the value in quotes ("@clinic")'
    ]


def test_field_name_that_is_a_list(journal):
    assert journal.problems(ENTRY + "[a, b]: 3\n") == [
        f"{WHERE}:3:1: a field name must be a plain word, not a list or a mapping"
    ]


# --- YAML 1.1 number traps do not change the value silently -------------------------

def test_leading_zero_is_decimal_not_octal(journal):
    entry = journal.loaded("date: 2026-04-02\ndose_mg: 0150\npre_mood: 08\n")
    assert (entry.dose_mg, entry.pre_mood) == (150, 8)


def test_minutes_and_seconds_are_not_base_60(journal):
    assert journal.problems(ENTRY + "hold_time_min: 1:30\n") == [
        f'{WHERE}:3:16: hold_time_min: "1:30" is not a number; write a single number '
        "(a number, 0 or more), e.g. 1.5 for a minute and a half"
    ]


# --- read_entry itself --------------------------------------------------------------

@pytest.mark.parametrize(
    "raw", [b"", b"\xff\xfe", b"{", b"- [", b"&a *a", b"!!python/name:os.system", b"\t", b"a: *b"]
)
def test_read_entry_never_raises(raw):
    read = read_entry(raw, "entries/x.yaml")
    assert read.data is None
    assert read.problems and all(p.line >= 1 and p.column >= 1 for p in read.problems)


# --- after a syntax error, the rest of the file is still read and checked -------------------

def test_a_syntax_error_does_not_hide_the_other_mistakes(journal):
    """A tired person's entry: one YAML mistake and three wrong values, all said at once."""
    content = (
        "date: 2026-04-02\n"
        "dose_mg: 150 mg\n"
        "pre mood: 4\n"
        "post_mood_2h: 6\n"
        "dissociation: moderat\n"
        "notes: felt ok: tired\n"
    )
    assert journal.problems(content) == [
        f'{WHERE}:2:10: dose_mg: "150 mg" is not a number; write the number alone (150), without units or extra words',
        f"{WHERE}:3:1: pre mood: unknown field; did you mean pre_mood?",
        f'{WHERE}:5:15: dissociation: "moderat" is not one of the choices; write one of none, mild, moderate, strong',
        f"{WHERE}:6:15: there is a ':' where YAML does not expect one; if this is text, put it in quotes "
        '("...") or write it on the next lines after `notes: |`, indented',
    ]


def test_every_syntax_error_in_a_file_is_reported(journal):
    content = (
        'date: 2026-04-02\ndose_mg: 150\nnotes: "felt ok\npre_mood: 4\n'
        "scores:\n  phq9: 12\n   gad7: 8\nprovider: Dr: Osei\n"
    )
    lines = journal.problems(content)
    assert [line.split(": ", 1)[0] for line in lines] == [f"{WHERE}:3:8", f"{WHERE}:7:4", f"{WHERE}:8:13"]
    assert "never closed" in lines[0] and "`gad7:` starts in column 4" in lines[1] and "':'" in lines[2]


def test_a_field_left_unread_is_not_also_called_missing(journal):
    # the date cannot be read: the message is about its syntax, not "date: is missing"
    assert journal.problems('date: "2026-04-02\ndose_mg: 150\npre_mood: 4\n') == [
        f'{WHERE}:1:7: this " opens a quoted value that is never closed, so the rest of the file is read '
        'into it; add the closing " where the value ends'
    ]


def test_a_file_with_a_syntax_error_stays_out_of_the_figures(journal):
    journal.write(NAME, "date: 2026-04-02\ndose_mg: 150\npre_mood: 4\npost_mood_2h: 6\nnotes: a: b\n")
    code, lines, summary = journal.check()
    assert (code, summary) == (1, "1 entry, 1 error, 0 warnings")
    assert load_journal(journal.folder, "2026-04-02").entries == []


def test_reading_around_errors_stops_at_ten_per_file(journal):
    lines = journal.problems("date: 2026-04-02\ndose_mg: 150\n" + "".join(f"f{i}: a: b\n" for i in range(30)))
    assert len(lines) == 10 and all("':' where YAML does not expect one" in line for line in lines)


def test_a_line_without_its_colon_space_is_named_and_the_lines_after_it_are_not(journal):
    # libyaml notices on the line after; the message points at the line at fault, and the
    # valid fields after it are read and checked (pre_mood: 12 is out of range)
    assert journal.problems("date: 2026-04-02\ndose_mg:75\nroute: oral\npre_mood: 12\n") == [
        f"{WHERE}:2:1: {reading._NOT_A_FIELD}",
        f"{WHERE}:4:11: pre_mood: 12 is out of range (1-10)",
    ]
    for end in ("\n", ""):  # with and without a last line break
        assert journal.problems(ENTRY + "pre_mood: 4\nmood_day1 5\nmood_day3: 5" + end) == [f"{WHERE}:4:1: {reading._NOT_A_FIELD}"]


def test_a_line_of_text_before_the_fields_is_the_one_named(journal):
    assert journal.problems("My first session\ndate: 2026-04-02\ndose_mg: 150\npre_mood: 4\n") == [
        f"{WHERE}:1:1: {reading._NOT_A_FIELD}"
    ]
    assert journal.problems("# mine\n- note\ndate: 2026-04-02\ndose_mg: 150\n") == [f"{WHERE}:2:1: {reading._NOT_A_FIELD}"]


def test_an_unclosed_quote_at_the_start_of_a_line_blanks_only_that_line(journal):
    # not "dose_mg: is missing", and the date before it is still read
    assert journal.problems('date: 2026-04-02\n"dose_mg: 150\nroute: oral\n') == [
        f'{WHERE}:2:1: this " opens a quoted value that is never closed, so the rest of the file is read '
        'into it; add the closing " where the value ends'
    ]


def test_reading_around_errors_in_a_file_with_windows_line_breaks(journal):
    assert journal.problems(b"date: 2026-04-02\r\ndose_mg: 0\r\nside_effects:\r\n  - [bad\r\npre_mood: 5\r\n") == [
        f"{WHERE}:2:10: dose_mg: 0 is out of range (a number greater than 0)",
        f"{WHERE}:4:5: this [ is never closed with ]; values in brackets go on one line and end with ], "
        "e.g. [nausea, headache]",
    ]


def test_one_slip_of_the_keyboard_gives_one_or_two_messages_not_a_chain():
    """Thousands of entries from the example journal, each with a character or two deleted,
    inserted or replaced: reading around a syntax error never turns one slip into a chain
    of messages on the valid lines after it, and every message is inside the file."""
    import random

    from conftest import REPO

    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "entries").glob("*.yaml"))]
    rng = random.Random(3)
    most = 0
    for _ in range(3_000):
        chars = list(rng.choice(texts))
        for _ in range(rng.randint(1, 2)):
            i, op = rng.randrange(len(chars)), rng.random()
            if op < 0.3:
                del chars[i]
            elif op < 0.6:
                chars.insert(i, rng.choice(":\"'[{- \t#"))
            else:
                chars[i] = rng.choice(":\"'[]{}- ")
        text = "".join(chars)
        read = read_entry(text.encode("utf-8"), "x.yaml")
        syntax = [p for p in read.problems if p.severity == "error"]
        most = max(most, len(syntax))
        lines = text.count("\n") + 1
        assert all(1 <= p.line <= lines for p in read.problems), (text, read.problems)
    assert most <= 3


# --- numbers not written in plain digits ---------------------------------------------

@pytest.mark.parametrize(
    "written, message",
    [
        ("0x10", "0x10 is a hexadecimal number, which YAML reads as 16; write the number in plain digits, like 16"),
        ("-0x1F", "-0x1F is a hexadecimal number, which YAML reads as -31; write the number in plain digits, like -31"),
        ("0b101", "0b101 is a binary number, which YAML reads as 5; write the number in plain digits, like 5"),
        ("0o17", "0o17 is an octal number, 15 in plain digits; write the number in plain digits, like 15"),
        ("1_000", "1_000 has an underscore in it; write the number in plain digits, like 1000"),
        ("1_000.5", "1_000.5 has an underscore in it; write the number in plain digits, like 1000.5"),
        ("0_10", "0_10 has an underscore in it; write the number in plain digits, like 10"),
    ],
)
def test_numbers_not_in_plain_digits_are_errors_not_read_silently(journal, written, message):
    assert journal.problems(f"date: 2026-04-02\ndose_mg: {written}\nprovider: {written}\n") == [
        f"{WHERE}:2:10: dose_mg: {message}"
    ]  # in a text field such as provider, the characters typed are kept
    assert journal.problems(f"date: 2026-04-02\ndose_mg: 150\nscores:\n  phq9: [{written}, 1, 1, 1, 1, 1, 1, 1, 1]\n") == [
        f"{WHERE}:4:10: scores.phq9 item 1: {message}"
    ]


def test_plain_digits_with_a_sign_or_leading_zero_are_fine(journal):
    entry = journal.loaded("date: 2026-04-02\ndose_mg: +150\npre_mood: 03\nhold_time_min: 010.5\n")
    assert (entry.dose_mg, entry.pre_mood, entry.hold_time_min) == (150, 3, 10.5)


@pytest.mark.parametrize(
    "written, shown",
    [("10**400", '"10**400"'), ("10^400", '"10^400"'), ("1e400", '"1e400"'), ("-1.0e+400", "-1.0e+400"),
     ("1" + "0" * 400, "1" + "0" * 59 + "…")],
)
def test_a_number_too_large_to_read_is_out_of_range(journal, written, shown):
    assert journal.problems(f"date: 2026-04-02\ndose_mg: {written}\npre_mood: {written}\n") == [
        f"{WHERE}:2:10: dose_mg: {shown} is out of range (a number greater than 0)",
        f"{WHERE}:3:11: pre_mood: {shown} is out of range (1-10)",
    ]


def test_a_calculation_is_not_a_number(journal):
    assert journal.problems("date: 2026-04-02\ndose_mg: 150\npre_mood: 2**3\n") == [
        f'{WHERE}:3:11: pre_mood: "2**3" is a calculation, not a number; write the result in plain digits (1-10)'
    ]


# --- encodings other than UTF-8 -----------------------------------------------------

UNICODE_ENTRY = "date: 2026-04-02\r\ndose_mg: 150\r\nprovider: Dr. Müller 🙂 “Zoë”\r\npre_mood: 12\r\n"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-8"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(journal, codec):
    """Windows Notepad's "Unicode" is UTF-16 LE with a byte order mark."""
    raw = "\ufeff".encode(codec) + UNICODE_ENTRY.encode(codec)
    assert journal.problems(raw) == [f"{WHERE}:4:11: pre_mood: 12 is out of range (1-10)"]
    journal.write(NAME, raw.replace("12".encode(codec), "4".encode(codec)))
    (entry,) = journal.load().entries
    assert entry.provider == "Dr. Müller 🙂 “Zoë”" and entry.pre_mood == 4


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_positions_in_a_utf16_file_count_characters(journal, codec):
    text = "date: 2026-04-02\r\ndose_mg: 150\r\nprovider: 🙂 “Zoë”\r\nnotes: 🙂: x\r\npre_mood: 12\r\n"
    assert journal.problems("\ufeff".encode(codec) + text.encode(codec)) == [
        f"{WHERE}:4:9: there is a ':' where YAML does not expect one; if this is text, put it in quotes "
        '("...") or write it on the next lines after `notes: |`, indented',
        f"{WHERE}:5:11: pre_mood: 12 is out of range (1-10)",
    ]


def test_a_utf16_file_cut_in_the_middle_of_a_character(journal):
    raw = "\ufeff".encode("utf-16-le") + "date: 2026-04-02\ndose_mg: 150\nnotes: x".encode("utf-16-le") + b"y"
    assert journal.problems(raw) == [
        f"{WHERE}:3:9: the file is UTF-16 text (it starts with a byte order mark) but breaks off in the middle "
        "of a character here; save it again, as UTF-8 if your editor lets you choose"
    ]


@pytest.mark.parametrize(
    "written, message",
    [("10**" + "9" * 5000, '"10**' + "9" * 56 + '…" is out of range (1-10)'),
     ("1_" + "0" * 5000, "1_" + "0" * 58 + "… has an underscore in it; write the number in plain digits, like 1"
      + "0" * 59 + "…")],
)
def test_thousands_of_digits_give_a_short_message(journal, written, message):
    """Python's int() refuses a text of over 4,300 digits: the messages must not need it."""
    assert journal.problems(f"date: 2026-04-02\ndose_mg: 150\npre_mood: {written}\n") == [
        f"{WHERE}:3:11: pre_mood: {message}"
    ]
