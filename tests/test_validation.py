"""The entry rules of issue 2, each with a bad input and the exact line a person reads.

Files are written into a temporary `entries/` folder and checked with `journal check`,
so every assertion is on `entries/FILE.yaml:LINE:COL: field: what is wrong (expected)`.
"""

from __future__ import annotations

import datetime as dt

import pytest

from generator.journal import load_journal

ENTRY = "date: 2026-04-02\ndose_mg: 150\n"
NAME = "2026-04-02.yaml"
WHERE = f"entries/{NAME}"
FIELDS = (
    "date, dose_mg, route, hold_time_min, pre_mood, dissociation, post_mood_2h, side_effects, tolerability, "
    "mood_day1, mood_day3, mood_day7, provider, scores, notes, private_notes"
)
ROUTES = "one of sublingual, oral, intranasal, intramuscular, intravenous"
LEVELS = "one of none, mild, moderate, strong"




# --- required fields ----------------------------------------------------------------

DATE_MISSING = "date: is missing; every entry needs the day of the session, e.g. `date: 2026-04-02`"
DOSE_MISSING = "dose_mg: is missing; every entry needs the dose in mg, e.g. `dose_mg: 150`"


def test_missing_date_and_dose(journal):
    assert journal.problems("route: oral\npre_mood: 4\n") == [
        f"{WHERE}:1:1: {DATE_MISSING}",
        f"{WHERE}:1:1: {DOSE_MISSING}",
    ]


def test_missing_dose_is_located_at_the_first_field(journal):
    (journal.root / "x.json").write_text("{}")  # the schema line leads to a file: no warning about it
    content = "# yaml-language-server: $schema=../x.json\n# my first session\ndate: 2026-04-02\nroute: oral\n"
    assert journal.problems(content) == [f"{WHERE}:3:1: {DOSE_MISSING}"]


def test_missing_date(journal):
    assert journal.problems("dose_mg: 150\n") == [f"{WHERE}:1:1: {DATE_MISSING}"]


def test_empty_required_values_say_empty_where_to_type(journal):
    assert journal.problems("date:\ndose_mg:       # mg\n") == [
        f"{WHERE}:1:6: {DATE_MISSING.replace('is missing', 'is empty')}",
        f"{WHERE}:2:9: {DOSE_MISSING.replace('is missing', 'is empty')}",
    ]


def test_only_date_and_dose_are_required(journal):
    entry = journal.loaded(ENTRY)
    assert (entry.dose_mg, entry.route, entry.pre_mood, entry.scores) == (150, None, None, None)


def test_a_complete_entry(journal):
    entry = journal.loaded(
        """\
date: 2026-04-02 18:30
dose_mg: 150
route: sublingual
hold_time_min: 15
pre_mood: 3
dissociation: mild
post_mood_2h: 7
side_effects: [nausea]
provider: Clinic
scores:
  phq9: [1, 2, 1, 0, 2, 1, 1, 0, 0]
  gad7: 9
notes: |
  Calm.
private_notes: |
  Only for me.
"""
    )
    assert entry.lift == 4
    assert entry.scores.phq9_total == 8 and entry.scores.phq9_item9 == 0
    assert entry.scores.gad7_total == 9
    assert entry.notes == "Calm.\n" and entry.private_notes == "Only for me.\n"


# --- ranges -------------------------------------------------------------------------

@pytest.mark.parametrize(
    "line, column, message",
    [
        ("pre_mood: 12", 11, "pre_mood: 12 is out of range (1-10)"),
        ("pre_mood: 0", 11, "pre_mood: 0 is out of range (1-10)"),
        ("post_mood_2h: -3", 15, "post_mood_2h: -3 is out of range (1-10)"),
        ("mood_day1: 11", 12, "mood_day1: 11 is out of range (1-10)"),
        ("mood_day3: 100", 12, "mood_day3: 100 is out of range (1-10)"),
        ("mood_day7: 0", 12, "mood_day7: 0 is out of range (1-10)"),
        ("hold_time_min: -5", 16, "hold_time_min: -5 is out of range (a number, 0 or more)"),
    ],
)
def test_out_of_range(journal, line, column, message):
    assert journal.problems(f"{ENTRY}{line}\n") == [f"{WHERE}:3:{column}: {message}"]


@pytest.mark.parametrize("dose", ["0", "-150", "0.0"])
def test_dose_must_be_more_than_zero(journal, dose):
    assert journal.problems(f"date: 2026-04-02\ndose_mg: {dose}\n") == [
        f"{WHERE}:2:10: dose_mg: {dose} is out of range (a number greater than 0)"
    ]


@pytest.mark.parametrize("dose", [".inf", ".nan"])
def test_dose_must_be_a_finite_number(journal, dose):
    assert journal.problems(f"date: 2026-04-02\ndose_mg: {dose}\n") == [
        f"{WHERE}:2:10: dose_mg: {dose} is not valid here; write a number greater than 0"
    ]


def test_fractional_dose_and_hold_time_are_fine(journal):
    entry = journal.loaded(ENTRY.replace("150", "37.5") + "hold_time_min: 0\n")
    assert (entry.dose_mg, entry.hold_time_min) == (37.5, 0)


def test_boundaries_are_accepted(journal):
    entry = journal.loaded(ENTRY + "pre_mood: 1\npost_mood_2h: 10\n")
    assert (entry.pre_mood, entry.post_mood_2h) == (1, 10)


# --- unknown fields -----------------------------------------------------------------

@pytest.mark.parametrize(
    "written, suggestion",
    [
        ("post_mood", "post_mood_2h"),
        ("sideeffects", "side_effects"),
        ("Pre_mood", "pre_mood"),
        ("mood_day_1", "mood_day1"),
        ("private_note", "private_notes"),
        ("hold_time", "hold_time_min"),
    ],
)
def test_unknown_field_with_did_you_mean(journal, written, suggestion):
    assert journal.problems(f"{ENTRY}{written}: 7\n") == [
        f"{WHERE}:3:1: {written}: unknown field; did you mean {suggestion}?"
    ]


def test_unknown_field_without_a_close_match_lists_the_fields(journal):
    assert journal.problems(f"{ENTRY}weather: sunny\n") == [
        f"{WHERE}:3:1: weather: unknown field; the fields an entry can have are {FIELDS}"
    ]


def test_dose_without_unit_suffix(journal):
    assert journal.problems("date: 2026-04-02\ndose: 150\n") == [
        f"{WHERE}:1:1: {DOSE_MISSING}",
        f"{WHERE}:2:1: dose: unknown field; did you mean dose_mg?",
    ]


def test_unknown_field_inside_scores(journal):
    assert journal.problems(f"{ENTRY}scores:\n  phq: 14\n  madrs: 20\n") == [
        f"{WHERE}:4:3: scores.phq: unknown field; did you mean phq9?",
        f"{WHERE}:5:3: scores.madrs: unknown field; the fields an entry can have are phq9, gad7",
    ]


# --- yes / no / on / off ------------------------------------------------------------

def test_dissociation_no(journal):
    assert journal.problems(f"{ENTRY}dissociation: no\n") == [
        f'{WHERE}:3:15: dissociation: "no" was read as false; write {LEVELS}'
    ]


@pytest.mark.parametrize(
    "line, column, message",
    [
        ("dose_mg: yes", 10, 'dose_mg: "yes" was read as true; write a number greater than 0'),
        ("pre_mood: on", 11, 'pre_mood: "on" was read as true; write 1-10'),
        ("mood_day1: Off", 12, 'mood_day1: "Off" was read as false; write 1-10'),
        ("route: NO", 8, f'route: "NO" was read as false; write {ROUTES}'),
        ("dissociation: yes", 15, f'dissociation: "yes" was read as true; write {LEVELS}'),
        ("hold_time_min: true", 16, 'hold_time_min: "true" was read as true; write a number, 0 or more'),
    ],
)
def test_yes_no_on_off_in_other_fields(journal, line, column, message):
    content = f"{ENTRY}{line}\n" if not line.startswith("dose_mg") else f"date: 2026-04-02\n{line}\n"
    row = 3 if not line.startswith("dose_mg") else 2
    assert journal.problems(content) == [f"{WHERE}:{row}:{column}: {message}"]


def test_dissociation_none_is_a_word(journal):
    assert journal.loaded(f"{ENTRY}dissociation: none\n").dissociation == "none"


# --- numbers written with units, in quotes, or not whole ----------------------------

@pytest.mark.parametrize(
    "line, column, message",
    [
        ("dose_mg: 150mg", 10, 'dose_mg: "150mg" is not a number; write the number alone (150), without units or extra words'),
        ("dose_mg: 150 mg", 10, 'dose_mg: "150 mg" is not a number; write the number alone (150), without units or extra words'),
        ("dose_mg: 37.5 mg", 10, 'dose_mg: "37.5 mg" is not a number; write the number alone (37.5), without units or extra words'),
        ("dose_mg: 37,5", 10, 'dose_mg: "37,5" is not a number; write the decimal with a point (37.5)'),
        ("dose_mg: about 150", 10, 'dose_mg: "about 150" is not a number (a number greater than 0)'),
    ],
)
def test_dose_with_units_or_words(journal, line, column, message):
    assert journal.problems(f"date: 2026-04-02\n{line}\n") == [f"{WHERE}:2:{column}: {message}"]


@pytest.mark.parametrize(
    "line, column, message",
    [
        ("pre_mood: 7/10", 11, 'pre_mood: "7/10" is not a number; write the number alone (7), without units or extra words'),
        ("hold_time_min: 15 min", 16, 'hold_time_min: "15 min" is not a number; write the number alone (15), without units or extra words'),
        ("post_mood_2h: 8!", 15, 'post_mood_2h: "8!" is not a number; write the number alone (8), without units or extra words'),
        ("mood_day1: good", 12, 'mood_day1: "good" is not a number (1-10)'),
    ],
)
def test_numbers_with_extra_words(journal, line, column, message):
    assert journal.problems(f"{ENTRY}{line}\n") == [f"{WHERE}:3:{column}: {message}"]


@pytest.mark.parametrize(
    "line, row, column, message",
    [
        ('dose_mg: "150"', 2, 10, 'dose_mg: "150" is in quotes, so it is text; write the number without quotes (150)'),
        ("pre_mood: '7'", 3, 11, 'pre_mood: "7" is in quotes, so it is text; write the number without quotes (7)'),
        ('hold_time_min: " 15 "', 3, 16, 'hold_time_min: " 15 " is in quotes, so it is text; write the number without quotes (15)'),
    ],
)
def test_quoted_numbers(journal, line, row, column, message):
    content = f"date: 2026-04-02\n{line}\n" if row == 2 else f"{ENTRY}{line}\n"
    assert journal.problems(content) == [f"{WHERE}:{row}:{column}: {message}"]


@pytest.mark.parametrize(
    "line, column, message",
    [
        ("pre_mood: 7.5", 11, "pre_mood: 7.5 is not a whole number (1-10)"),
        ("mood_day3: 6.0", 12, "mood_day3: 6.0 is not a whole number (1-10)"),
    ],
)
def test_not_a_whole_number(journal, line, column, message):
    assert journal.problems(f"{ENTRY}{line}\n") == [f"{WHERE}:3:{column}: {message}"]


def test_score_total_not_a_whole_number(journal):
    assert journal.problems(f"{ENTRY}scores:\n  phq9: 14.5\n") == [
        f"{WHERE}:4:9: scores.phq9: 14.5 is not a whole number (a total 0-27, or a list of 9 answers, each 0-3)"
    ]


# --- choices ------------------------------------------------------------------------

@pytest.mark.parametrize(
    "line, column, message",
    [
        ("route: nasal", 8, f'route: "nasal" is not one of the choices; write {ROUTES}'),
        ("route: Sublingual", 8, 'route: "Sublingual" is not one of the choices; write it in small letters: sublingual'),
        ("route: injection", 8, f'route: "injection" is not one of the choices; write {ROUTES}'),
        ("route: 2", 8, f"route: 2 is not one of the choices; write {ROUTES}"),
        ("dissociation: heavy", 15, f'dissociation: "heavy" is not one of the choices; write {LEVELS}'),
        ("dissociation: 3", 15, f"dissociation: 3 is not one of the choices; write {LEVELS}"),
    ],
)
def test_not_one_of_the_choices(journal, line, column, message):
    assert journal.problems(f"{ENTRY}{line}\n") == [f"{WHERE}:3:{column}: {message}"]


@pytest.mark.parametrize("route", ["sublingual", "oral", "intranasal", "intramuscular", "intravenous"])
def test_every_route(journal, route):
    assert journal.loaded(f"{ENTRY}route: {route}\n").route == route


# --- wrong shapes -------------------------------------------------------------------

@pytest.mark.parametrize(
    "lines, where, message",
    [
        ("scores: 14\n", "3:9", "scores: 14 is not a group of fields; write fields phq9, gad7, each on its own indented line"),
        ("side_effects: {nausea: yes}\n", "3:15", "side_effects: a group of fields is not a list; write a list of words, like [nausea, headache]"),
        ("notes: [calm, sleepy]\n", "3:8", "notes: a list is not text; write it as words (for several lines, use `|` and indent them)"),
        ("provider:\n  name: Dr. A\n", "4:3", "provider: a group of fields is not text; write it as words (for several lines, use `|` and indent them)"),
        ("pre_mood: [3, 4]\n", "3:11", "pre_mood: a list is not valid here; write 1-10"),
    ],
)
def test_wrong_shape(journal, lines, where, message):
    assert journal.problems(ENTRY + lines) == [f"{WHERE}:{where}: {message}"]


# --- scores -------------------------------------------------------------------------

PHQ9 = "a total 0-27, or a list of 9 answers, each 0-3"
GAD7 = "a total 0-21, or a list of 7 answers, each 0-3"


@pytest.mark.parametrize(
    "scores, where, message",
    [
        ("  phq9: 28", "4:9", f"scores.phq9: 28 is out of range ({PHQ9})"),
        ("  phq9: -1", "4:9", f"scores.phq9: -1 is out of range ({PHQ9})"),
        ("  phq9: [1, 2, 1, 0, 2, 1, 1, 0]", "4:9", f"scores.phq9: has 8 answers; write {PHQ9}"),
        ("  phq9: [1, 2, 1, 0, 2, 1, 1, 0, 0, 1]", "4:9", f"scores.phq9: has 10 answers; write {PHQ9}"),
        ("  phq9: [1, 2, 1, 0, 2, 1, 1, 0, 4]", "4:34", "scores.phq9 item 9: 4 is out of range (0-3)"),
        ("  phq9:\n    - 1\n    - -1\n", "6:7", "scores.phq9 item 2: -1 is out of range (0-3)"),
        ("  phq9: [1, 2, 1, 0, two, 1, 1, 0, 0]", "4:22", 'scores.phq9 item 5: "two" is not a number (0-3)'),
        ("  phq9: [1, 2, 1, 0, ~, 1, 1, 0, 0]", "4:22", "scores.phq9 item 5: is empty; write 0-3"),
        ("  gad7: 22", "4:9", f"scores.gad7: 22 is out of range ({GAD7})"),
        ("  gad7: [1, 2, 1]", "4:9", f"scores.gad7: has 3 answers; write {GAD7}"),
        ("  gad7: [1]", "4:9", f"scores.gad7: has 1 answer; write {GAD7}"),
        ("  gad7: [0, 0, 0, 0, 0, 0, 3.5]", "4:28", "scores.gad7 item 7: 3.5 is not a whole number (0-3)"),
        ("  gad7: '9'", "4:9", 'scores.gad7: "9" is in quotes, so it is text; write the number without quotes (9)'),
    ],
)
def test_scores(journal, scores, where, message):
    assert journal.problems(f"{ENTRY}scores:\n{scores}\n") == [f"{WHERE}:{where}: {message}"]


def test_scores_totals_and_answers_are_accepted(journal):
    entry = journal.loaded(f"{ENTRY}scores:\n  phq9: 27\n  gad7: [3, 3, 3, 3, 3, 3, 3]\n")
    assert (entry.scores.phq9_total, entry.scores.gad7_total, entry.scores.phq9_item9) == (27, 21, None)
    entry = journal.loaded(f"{ENTRY}scores:\n  phq9: [0, 0, 0, 0, 0, 0, 0, 0, 2]\n  gad7: 0\n")
    assert (entry.scores.phq9_total, entry.scores.phq9_item9, entry.scores.gad7_total) == (2, 2, 0)


def test_empty_scores_from_the_template_are_fine(journal):
    entry = journal.loaded(f"{ENTRY}scores:\n  phq9:\n  gad7:\n")
    assert entry.scores.phq9 is None and entry.scores.gad7 is None


# --- side effects -------------------------------------------------------------------

@pytest.mark.parametrize(
    "written, expected",
    [
        ("[dizzy]", ["dizziness"]),
        ("[Dizzy, NAUSEOUS, tired, blurry vision]", ["dizziness", "nausea", "fatigue", "blurred vision"]),
        ("nausea, headache", ["nausea", "headache"]),
        ("'nausea,headaches'", ["nausea", "headache"]),
        ("nausea", ["nausea"]),
        ("[dizzy, dizziness, Dizzy]", ["dizziness"]),
        ("[sweaty palms, Metallic Taste]", ["sweaty palms", "Metallic Taste"]),
        ("[nausea, 'tingly   feet']", ["nausea", "tingly feet"]),
        ("[]", []),
        ("none", []),
        ("no", []),
        ("[none]", []),
        ("\n  - nausea\n  - feeling floaty", ["nausea", "feeling floaty"]),
    ],
)
def test_side_effects_are_normalised(journal, written, expected):
    assert journal.loaded(f"{ENTRY}side_effects: {written}\n").side_effects == expected


def test_side_effects_left_empty(journal):
    assert journal.loaded(f"{ENTRY}side_effects:\n").side_effects is None


# --- free text keeps what was typed -------------------------------------------------

def test_free_text_no_stays_text(journal):
    entry = journal.loaded(
        f"{ENTRY}notes: no\nprivate_notes: yes\nprovider: on\n"
    )
    assert (entry.notes, entry.private_notes, entry.provider) == ("no", "yes", "on")


def test_free_text_numbers_and_dates_stay_text(journal):
    entry = journal.loaded(f"{ENTRY}notes: 2026-04-03\nprivate_notes: 0150\nprovider: 1:30\n")
    assert (entry.notes, entry.private_notes, entry.provider) == ("2026-04-03", "0150", "1:30")


def test_empty_block_text_from_the_template_is_absent(journal):
    entry = journal.loaded(f"{ENTRY}notes: |\n  \nprivate_notes: |\n")
    assert (entry.notes, entry.private_notes) == (None, None)


# --- warnings that depend on today --------------------------------------------------

def _due(day: int, date: str) -> str:
    return (
        f"the day-{day} follow-up was due on {date} and is empty; add it if you noted it at the time; "
        "otherwise leave it empty and the report shows it as missing"
    )


MOODS = "pre_mood: 3\npost_mood_2h: 7\n"


def test_follow_up_due_but_missing(journal):
    journal.write(NAME, f"{ENTRY}{MOODS}mood_day1: 6\n")
    # day 3 was 2026-04-05; on 2026-04-05 itself it can still be written: no warning yet
    assert journal.check(today="2026-04-05") == (0, [], "1 entry, 0 errors, 0 warnings")
    assert journal.check(today="2026-04-06") == (
        0, [f"{WHERE}:1:1: warning: mood_day3: {_due(3, '2026-04-05')}"], "1 entry, 0 errors, 1 warning"
    )
    assert journal.check(today="2026-04-10") == (
        0,
        [
            f"{WHERE}:1:1: warning: mood_day3: {_due(3, '2026-04-05')}",
            f"{WHERE}:1:1: warning: mood_day7: {_due(7, '2026-04-09')}",
        ],
        "1 entry, 0 errors, 2 warnings",
    )


def test_follow_up_left_empty_is_located_at_its_line(journal):
    journal.write(NAME, f"{ENTRY}{MOODS}mood_day1:\nmood_day3: 5\nmood_day7: 4\n")
    assert journal.check(today="2026-04-20") == (
        0, [f"{WHERE}:5:11: warning: mood_day1: {_due(1, '2026-04-03')}"], "1 entry, 0 errors, 1 warning"
    )


def test_moods_around_the_session_missing(journal):
    journal.write(NAME, ENTRY + "mood_day1: 5\n")
    assert journal.check(today="2026-04-03") == (
        0,
        [
            f"{WHERE}:1:1: warning: post_mood_2h: is empty; the mood about two hours after is needed "
            "to see how much the session helped",
            f"{WHERE}:1:1: warning: pre_mood: is empty; the mood right before the session is needed "
            "to see how much the session helped",
        ],
        "1 entry, 0 errors, 2 warnings",
    )


def test_follow_up_recorded_for_a_day_that_has_not_come(journal):
    journal.write(NAME, f"{ENTRY}{MOODS}mood_day1: 6\nmood_day3: 5\nmood_day7: 4\n")
    assert journal.check(today="2026-04-04") == (
        0,
        [
            f"{WHERE}:6:12: warning: mood_day3: is recorded for 2026-04-05, which has not come yet "
            "(today is 2026-04-04); check the session's date; until that day it is not used for how long the effect lasted",
            f"{WHERE}:7:12: warning: mood_day7: is recorded for 2026-04-09, which has not come yet "
            "(today is 2026-04-04); check the session's date; until that day it is not used for how long the effect lasted",
        ],
        "1 entry, 0 errors, 2 warnings",
    )


def test_today_from_the_environment(journal, monkeypatch):
    journal.write(NAME, f"{ENTRY}{MOODS}mood_day1: 6\nmood_day3: 5\n")
    monkeypatch.setenv("JOURNAL_TODAY", "2026-04-10")
    assert journal.check(today=None) == (
        0, [f"{WHERE}:1:1: warning: mood_day7: {_due(7, '2026-04-09')}"], "1 entry, 0 errors, 1 warning"
    )
    # --today wins over the environment
    assert journal.check(today="2026-04-06") == (0, [], "1 entry, 0 errors, 0 warnings")


def test_today_defaults_to_the_real_date(journal, monkeypatch):
    long_ago = "2001-01-01"
    journal.write("old.yaml", f"date: {long_ago}\ndose_mg: 150\n{MOODS}mood_day1: 6\nmood_day3: 5\nmood_day7: 5\n")
    assert journal.check(today=None) == (0, [], "1 entry, 0 errors, 0 warnings")
    next_year = dt.date.today().year + 1
    journal.write(NAME, f"date: {next_year}-01-01\ndose_mg: 150\n")
    code, lines, _ = journal.check(today=None)
    assert code == 1 and f"{WHERE}:1:7: date: {next_year}-01-01 is after today" in lines[0]


# --- across entries -----------------------------------------------------------------

def _twice(when: str, other: str) -> str:
    return (
        f"date: {when} is also the date of {other}; one session in two files would be counted "
        "twice (for two sessions on one day, add the time to each, e.g. 2026-04-02 09:00)"
    )


def test_same_date_in_two_files_is_reported_in_both(journal):
    journal.write("2026-04-02.yaml", f"{ENTRY}{MOODS}")
    journal.write("copy.yaml", f"# copy\n{ENTRY}")
    assert journal.check() == (
        1,
        [
            f"entries/2026-04-02.yaml:1:7: {_twice('2026-04-02', 'entries/copy.yaml')}",
            f"entries/copy.yaml:2:7: {_twice('2026-04-02', 'entries/2026-04-02.yaml')}",
        ],
        "2 entries, 2 errors, 0 warnings",
    )


def test_a_file_with_a_reading_error_still_takes_part_in_the_checks_across_files(journal):
    """A duplicate key in the copy does not hide that the session is written down twice."""
    journal.write("2026-04-02.yaml", f"{ENTRY}{MOODS}")
    journal.write("copy.yaml", f"# copy\n{ENTRY}pre_mood: 4\npre_mood: 5\n")
    code, lines, summary = journal.check()
    assert (code, summary) == (1, "2 entries, 3 errors, 0 warnings")
    assert lines[0] == f"entries/2026-04-02.yaml:1:7: {_twice('2026-04-02', 'entries/copy.yaml')}"
    assert lines[1] == f"entries/copy.yaml:2:7: {_twice('2026-04-02', 'entries/2026-04-02.yaml')}"
    assert lines[2].startswith("entries/copy.yaml:5:1: pre_mood: appears twice (first on line 4)")
    assert [e.source for e in journal.load().entries] == []  # both are left out until fixed


def test_same_date_and_time_in_two_files(journal):
    journal.write("a.yaml", "date: 2026-04-02 09:00\ndose_mg: 150\n")
    journal.write("b.yaml", "date: 2026-04-02 09:00\ndose_mg: 100\n")
    journal.write("c.yaml", "date: 2026-04-02 09:00\ndose_mg: 50\n")
    assert journal.check() == (
        1,
        [
            f"entries/a.yaml:1:7: {_twice('2026-04-02 09:00', 'entries/b.yaml, entries/c.yaml')}",
            f"entries/b.yaml:1:7: {_twice('2026-04-02 09:00', 'entries/a.yaml, entries/c.yaml')}",
            f"entries/c.yaml:1:7: {_twice('2026-04-02 09:00', 'entries/a.yaml, entries/b.yaml')}",
        ],
        "3 entries, 3 errors, 0 warnings",
    )


def test_same_day_at_different_times_is_fine(journal):
    journal.write("2026-04-02.yaml", "date: 2026-04-02 09:00\ndose_mg: 150\n")
    journal.write("2026-04-02-2.yaml", "date: 2026-04-02 18:30\ndose_mg: 150\n")
    assert journal.check() == (0, [], "2 entries, 0 errors, 0 warnings")
    days = [e.date for e in load_journal(journal.folder, "2026-04-02").entries]
    assert days == [dt.datetime(2026, 4, 2, 9, 0), dt.datetime(2026, 4, 2, 18, 30)]


def test_date_in_the_future_is_an_error(journal):
    journal.write("2026-04-03.yaml", "date: 2026-04-03\ndose_mg: 150\n")
    assert journal.check(today="2026-04-02") == (
        1,
        [
            "entries/2026-04-03.yaml:1:7: date: 2026-04-03 is after today (2026-04-02); an entry is written after "
            "its session, so check the year and the month"
        ],
        "1 entry, 1 error, 0 warnings",
    )
    assert journal.check(today="2026-04-03") == (0, [], "1 entry, 0 errors, 0 warnings")


def test_a_date_in_the_future_is_named_with_the_files_other_errors(journal):
    """Every problem of a file in one run: a future date in a file with other errors too (such
    a file is no entry, so the check across entries never sees it)."""
    journal.write("2026-04-03.yaml", "date: 2026-04-03 18:00\ndose_mg: 150mg\npre_mood: 12\n")
    code, lines, summary = journal.check(today="2026-04-02")
    assert code == 1 and summary == "1 entry, 3 errors, 0 warnings", (summary, lines)
    assert lines[0].startswith("entries/2026-04-03.yaml:1:7: date: 2026-04-03 18:00 is after today (2026-04-02)"), lines
    assert [line.split(": ")[1] for line in lines[1:]] == ["dose_mg", "pre_mood"]
    # a wrong date is one error, not two
    journal.write("2026-04-03.yaml", "date: 2026-13-03\ndose_mg: 150mg\n")
    assert journal.check(today="2026-04-02")[2] == "1 entry, 2 errors, 0 warnings"


def test_a_session_later_today_is_not_in_the_future(journal):
    journal.write(NAME, "date: 2026-04-02 23:59\ndose_mg: 150\n")
    assert journal.check(today="2026-04-02") == (0, [], "1 entry, 0 errors, 0 warnings")


# --- the dates the journal accepts ---------------------------------------------------

ACCEPTED = "is outside the dates the journal accepts (1980-01-01 to 2099-12-31)"


@pytest.mark.parametrize(
    "written, message",
    [
        ("0026-04-02", f"0026-04-02 {ACCEPTED}; write the year with four digits, like 2026"),
        ("'0026-04-02 18:30'", f"0026-04-02 18:30 {ACCEPTED}; write the year with four digits, like 2026"),
        ("9999-12-31", f"9999-12-31 {ACCEPTED}; check the year"),
        ("1979-12-31", f"1979-12-31 {ACCEPTED}; check the year"),
        ("2100-01-01", f"2100-01-01 {ACCEPTED}; check the year"),
    ],
    ids=["year-0026", "year-0026-with-time", "9999-12-31", "day-before-first", "day-after-last"],
)
def test_a_date_outside_the_accepted_range_is_a_located_error(journal, written, message):
    """A year typed 0026 was a warning, then crashed the build; 9999-12-31 crashed the check."""
    assert journal.problems(f"dose_mg: 150\ndate: {written}\n") == [f"{WHERE}:2:7: date: {message}"]
    journal.write(NAME, f"dose_mg: 150\ndate: {written}\n")
    code, lines, _ = journal.check(today="2099-12-31")  # also when today is the last accepted day
    assert code == 1 and lines == [f"{WHERE}:2:7: date: {message}"]


def test_the_first_and_last_accepted_dates_are_fine(journal):
    moods = f"{MOODS}mood_day1: 6\nmood_day3: 5\nmood_day7: 5\n"
    journal.write("1980-01-01.yaml", f"date: 1980-01-01\ndose_mg: 150\n{moods}")
    journal.write("2099-12-31.yaml", f"date: 2099-12-31 23:59\ndose_mg: 150\n{MOODS}")
    assert journal.check(today="2099-12-31") == (0, [], "2 entries, 0 errors, 0 warnings")


@pytest.mark.parametrize("today", ["2106-02-08", "2100-01-01", "1979-12-31", "0026-04-02"])
def test_today_outside_the_accepted_range_is_a_plain_usage_error(journal, monkeypatch, today):
    journal.write(NAME, ENTRY)
    assert journal.run("check", "--today", today) == (
        2, "", f"journal check: today ({today}) {ACCEPTED}\n"
    )
    monkeypatch.setenv("JOURNAL_TODAY", today)
    assert journal.run("check") == (2, "", f"journal check: today ({today}) {ACCEPTED}\n")


@pytest.mark.parametrize("day", ["0026-04-02", "2100-01-01", "1979-12-31 10:00"])
def test_a_new_entry_outside_the_accepted_range_is_refused(journal, day):
    assert journal.run("new", "--date", day) == (2, "", f"journal new: --date {day!r} {ACCEPTED}\n")
    assert list(journal.folder.iterdir()) == []
    code, out, _ = journal.run("new", "--date", "1980-01-01")
    assert code == 0 and out.strip().endswith("1980-01-01.yaml")


def test_entries_with_errors_are_left_out_of_the_journal(journal):
    journal.write("good.yaml", ENTRY)
    journal.write("bad.yaml", "date: 2026-04-01\ndose_mg: 150\npre_mood: 12\n")
    loaded = load_journal(journal.folder, "2026-04-02")
    assert [e.source for e in loaded.entries] == ["entries/good.yaml"]
    assert loaded.sources_with_errors == ["entries/bad.yaml"]


# --- the file name and the date -------------------------------------------------------

def test_a_file_named_after_another_day_gets_a_warning(journal):
    journal.write("2026-04-02.yaml", "date: 2026-04-01\ndose_mg: 150\n")
    code, lines, summary = journal.check()
    assert code == 0
    assert lines[-1] == (
        "entries/2026-04-02.yaml:1:7: warning: date: 2026-04-01 is not the day in the file name "
        "(2026-04-02.yaml); fix the date, or rename the file, so the two agree"
    )


def test_file_names_that_agree_or_name_no_day_get_no_warning(journal):
    journal.write("2026-04-02-2.yaml", "date: 2026-04-02 18:30\ndose_mg: 150\n")
    journal.write("first session.yaml", "date: 2026-04-02\ndose_mg: 150\n")
    code, lines, summary = journal.check(today="2026-04-02")
    assert (code, lines) == (0, [])


def warnings_for(journal, content: str) -> list[str]:
    journal.write(NAME, content)
    code, lines, _ = journal.check()
    assert code == 0, lines
    return lines


def test_none_next_to_real_side_effects_is_a_warning_not_a_silent_drop(journal):
    said = "so it is left out and the session counts as having"
    assert warnings_for(journal, ENTRY + "side_effects: [none, nausea, headache]\n") == [
        f'{WHERE}:3:16: warning: side_effects: "none" is listed together with nausea, headache, {said} '
        'those side effects; remove "none", or the others if there were none'
    ]
    assert warnings_for(journal, ENTRY + "side_effects: nausea, nothing\n") == [
        f'{WHERE}:3:15: warning: side_effects: "nothing" is listed together with nausea, {said} '
        'that side effect; remove "nothing", or the others if there were none'
    ]
    assert journal.loaded(ENTRY + "side_effects: [none]\n").side_effects == []  # alone, it means none


def test_a_list_item_indented_under_the_one_before_is_a_warning(journal):
    # "  - nausea" then "    - headache": YAML reads one item, "nausea - headache"
    assert warnings_for(journal, ENTRY + "side_effects:\n  - nausea\n    - headache\n") == [
        f'{WHERE}:4:5: warning: side_effects item 1: "nausea - headache" is read as one side effect, because '
        "its \"- \" line is indented under the line before; if these are two, start each with '- ' in the same column"
    ]
    # a long side effect wrapped onto a second line is what it looks like: no warning
    entry = journal.loaded(ENTRY + "side_effects:\n  - felt floaty and\n    a bit sick\n  - nausea\n")
    assert entry.side_effects == ["felt floaty and a bit sick", "nausea"]


def test_side_effect_warnings_come_with_the_errors_of_the_same_file(journal):
    """One run shows every mistake: the warnings do not wait for the errors to be fixed."""
    journal.write(NAME, ENTRY + "pre_mood: 12\nside_effects: [nausea, none]\n")
    code, lines, summary = journal.check()
    assert (code, summary) == (1, "1 entry, 1 error, 1 warning")
    assert lines[0].startswith(f"{WHERE}:3:11: pre_mood: 12 is out of range")
    assert lines[1].startswith(f'{WHERE}:4:24: warning: side_effects: "none" is listed together with nausea')
    journal.write(NAME, ENTRY + "notes: a: b\nside_effects:\n  - nausea\n    - headache\n")
    code, lines, summary = journal.check()
    assert (code, summary) == (1, "1 entry, 1 error, 1 warning")
    assert '"nausea - headache" is read as one side effect' in lines[1]


@pytest.mark.parametrize("lines, field, said", [
    ("dose_mg: 0.5\n", "dose_mg", "0.5 mg is very small; if it is a dose per kilogram of body weight (mg/kg), write the whole dose in mg"),
    ("dose_mg: 1500\n", "dose_mg", "1500 mg is over 1,000 mg; check it for a slip of typing (an extra 0?)"),
    ("dose_mg: 150\nhold_time_min: 600\n", "hold_time_min", "600 minutes is over an hour; hold_time_min is in minutes"),
    ("dose_mg: 150\nside_effects: []\ntolerability: intolerable\n", "tolerability",
     "is intolerable, but side_effects says there were none; list the side effects"),
])
def test_a_likely_slip_of_typing_is_a_warning_at_its_value(journal, lines, field, said):
    """Allowed values that are far more often a typing slip than what was meant: a warning
    naming the field and what it may have been meant as; the entry still counts."""
    journal.write(NAME, f"date: 2026-04-02\n{lines}{MOODS}")
    code, messages, summary = journal.check(today="2026-04-02")
    assert code == 0 and summary == "1 entry, 0 errors, 1 warning", (summary, messages)
    (message,) = messages
    assert message.startswith(f"{WHERE}:") and f" warning: {field}: {said}" in message, message


def test_likely_values_draw_no_slip_warning(journal):
    journal.write(NAME, f"date: 2026-04-02\ndose_mg: 35\nhold_time_min: 15\nside_effects: [nausea]\ntolerability: hard\n{MOODS}")
    assert journal.check(today="2026-04-02") == (0, [], "1 entry, 0 errors, 0 warnings")
