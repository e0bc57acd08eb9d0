"""Drawn charts kept between builds, in a hidden folder of the journal's own.

A chart's SVG depends only on its Vega-Lite spec and on the versions of Altair and
vl-convert, so a chart drawn by one `journal build` is taken, not drawn again, by the
next one in a new process: an unchanged journal builds without starting vl-convert's
JavaScript engine. The Vega runtime (which depends on vl-convert's version alone) is
kept the same way, and so are the compiled page templates (see generator.rebuilding).

What is derived from the entries stays with them: the folder is `.journal-cache/`
beside mkdocs.yml, never a user-wide cache, and never part of the site or an export.
Each file is written under a temporary name and renamed into place (builds running at
once each see a whole file or none), starts with the SHA-256 of the rest (a damaged or
cut-off file is ignored and drawn again), and the oldest files go once the folder
holds more than LIMIT_BYTES. Any error of the folder (read-only, full) only means
drawing again: the cache never stops a build.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from contextlib import suppress
from functools import cache
from pathlib import Path

FOLDER_NAME = ".journal-cache"
LIMIT_BYTES = 32 * 1024 * 1024  # a 100-session journal's charts take about 0.3 MB, 10,000 sessions' 2 MB
_MAGIC = b"ketamine-journal cache 1 "
_TEMPORARY = ".writing-"


@cache
def library_versions() -> str:
    """The versions the drawings depend on, read without importing vl-convert."""
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for name in ("altair", "vl-convert-python"):
        try:
            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:  # pragma: no cover - installed with the package
            parts.append(f"{name} ?")
    return ", ".join(parts)


@cache
def source_digest() -> str:
    """A digest of this package's code: what is kept from its output (the charts made from
    the trends) must not outlive a change to it, even one that keeps the version number."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class DrawingCache:
    """Text (an SVG, the Vega runtime) by key, in one folder."""

    def __init__(self, folder: Path | str, limit: int = LIMIT_BYTES):
        self.folder = Path(folder)
        self.limit = limit
        self.written = 0  # files written since the last trim

    @staticmethod
    def key(kind: str, content: str = "") -> str:
        """A file name for `content` of one kind, tied to the library versions."""
        digest = hashlib.sha256(f"{library_versions()}\n{content}".encode()).hexdigest()
        return f"{kind}-{digest[:40]}"

    def get(self, key: str) -> str | None:
        """The text kept under `key`; None when there is none or it is damaged."""
        data = self.get_bytes(key)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:  # pragma: no cover - the digest matched
            return None

    def put(self, key: str, text: str) -> None:
        self.put_bytes(key, text.encode("utf-8"))

    def get_bytes(self, key: str) -> bytes | None:
        """The bytes kept under `key`; None when there are none or they are damaged."""
        try:
            data = (self.folder / key).read_bytes()
        except OSError:
            return None
        header, newline, body = data.partition(b"\n")
        if not newline or header != _MAGIC + hashlib.sha256(body).hexdigest().encode():
            return None
        return body

    def put_bytes(self, key: str, body: bytes) -> None:
        data = _MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body
        temporary = None
        try:
            self.folder.mkdir(exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=_TEMPORARY, dir=self.folder)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, self.folder / key)
            self.written += 1
        except OSError:
            if temporary is not None:
                with suppress(OSError):
                    os.unlink(temporary)

    def trim(self) -> None:
        """Remove the oldest files until the folder holds at most `limit` bytes."""
        if not self.written:
            return
        self.written = 0
        stale = time.time() - 3600  # a file being written is renamed within seconds
        try:
            files = []
            with os.scandir(self.folder) as listing:
                for item in listing:
                    if item.is_file(follow_symlinks=False):
                        info = item.stat(follow_symlinks=False)
                        if not item.name.startswith(_TEMPORARY):
                            files.append((info.st_mtime, info.st_size, item.path))
                        elif info.st_mtime < stale:  # left by a build that was killed
                            with suppress(OSError):
                                os.unlink(item.path)
        except OSError:
            return
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self.limit:
                break
            with suppress(OSError):
                os.unlink(path)
            total -= size
