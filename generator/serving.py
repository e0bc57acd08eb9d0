"""What `journal serve` answers: only requests addressed to it by its own name.

A page of another site can make the browser send requests to 127.0.0.1 under the other
site's name (DNS rebinding) and read the answers, the personal report and its private
notes included. Such a request carries that other name in its Host header: it is
refused. No MkDocs here, so it can be tested on its own.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

REFUSED = b"This report is only served to this computer's own address.\n"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _with_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def accepted_hosts(host: str, port: int) -> Callable[[str], bool]:
    """Whether a Host header names this server: 127.0.0.1, localhost or [::1] with the
    port, or the host it was asked to serve on. Served on every address (0.0.0.0, ::), an
    IP address with the port is accepted too: a rebinding page cannot send one, as its
    requests carry its own domain name."""
    names = {_with_port(name, port) for name in ("127.0.0.1", "localhost", "::1", host)}
    if port == 80:  # browsers leave out the default port
        names |= {name.rsplit(":", 1)[0] for name in names}
    any_address = host in ("0.0.0.0", "::")

    def accepted(header: str) -> bool:
        header = header.strip().lower()
        if header in names:
            return True
        if not any_address:
            return False
        name, _, given_port = header.rpartition(":")
        try:
            ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            return False
        return given_port == str(port)

    return accepted


def host_guard(app: Callable[..., Iterable[bytes]], accepted: Callable[[str], bool]) -> Callable[..., Iterable[bytes]]:
    """The WSGI `app`, answering 403 with no page to a request for another host."""

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if accepted(environ.get("HTTP_HOST", "")):
            return app(environ, start_response)
        start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(REFUSED)))])
        return [REFUSED]

    return guarded
