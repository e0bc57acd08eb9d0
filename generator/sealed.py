"""`journal export --encrypt`: the export sealed in one HTML file that any current browser opens
from disk with a passphrase, and nothing else: no network, nothing to install.

The file holds, base64-encoded in a data block (never run as a script):

    version (1 byte) | PBKDF2 iterations (4 bytes, big-endian) | salt (16) | nonce (12) | ciphertext

and, beside it, the SHA-256 of those bytes. The ciphertext is AES-256-GCM (the header above as
associated data) under a key from PBKDF2-HMAC-SHA256 of the passphrase. Its plaintext:

    summary length (4) | zip name length (4) | summary.html | zip name | the zip

The page's own script (SCRIPT below, allowed by the page's Content-Security-Policy by its hash)
checks the SHA-256 first: a mismatch means the file was damaged. Only then does it derive the
key and decrypt: with the bytes intact, a failing GCM tag can only mean a wrong passphrase. The
summary then replaces the page, as summary.html shows it, with a bar offering the zip (hidden
when printing).

The passphrase is never written anywhere by this module. Salt and nonce come from os.urandom;
tests may pass their own to get the same bytes twice.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import math
import os
import re
import secrets
import struct
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from .output import replace_file

VERSION = 1
ITERATIONS = 600_000  # OWASP's figure for PBKDF2-HMAC-SHA256
SALT_BYTES, NONCE_BYTES = 16, 12
HEADER = struct.Struct(">BI")
MIN_PASSPHRASE = 10  # characters, spaces and dashes not counted

# The generated passphrase: digits in groups of five. Digits are read aloud over the phone in any
# language without spelling anything out, and no two sound alike.
GROUPS, GROUP_SIZE = 5, 5
PASSPHRASE_BITS = GROUPS * GROUP_SIZE * math.log2(10)  # 83.0 bits


class SealedError(Exception):
    """The sealed file cannot be opened."""


class Damaged(SealedError):
    pass


class WrongPassphrase(SealedError):
    pass


def generate_passphrase() -> str:
    digits = "".join(str(secrets.randbelow(10)) for _ in range(GROUPS * GROUP_SIZE))
    return "-".join(digits[i:i + GROUP_SIZE] for i in range(0, len(digits), GROUP_SIZE))


def normalise(passphrase: str) -> str:
    """What the key is made from: the passphrase without spaces and dashes (read aloud, a group
    of digits is easily typed with either or neither), in one Unicode form. The page does the same."""
    return re.sub(r"[\s\-]+", "", unicodedata.normalize("NFC", passphrase))


def check_passphrase(passphrase: str) -> None:
    if len(normalise(passphrase)) < MIN_PASSPHRASE:
        raise ValueError(
            f"the passphrase is too short: use at least {MIN_PASSPHRASE} characters (spaces and dashes not counted), "
            "or leave out --passphrase-file to have a strong one made for you"
        )


def _key(passphrase: str, salt: bytes, iterations: int) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations)
    return kdf.derive(normalise(passphrase).encode("utf-8"))


def seal_bytes(summary_html: str, zip_name: str, zip_bytes: bytes, passphrase: str, *,
               salt: bytes | None = None, nonce: bytes | None = None, iterations: int = ITERATIONS) -> bytes:
    """The sealed bytes (header and ciphertext). `salt` and `nonce` are for tests only."""
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    nonce = os.urandom(NONCE_BYTES) if nonce is None else nonce
    assert len(salt) == SALT_BYTES and len(nonce) == NONCE_BYTES
    header = HEADER.pack(VERSION, iterations) + salt + nonce
    summary, name = summary_html.encode("utf-8"), zip_name.encode("utf-8")
    plain = struct.pack(">II", len(summary), len(name)) + summary + name + zip_bytes
    return header + AESGCM(_key(passphrase, salt, iterations)).encrypt(nonce, plain, header)


def open_bytes(sealed: bytes, digest: str, passphrase: str) -> tuple[str, str, bytes]:
    """What the page does, in Python: (summary.html, zip name, zip). Raises Damaged or WrongPassphrase."""
    start = HEADER.size + SALT_BYTES + NONCE_BYTES
    if hashlib.sha256(sealed).hexdigest() != digest or len(sealed) < start + 16:
        raise Damaged("the file is damaged")
    version, iterations = HEADER.unpack_from(sealed)
    if version != VERSION:
        raise Damaged(f"unknown version {version}")
    salt, nonce = sealed[HEADER.size:HEADER.size + SALT_BYTES], sealed[HEADER.size + SALT_BYTES:start]
    try:
        plain = AESGCM(_key(passphrase, salt, iterations)).decrypt(nonce, sealed[start:], sealed[:start])
    except InvalidTag:
        raise WrongPassphrase("the passphrase does not open this file") from None
    if len(plain) < 8:
        raise Damaged("the contents do not parse")
    summary_length, name_length = struct.unpack_from(">II", plain)
    if 8 + summary_length + name_length > len(plain):
        raise Damaged("the contents do not parse")
    summary = plain[8:8 + summary_length].decode("utf-8")
    name = plain[8 + summary_length:8 + summary_length + name_length].decode("utf-8")
    return summary, name, plain[8 + summary_length + name_length:]


# The page's script: the project's own, no library. Kept free of "</" so it can sit in the page.
SCRIPT = r"""
(function () {
  "use strict";
  var DAMAGED = "This file is damaged: it is not byte for byte the file that was made, so it cannot be opened. Ask the sender for a new copy.";
  var WRONG = "That passphrase does not open this file. Nothing was shown. Check it and try again (spaces and dashes do not matter).";
  var form = document.getElementById("unlock");
  var input = document.getElementById("passphrase");
  var status = document.getElementById("status");
  function say(text, kind) { status.textContent = text; status.className = kind || ""; }
  say("");
  if (!(window.crypto && crypto.subtle && window.TextEncoder)) {
    say("This browser cannot open the file: it lacks the Web Crypto functions. Open it in a current Firefox, Chrome, Edge or Safari.", "error");
    return;
  }
  function decode(text) {
    var raw = atob(text.replace(/\s+/g, ""));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }
  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }
  function normalise(text) { return text.normalize("NFC").replace(/[\s\-]+/g, ""); }
  function size(n) { return n >= 1e6 ? (n / 1e6).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1e3)) + " KB"; }
  async function open(passphrase) {
    var sealed, expected;
    try {
      sealed = decode(document.getElementById("kj-sealed-data").textContent);
      expected = document.getElementById("kj-sealed-data").getAttribute("data-sha256");
    } catch (e) { return say(DAMAGED, "error"); }
    // the digest does not depend on the passphrase: a mismatch is damage, never a wrong passphrase
    if (sealed.length < 49 || hex(await crypto.subtle.digest("SHA-256", sealed)) !== expected) return say(DAMAGED, "error");
    var view = new DataView(sealed.buffer);
    if (view.getUint8(0) !== 1) return say(DAMAGED, "error");
    var header = sealed.slice(0, 33);
    var base = await crypto.subtle.importKey("raw", new TextEncoder().encode(normalise(passphrase)), "PBKDF2", false, ["deriveKey"]);
    var key = await crypto.subtle.deriveKey(
      { name: "PBKDF2", salt: sealed.slice(5, 21), iterations: view.getUint32(1), hash: "SHA-256" },
      base, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
    var plain;
    try {
      plain = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.slice(21, 33), additionalData: header }, key, sealed.slice(33)));
    } catch (e) {
      input.value = "";
      return say(WRONG, "error");
    }
    var lengths = new DataView(plain.buffer), summaryEnd, nameEnd, summary, name;
    try {
      summaryEnd = 8 + lengths.getUint32(0);
      nameEnd = summaryEnd + lengths.getUint32(4);
      if (nameEnd > plain.length) throw new Error("short");
      var utf8 = new TextDecoder("utf-8", { fatal: true });
      summary = utf8.decode(plain.subarray(8, summaryEnd));
      name = utf8.decode(plain.subarray(summaryEnd, nameEnd));
    } catch (e) { return say(DAMAGED, "error"); }
    show(summary, name, plain.subarray(nameEnd));
  }
  function show(summary, name, zip) {
    var url = URL.createObjectURL(new Blob([zip], { type: "application/zip" }));
    // the summary becomes the page, exactly as summary.html (its own styles, its own policy)
    document.open();
    document.write(summary);
    document.close();
    var style = document.createElement("style");
    style.textContent = "#kj-sealed-bar{font:15px/1.45 system-ui,sans-serif;background:#eef3e8;border-bottom:1px solid #9bb58a;padding:.6rem 1.25rem;margin:0 0 1rem}" +
      "#kj-sealed-bar a{font-weight:600;color:#1a1a1a}@media print{#kj-sealed-bar{display:none}}";
    document.head.appendChild(style);
    var bar = document.createElement("div");
    bar.id = "kj-sealed-bar";
    bar.setAttribute("role", "region");
    bar.setAttribute("aria-label", "Download");
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.textContent = "Download the whole export (" + name + ", " + size(zip.length) + ")";
    bar.appendChild(link);
    bar.appendChild(document.createTextNode(": the full report, the data files and this summary. Printing prints the summary only."));
    document.body.insertBefore(bar, document.body.firstChild);
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    say("Opening\u2026");
    open(input.value).catch(function () { say(DAMAGED, "error"); });
  });
})();
"""  # noqa: E501  the sealed bar's style rule stays one JavaScript line

STYLE = """
:root { color-scheme: light; }
body { margin: 0 auto; max-width: 40rem; padding: 2rem 1.25rem; color: #1a1a1a; background: #fff;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.4rem; }
label { display: block; font-weight: 600; margin: 1rem 0 0.3rem; }
input { font: inherit; font-size: 1.1rem; width: 100%; padding: 0.4rem 0.5rem; border: 1px solid #555; border-radius: 4px; }
button { font: inherit; margin-top: 0.8rem; padding: 0.4rem 1.2rem; }
#status { min-height: 1.5em; margin-top: 1rem; }
#status.error { color: #8a1c1c; font-weight: 600; }
small { color: #555; }
"""


def _hash_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def sealed_page(sealed: bytes) -> str:
    """The HTML file: a form, the sealed bytes, and the script. The policy allows that script by
    its hash and nothing else: no connection, no outside file, no form sent anywhere. Inline
    styles are allowed because the summary, once opened in this page, uses its own."""
    policy = (f"default-src 'none'; script-src {_hash_source(SCRIPT)}; style-src 'unsafe-inline'; img-src data:; "
              "connect-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'; object-src 'none'")
    data = base64.b64encode(sealed).decode("ascii")
    lines = [data[i:i + 76] for i in range(0, len(data), 76)]
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="noindex, nofollow">',
        f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy)}">',
        '<meta name="referrer" content="no-referrer">',
        "<title>Treatment journal export (locked)</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<h1>Treatment journal export, locked with a passphrase</h1>",
        "<p>This file holds a patient's treatment journal summary and the whole export, encrypted. "
        "The passphrase was sent to you separately, by another way than this file. "
        "Everything happens in this browser: nothing is sent anywhere.</p>",
        '<form id="unlock" autocomplete="off">',
        '<label for="passphrase">Passphrase</label>',
        '<input id="passphrase" name="passphrase" type="password" autocomplete="off" spellcheck="false" autocapitalize="off" required>',
        '<button type="submit">Open</button>',
        "</form>",
        '<p id="status" role="status" aria-live="polite">If the Open button does nothing, scripts are turned off in this browser, '
        "or the file is damaged.</p>",
        "<p><small>Made with ketamine-journal (journal export --encrypt): AES-256-GCM, key from the passphrase by "
        f"PBKDF2-HMAC-SHA256 ({ITERATIONS:,} rounds).</small></p>",
        "</main>",
        f'<script type="application/octet-stream" id="kj-sealed-data" data-sha256="{hashlib.sha256(sealed).hexdigest()}">',
        *lines,
        "</script>",
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
        "",
    ])


_DATA = re.compile(r'<script type="application/octet-stream" id="kj-sealed-data" data-sha256="([0-9a-f]*)">(.*?)</script>', re.S)


def open_page(page: str, passphrase: str) -> tuple[str, str, bytes]:
    """Open a sealed page in Python, as the browser does: (summary.html, zip name, zip)."""
    found = _DATA.search(page)
    if not found:
        raise Damaged("no sealed data in the file")
    try:
        sealed = base64.b64decode("".join(found.group(2).split()), validate=True)
    except ValueError:
        raise Damaged("the sealed data is not base64") from None
    return open_bytes(sealed, found.group(1), passphrase)


def seal_page(summary_html: str, zip_name: str, zip_bytes: bytes, passphrase: str, **for_tests: Any) -> str:
    return sealed_page(seal_bytes(summary_html, zip_name, zip_bytes, passphrase, **for_tests))


assert "</" not in SCRIPT  # it sits inside a <script> element as it is


def sealed_path(zip_path: Path) -> Path:
    """journal-export-FIRST-to-LAST.zip -> journal-export-FIRST-to-LAST.sealed.html, beside it."""
    return zip_path.with_name(zip_path.stem + ".sealed.html")


def write_sealed(zip_path: Path, passphrase: str) -> Path:
    """Seal the zip just written, with its summary.html, into one HTML file beside it."""
    zip_bytes = zip_path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        (member,) = [n for n in archive.namelist() if n.count("/") == 1 and n.endswith("/summary.html")]
        summary = archive.read(member).decode("utf-8")
    page = seal_page(summary, zip_path.name, zip_bytes, passphrase)
    target = sealed_path(zip_path)
    replace_file(target, lambda path: path.write_bytes(page.encode("utf-8")))
    return target
