"""`journal export --encrypt`: the sealed HTML file beside the zip. What a person would check:
the file gives nothing away without the passphrase (no summary text, no notes, not the
passphrase), the passphrase opens it to the same summary and the same zip, a wrong one and a
damaged file are told apart, and the passphrase the tool makes is strong and shown only once."""

from __future__ import annotations

import base64
import hashlib
import html
import re
import struct
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLE_TODAY, REPO, export_example, run_in, write_project
from generator import sealed
from generator.journal import load_journal

PASSPHRASE = "violet harbour 7 lantern quietly"


@pytest.fixture(scope="module")
def sealed_export(tmp_path_factory) -> tuple[Path, Path]:
    """The example journal exported with --encrypt and a passphrase file: (zip, sealed file)."""
    folder = tmp_path_factory.mktemp("sealed")
    secret = tmp_path_factory.mktemp("secret") / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\nanything after the first line is ignored\n", encoding="utf-8")
    archive = export_example(folder, "--encrypt", "--passphrase-file", str(secret))
    page = sealed.sealed_path(archive)
    assert page.name == archive.name.removesuffix(".zip") + ".sealed.html" and page.is_file()
    return archive, page


def summary_of(archive: Path) -> str:
    with zipfile.ZipFile(archive) as opened:
        (name,) = [n for n in opened.namelist() if n.endswith("/summary.html") and n.count("/") == 1]
        return opened.read(name).decode("utf-8")


def sentences(summary: str) -> list[str]:
    """Distinctive pieces of the summary's visible text: its longer lines, tags taken out."""
    body = re.sub(r"<(style|svg)\b.*?</\1>", " ", summary, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", body))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return sorted({line for line in lines if len(line) >= 30})


def test_the_sealed_file_gives_nothing_away(sealed_export):
    archive, page_path = sealed_export
    page = page_path.read_text(encoding="utf-8")
    shown = sentences(summary_of(archive))
    assert len(shown) >= 20
    for sentence in shown:
        assert sentence not in page and html.escape(sentence) not in page, sentence
    entries = load_journal(REPO / "entries", EXAMPLE_TODAY, base=REPO).entries
    notes = [line.strip() for e in entries for note in (e.notes, e.private_notes) if note
             for line in note.splitlines() if len(line.strip()) >= 12]
    assert len(notes) >= 5
    assert not any(note in page for note in notes)
    assert PASSPHRASE not in page and sealed.normalise(PASSPHRASE) not in page
    assert "Riverside" not in page  # the example's provider, all over the summary
    # and nothing of the zip either: it is not simply stored beside
    middle = len(summary_of(archive)) // 2
    assert summary_of(archive)[middle:middle + 200] not in page
    assert base64.b64encode(archive.read_bytes()[:300]).decode()[:100] not in page


def test_the_passphrase_opens_it_in_python_and_nothing_else_does(sealed_export):
    archive, page_path = sealed_export
    page = page_path.read_text(encoding="utf-8")
    summary, name, zip_bytes = sealed.open_page(page, PASSPHRASE)
    assert summary == summary_of(archive) and name == archive.name and zip_bytes == archive.read_bytes()
    # spaces and dashes do not count: a passphrase read aloud is typed with either
    assert sealed.open_page(page, PASSPHRASE.replace(" ", "-"))[2] == zip_bytes
    with pytest.raises(sealed.WrongPassphrase):
        sealed.open_page(page, "violet harbour 7 lantern quietly!")
    # one changed character in the sealed data is damage, whatever the passphrase
    damaged = flip_one(page)
    with pytest.raises(sealed.Damaged):
        sealed.open_page(damaged, PASSPHRASE)


def test_the_file_says_how_it_was_sealed_and_its_policy_allows_only_its_script(sealed_export):
    page = sealed_export[1].read_text(encoding="utf-8")
    data = re.search(r'id="kj-sealed-data" data-sha256="([0-9a-f]{64})">(.*?)</script>', page, re.S)
    raw = base64.b64decode("".join(data.group(2).split()))
    assert hashlib.sha256(raw).hexdigest() == data.group(1)
    version, iterations = struct.unpack_from(">BI", raw)
    assert version == 1 and iterations >= 600_000
    policy = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1))
    rules = dict(rule.strip().split(" ", 1) for rule in policy.split(";"))
    assert rules["default-src"] == "'none'" and rules["connect-src"] == "'none'"
    (script,) = re.findall(r"<script>(.*?)</script>", page, re.S)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert rules["script-src"] == f"'sha256-{digest}'"  # by hash, never 'unsafe-inline'
    assert "http:" not in page and "https:" not in page


def test_sealing_is_random_unless_the_test_gives_salt_and_nonce():
    args = ("<p>summary</p>", "bundle.zip", b"PK zip bytes", PASSPHRASE)
    fixed = {"salt": bytes(range(16)), "nonce": bytes(range(12))}
    assert sealed.seal_page(*args, **fixed) == sealed.seal_page(*args, **fixed)
    assert sealed.seal_page(*args) != sealed.seal_page(*args)


def flip_one(page: str) -> str:
    """The page with one base64 character of the sealed data changed (one byte of the payload)."""
    start = page.index('id="kj-sealed-data"')
    start = page.index("\n", start) + 200
    old = page[start]
    return page[:start] + ("B" if old != "B" else "C") + page[start + 1:]


def test_a_made_passphrase_is_strong_shown_once_and_saved_nowhere(tmp_path, capsys):
    project = write_project(tmp_path / "journal", {"2026-06-01.yaml": "date: 2026-06-01\ndose_mg: 50\npre_mood: 4\n"})
    out = tmp_path / "out"
    assert run_in(project, "export", "--out", str(out), "--encrypt") == 0
    printed = capsys.readouterr().out
    (made,) = re.findall(r"Passphrase \(shown only now, never saved; (\d+) bits\): (\S+)", printed)
    bits, passphrase = made
    assert re.fullmatch(r"\d{5}(-\d{5}){4}", passphrase) and int(bits) >= 80
    assert "different ways" in printed
    (page,) = out.glob("*.sealed.html")
    assert sealed.open_page(page.read_text(encoding="utf-8"), passphrase)[1].endswith(".zip")
    # exported again without --encrypt: the earlier sealed file is named as not this export
    assert run_in(project, "export", "--out", str(out)) == 0
    assert f"{page.name} beside the zip is from an earlier export" in capsys.readouterr().out
    for path in [*tmp_path.rglob("*")]:
        if path.is_file():
            content = path.read_bytes()
            assert passphrase.encode() not in content and passphrase.replace("-", "").encode() not in content, path


def test_passphrase_options_are_checked_before_anything_is_built(tmp_path, capsys):
    project = write_project(tmp_path / "journal", {"2026-06-01.yaml": "date: 2026-06-01\ndose_mg: 50\n"})
    short = tmp_path / "short.txt"
    short.write_text("abc\n", encoding="utf-8")
    assert run_in(project, "export", "--encrypt", "--passphrase-file", str(short)) == 2
    assert "too short" in capsys.readouterr().err
    assert run_in(project, "export", "--passphrase-file", str(short)) == 2
    assert "go with --encrypt" in capsys.readouterr().err
    assert run_in(project, "export", "--encrypt", "--ask-passphrase") == 2  # pytest's stdin is no terminal
    assert "needs a terminal" in capsys.readouterr().err
    assert not list(project.glob("*.zip")) and not list(project.glob("*.html"))


def test_a_typed_passphrase_is_asked_twice_and_must_match(tmp_path, capsys, monkeypatch):
    import getpass
    import sys

    project = write_project(tmp_path / "journal", {"2026-06-01.yaml": "date: 2026-06-01\ndose_mg: 50\n"})
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    typed = iter(["my own long passphrase", "my own long passfrase"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(typed))
    assert run_in(project, "export", "--encrypt", "--ask-passphrase") == 2
    assert "differ" in capsys.readouterr().err and not list(project.glob("*.zip"))
    typed = iter(["my own long passphrase"] * 2)
    assert run_in(project, "export", "--encrypt", "--ask-passphrase", "--out", str(tmp_path / "out")) == 0
    assert "Passphrase (shown only now" not in capsys.readouterr().out  # the person's own: not printed
    (page,) = (tmp_path / "out").glob("*.sealed.html")
    assert sealed.open_page(page.read_text(encoding="utf-8"), "my own long passphrase")[1].endswith(".zip")
