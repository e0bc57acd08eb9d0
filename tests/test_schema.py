"""The JSON Schema that editors use is generated from the one entry model and shipped."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from generator.entries import SCHEMA_PATH, Entry, entry_json_schema, entry_json_schema_text

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "generator" / "entry.schema.json"


def test_shipped_schema_is_the_generated_one():
    assert SHIPPED.read_text(encoding="utf-8") == entry_json_schema_text(), (
        "generator/entry.schema.json is out of date; regenerate it with\n"
        "  python -c \"from generator.entries import *; "
        "SCHEMA_PATH.write_text(entry_json_schema_text())\""
    )


def test_the_package_reads_the_shipped_file():
    assert SCHEMA_PATH.resolve() == SHIPPED.resolve()


def _objects(schema: dict) -> list[tuple[str, dict]]:
    return [("entry", schema)] + [(name, node) for name, node in schema.get("$defs", {}).items()]


def test_every_property_has_a_description():
    schema = json.loads(SHIPPED.read_text(encoding="utf-8"))
    for where, node in _objects(schema):
        assert node["properties"], where
        for name, prop in node["properties"].items():
            assert prop.get("description", "").strip(), f"{where}.{name} has no description"


def test_every_model_field_is_in_the_schema():
    schema = entry_json_schema()
    assert set(schema["properties"]) == set(Entry.model_fields)
    assert schema["required"] == ["date", "dose_mg"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_unknown_fields_are_refused_by_the_schema_too():
    schema = entry_json_schema()
    for where, node in _objects(schema):
        assert node.get("additionalProperties") is False, where


# --- the example journal against the shipped schema, as an editor would check it ------

def _as_editor_reads(value):
    """An editor's YAML server reads YAML 1.2, where 2026-04-02 is text, not a date."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _as_editor_reads(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_editor_reads(v) for v in value]
    return value


@pytest.fixture(scope="module")
def validator():
    # jsonschema is not a dependency of the project: this part runs only where it is installed
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed")
    schema = json.loads(SHIPPED.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


EXAMPLES = sorted((REPO / "entries").glob("*.y*ml"))


def test_there_are_example_entries():
    assert len(EXAMPLES) >= 30


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_entry_is_valid_against_the_schema(validator, path):
    data = _as_editor_reads(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize(
    "text",
    [
        "dose_mg: 150\n",
        "date: 2026-04-02\n",
        "date: April 2\ndose_mg: 150\n",
        "date: 2026-04-02\ndose_mg: 0\n",
        "date: 2026-04-02\ndose_mg: '150mg'\n",
        "date: 2026-04-02\ndose_mg: 150\npre_mood: 12\n",
        "date: 2026-04-02\ndose_mg: 150\npost_mood: 7\n",
        "date: 2026-04-02\ndose_mg: 150\nroute: nasal\n",
        "date: 2026-04-02\ndose_mg: 150\ndissociation: heavy\n",
        "date: 2026-04-02\ndose_mg: 150\nscores: {phq9: 28}\n",
        "date: 2026-04-02\ndose_mg: 150\nscores: {phq9: [1, 2, 1, 0, 2, 1, 1, 0]}\n",
        "date: 2026-04-02\ndose_mg: 150\nscores: {gad7: [0, 0, 0, 0, 0, 0, 4]}\n",
        "date: 2026-04-02\ndose_mg: 150\nscores: {bdi: 3}\n",
    ],
)
def test_schema_flags_what_check_flags(validator, text):
    assert list(validator.iter_errors(_as_editor_reads(yaml.safe_load(text))))
