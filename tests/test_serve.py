"""`journal serve` rebuilds when an entry or a template changes, answers only requests
addressed to it, and never waits on an entry with an error."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import EXAMPLE_TODAY, run_in, with_vega_runtime, write_project

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
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared at {url}")


def test_serve_rebuilds_when_an_entry_or_a_template_changes(tmp_path: Path):
    project = with_vega_runtime(write_project(tmp_path, {"2026-06-01.yaml": ENTRY.format(provider="First Clinic")}, "templates: mine"))
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


BROKEN = "date: 2026-06-08\ndose_mg: 75\npre_mood: 12\nprovider: Broken Clinic\n"
FIXED = BROKEN.replace("pre_mood: 12", "pre_mood: 2")
LOCATED = "entries/2026-06-08.yaml:3:11: pre_mood: 12 is out of range (1-10)"
SHEET_LINE = "<strong>1 entry left out:</strong> 8 Jun 2026"


def _start(project: Path, log: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--address", f"127.0.0.1:{port}", "--today", EXAMPLE_TODAY],
        cwd=project, stdout=subprocess.DEVNULL, stderr=log.open("w"), start_new_session=True,
    )
    return process, port


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def _get(port: int, path: str, host: str | None = None) -> tuple[int, str]:
    """One request, bounded: a preview that waits is a failure, not something to retry."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": host} if host else {})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def _until(port: int, path: str, process: subprocess.Popen, shows, seconds: float = 90) -> str:
    """Ask again (each request bounded) until the page `shows` what is expected."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "journal serve stopped"
        try:
            status, body = _get(port, path)
        except ConnectionRefusedError:  # not serving yet; a request left waiting fails the test
            status, body = 0, ""
        if status == 200 and shows(body):
            return body
        time.sleep(0.2)
    raise AssertionError(f"{path} never showed what was expected")


def test_serve_answers_only_requests_addressed_to_this_computer(tmp_path: Path):
    """A page of another site reaching 127.0.0.1 through its own domain name (DNS
    rebinding) sends that name as Host: it gets no page."""
    project = with_vega_runtime(write_project(tmp_path, {"2026-06-01.yaml": ENTRY.format(provider="First Clinic")}))
    process, port = _start(project, tmp_path / "serve.log")
    try:
        _until(port, "/sessions/2026-06-01.html", process, lambda body: "First Clinic" in body)
        for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}", "localhost.evil.example"):
            status, body = _get(port, "/sessions/2026-06-01.html", host=host)
            assert 400 <= status < 500, (host, status)
            assert "First Clinic" not in body and "Test journal" not in body and "pre_mood" not in body, host
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
            status, body = _get(port, "/sessions/2026-06-01.html", host=host)
            assert status == 200 and "First Clinic" in body, host
    finally:
        _stop(process)


def test_serve_shows_an_entry_error_at_once_and_recovers_when_it_is_fixed(tmp_path: Path):
    """Started with an entry that has an error, fixed, then broken again while serving:
    every page answers each time (no request is left waiting for a build that succeeds)."""
    entry = tmp_path / "entries" / "2026-06-08.yaml"
    project = with_vega_runtime(write_project(tmp_path, {"2026-06-01.yaml": ENTRY.format(provider="First Clinic"), entry.name: BROKEN}))
    log = tmp_path / "serve.log"
    process, port = _start(project, log)
    try:
        page = _until(port, "/sessions/2026-06-01.html", process, lambda body: "First Clinic" in body)
        assert LOCATED in page and "Left out of this preview until fixed" in page
        # the check-in sheet says so itself, where the banner does not print
        assert SHEET_LINE in _until(port, "/check-in.html", process, lambda body: SHEET_LINE in body)
        entry.write_text(FIXED, encoding="utf-8")
        page = _until(port, "/", process, lambda body: LOCATED not in body)
        assert "Left out of this preview" not in page
        assert 'id="left-out"' not in _until(port, "/check-in.html", process, lambda body: LOCATED not in body)
        assert "Broken Clinic" in _until(port, "/sessions/2026-06-08.html", process, lambda body: "Broken Clinic" in body)

        entry.write_text(BROKEN, encoding="utf-8")
        # every page names the error at the top, and the Data problems page lists it
        for path in ("/", "/trends.html", "/sessions/2026-06-01.html", "/problems.html"):
            assert LOCATED in _until(port, path, process, lambda body: LOCATED in body)
        assert SHEET_LINE in _until(port, "/check-in.html", process, lambda body: LOCATED in body)
        # the tab showing the broken session: a page saying why, which reloads by itself
        # (a "Not found" has no live reload, and would stay after the fix)
        page = _until(port, "/sessions/2026-06-08.html", process, lambda body: "Broken Clinic" not in body)
        assert "This session is left out of the preview until <code>entries/2026-06-08.yaml</code> is fixed" in page
        assert LOCATED in page and "livereload(" in page
        printed = log.read_text(encoding="utf-8")
        assert printed.count(LOCATED) >= 2  # the terminal says it too, on each build with the error
        assert "--lenient" not in printed  # never the advice for a build
        entry.write_text(FIXED, encoding="utf-8")
        page = _until(port, "/sessions/2026-06-08.html", process, lambda body: "Broken Clinic" in body)
        assert "left out of the preview" not in page
    finally:
        _stop(process)


def test_serve_looks_for_changes_five_times_as_often_as_mkdocs(tmp_path, monkeypatch):
    """MkDocs looks every 0.5 s, then waits 0.1 s for more changes: most of the second
    between saving an entry and the browser showing it. Only `journal serve`'s server looks
    more often; MkDocs' own class is left as it was."""
    import mkdocs.commands.serve as serving

    made = serving.LiveReloadServer
    servers = []

    def serve(config_file, **options):
        server = serving.LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=_free_port(), root=str(tmp_path))
        servers.append((server.observer.timeout, server.build_delay, type(server.observer).__name__))
        server.server_close()

    monkeypatch.setattr(serving, "serve", serve)
    project = write_project(tmp_path, {"2026-06-01.yaml": ENTRY.format(provider="First Clinic")})
    assert run_in(project, "serve") == 0
    assert servers == [(0.1, 0.05, "BaseObserver")]
    assert serving.LiveReloadServer is made


@pytest.mark.parametrize("address, warned", [("0.0.0.0", True), ("127.0.0.1", False), ("localhost", False)])
def test_serving_beyond_this_computer_says_who_can_read_the_report(tmp_path, capsys, monkeypatch, address, warned):
    served = []
    monkeypatch.setattr("mkdocs.commands.serve.serve", lambda config_file, **options: served.append(options))
    project = write_project(tmp_path, {"2026-06-01.yaml": ENTRY.format(provider="First Clinic")})
    port = _free_port()
    assert run_in(project, "serve", "--address", f"{address}:{port}") == 0
    assert served == [{"dev_addr": f"{address}:{port}"}]
    err = capsys.readouterr().err
    assert ("others on your network can read your report" in err) == warned, err


@pytest.mark.parametrize("served_on, header, accepted", [
    ("127.0.0.1", "127.0.0.1:8000", True),
    ("127.0.0.1", "LOCALHOST:8000", True),
    ("127.0.0.1", "[::1]:8000", True),
    ("127.0.0.1", "127.0.0.1:8001", False),
    ("127.0.0.1", "127.0.0.1", False),
    ("127.0.0.1", "", False),
    ("127.0.0.1", "192.168.1.5:8000", False),
    ("0.0.0.0", "192.168.1.5:8000", True),  # served on every address: the machine's own IP
    ("0.0.0.0", "[fe80::1]:8000", True),
    ("0.0.0.0", "journal.example:8000", False),  # a name, as a rebinding page sends
    ("0.0.0.0", "192.168.1.5:8001", False),
    ("192.168.1.5", "192.168.1.5:8000", True),
    ("192.168.1.5", "10.0.0.1:8000", False),
])
def test_which_host_headers_are_answered(served_on, header, accepted):
    from generator.serving import accepted_hosts

    assert accepted_hosts(served_on, 8000)(header) is accepted


def test_serve_keeps_answering_when_a_rebuild_fails(tmp_path: Path):
    """mkdocs.yml broken while serving: MkDocs alone would leave every request waiting."""
    project = with_vega_runtime(write_project(tmp_path, {"2026-06-01.yaml": ENTRY.format(provider="First Clinic")}))
    config = project / "mkdocs.yml"
    good = config.read_text(encoding="utf-8")
    process, port = _start(project, tmp_path / "serve.log")
    try:
        _until(port, "/sessions/2026-06-01.html", process, lambda body: "First Clinic" in body)
        config.write_text(good + "plugins: [oops\n", encoding="utf-8")
        deadline = time.monotonic() + 90
        while True:  # each request bounded: one left waiting fails the test
            status, body = _get(port, "/nowhere.html")
            if status == 404 and "could not be rebuilt" in body:
                break
            assert time.monotonic() < deadline and process.poll() is None, "the failed rebuild was never shown"
            time.sleep(0.2)
        assert "livereload(" in body  # a tab showing it reloads once the preview is rebuilt
        status, body = _get(port, "/sessions/2026-06-01.html")
        assert status == 200 and "First Clinic" in body  # the last good page
        assert "could not be rebuilt" in (tmp_path / "serve.log").read_text(encoding="utf-8")
        config.write_text(good, encoding="utf-8")
        (project / "entries" / "2026-06-01.yaml").write_text(ENTRY.format(provider="Second Clinic"), encoding="utf-8")
        _until(port, "/sessions/2026-06-01.html", process, lambda body: "Second Clinic" in body)
    finally:
        _stop(process)


def test_a_left_out_session_page_escapes_what_the_entry_holds():
    from generator.plugin import _left_out_session_pages
    from generator.problems import Problem

    errors = [Problem("entries/<b>x</b>.yaml", 2, 3, "provider", "<script>alert(1)</script> is not text"),
              Problem("entries/2026-06-01.yaml", 1, 1, "date", "is wrong")]
    pages = _left_out_session_pages(errors, {"sessions/2026-06-01.md"})  # a page already there stays
    (page,) = pages
    assert page.path.startswith("sessions/") and "<" not in page.path
    assert "<script>" not in page.html and "<b>" not in page.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.html and "entries/&lt;b&gt;x&lt;/b&gt;.yaml" in page.html
    assert not page.in_nav
