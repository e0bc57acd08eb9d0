"""The entry model is the one definition of a field: every other place a field is written
down (the `journal new` template, the CSV columns and data/README.txt, the README's field
table and the CSV table there) is held to it here, so a new field cannot be forgotten in one.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.entries import Entry, Scores, entry_template
from generator.export import ExportOptions, data_readme
from generator.words import CSV_COLUMNS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
FIELDS = [name for name in Entry.model_fields if name != "scores"] + [f"scores.{name}" for name in Scores.model_fields]
# The CSV's columns for a field, where they are not named after it. private_notes never
# leaves the personal report, so it has none.
CSV_FOR = {
    "date": ["date", "time"],
    "scores.phq9": ["phq9_total", "phq9_answers"],
    "scores.gad7": ["gad7_total", "gad7_answers"],
    "private_notes": [],
}


def test_every_field_is_in_the_new_entry_template():
    template = entry_template(dt.date(2026, 4, 2), "entry.schema.json")
    for name in FIELDS:
        key = name.split(".")[-1]
        assert re.search(rf"^\s*{re.escape(key)}:", template, re.M), name


@pytest.mark.parametrize("name", FIELDS)
def test_every_field_is_in_the_readme_field_table(name):
    fields = README.split("### Fields", 1)[1].split("\n\n", 2)[1]
    assert f"| `{name}` |" in fields


@pytest.mark.parametrize("name", FIELDS)
def test_every_field_but_private_notes_has_its_csv_columns(name):
    columns = [column for column, _ in CSV_COLUMNS]
    expected = CSV_FOR.get(name, [name])
    assert all(column in columns for column in expected), (name, expected)
    if name == "private_notes":
        assert not any("private" in column for column in columns)


def test_every_csv_column_is_explained_in_the_readme_and_in_the_bundle():
    readme_columns = re.findall(r"^\| `([a-z0-9_]+)` \|", README.split("Columns of `sessions.csv`", 1)[1].split("\n## ", 1)[0], re.M)
    bundle_text = data_readme(ExportOptions(entries_dir=Path("entries"), today=dt.date(2026, 4, 2), include_notes=True))
    for column, meaning in CSV_COLUMNS:
        assert column in readme_columns, column
        assert column in bundle_text and meaning.split(".")[0] in bundle_text, column


def test_the_mood_fields_are_named_in_one_table():
    """words.MOOD_NAMES names every mood field of the model, once; the CSV's columns take the
    fields' meanings from the model, and the other namings (sentences, table rows, reminders)
    read the table."""
    from generator.reminders import FOLLOW_UPS
    from generator.trends import MOOD_FIELDS
    from generator.words import FIELD_LABELS, FIELD_WORDS, MOOD_NAMES, MOOD_WORDS

    assert list(MOOD_NAMES) == list(MOOD_FIELDS) and all(name in Entry.model_fields for name in MOOD_NAMES)
    meanings = dict(CSV_COLUMNS)
    for name, mood in MOOD_NAMES.items():
        assert meanings[name] == Entry.model_fields[name].description
        assert (MOOD_WORDS[name], FIELD_LABELS[name]) == (mood.said, mood.label)
        assert FIELD_WORDS[name] == f"the {mood.said} ({name})"
    assert tuple((name, MOOD_NAMES[name].reminder) for name in MOOD_FIELDS[1:]) == FOLLOW_UPS
