"""Names made from the person's file names: page names and the names of files in the export.

A file name can hold anything the file system allows: bytes that are not UTF-8, 255 bytes,
characters Windows cannot hold (`< > : " | ? *`, line breaks), names Windows reserves (CON,
aux.yml). What is made from it must work on every system: UTF-8, no such characters, at most
MAX_NAME_BYTES bytes (a page name gets ".html" added, and the export's folders come before it).
"""

from __future__ import annotations

import hashlib
import os
import re

MAX_NAME_BYTES = 100
_HASH_LENGTH = 8
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{kind}{n}" for kind in ("COM", "LPT") for n in "123456789¹²³"}
)
_USUAL = re.compile(r"[A-Za-z0-9 _.+,=@()\[\]-]+")  # a name that needs no change, as most are


def safe_name(name: str, limit: int = MAX_NAME_BYTES, fallback: str = "session") -> str:
    """`name` (as os.listdir gives it: bytes that are not UTF-8 as surrogates) made safe as a
    file name anywhere: each character Windows cannot hold, and each byte that is not UTF-8,
    becomes "_"; a trailing dot or space and a reserved name get a "_" after them; a name over
    `limit` bytes is cut and ends with a short hash of the whole name, so that names cut
    alike stay apart. The same name always gives the same result."""
    if _USUAL.fullmatch(name) and len(name) <= limit and not name.endswith((".", " ")) and not _reserved(name):
        return name  # what the lines below give for it, quicker
    safe = _WINDOWS_FORBIDDEN.sub("_", name)
    safe = "".join(c if c.isprintable() else "_" for c in safe)  # control characters, undecodable bytes
    if safe.endswith((".", " ")):
        safe = safe.rstrip(". ") + "_"  # Windows drops them, so that x. and x would be one file
    if _reserved(safe):
        head, dot, tail = safe.partition(".")
        safe = f"{head}_{dot}{tail}"
    if not safe:
        safe = fallback
    if len(safe.encode("utf-8")) > limit:
        digest = hashlib.sha256(os.fsencode(name)).hexdigest()[:_HASH_LENGTH]
        kept = safe.encode("utf-8")[: limit - _HASH_LENGTH - 1].decode("utf-8", "ignore")  # whole characters
        safe = f"{kept}-{digest}"
    return safe


def _reserved(name: str) -> bool:
    return name.partition(".")[0].rstrip(" ").upper() in _WINDOWS_RESERVED
