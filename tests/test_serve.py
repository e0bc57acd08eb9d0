"""`journal serve` rebuilds when an entry or a template changes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import EXAMPLE_TODAY, write_project

ENTRY = "date: 2026-06-01\ndose_mg: 50\npre_mood: 3\npost_mood_2h: 5\nmood_day1: 4\nmood_day3: 3\nmood_day7: 3\nprovider: {provider}\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, needle: str, process: subprocess.Popen, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        assert process.poll() is None, "journal serve stopped"
        try:
            last = _fetch(url)
            if needle in last:
                return last
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{needle!r} never appeared at {url}")


def test_serve_rebuilds_when_an_entry_or_a_template_changes(tmp_path: Path):
    project = write_project(tmp_path, {"2026-06-01.yaml": ENTRY.format(provider="First Clinic")}, "templates: mine")
    (project / "mine").mkdir()
    (project / "mine" / "faq.html").write_text("<p>FAQ version one</p>", encoding="utf-8")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--address", f"127.0.0.1:{port}", "--today", EXAMPLE_TODAY],
        cwd=project, stdout=subprocess.DEVNULL, stderr=(tmp_path / "serve.log").open("w"), start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait_for(base + "sessions/2026-06-01.html", "First Clinic", process)
        # the help says "open the address it prints": it does
        printed = (tmp_path / "serve.log").read_text(encoding="utf-8")
        assert f"Serving on {base}" in printed
        # session pages are reached from the Sessions page, not listed as missing from the nav
        assert "not included in the \"nav\"" not in printed and "2026-06-01.md" not in printed
        (project / "entries" / "2026-06-01.yaml").write_text(ENTRY.format(provider="Second Clinic"), encoding="utf-8")
        _wait_for(base + "sessions/2026-06-01.html", "Second Clinic", process)
        (project / "mine" / "faq.html").write_text("<p>FAQ version two</p>", encoding="utf-8")
        _wait_for(base + "faq.html", "FAQ version two", process)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
