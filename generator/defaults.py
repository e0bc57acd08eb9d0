"""The built-in site configuration: `journal build`, `serve` and `export` in a folder that
has entries/ and no mkdocs.yml.

The configuration itself is `builtin/mkdocs.yml` (private: no web fonts, no outside
links, plain file links, search from disk). A journal folder may hold `journal.yml`, a few
lines of settings of its own (the journal plugin's options, and `site_name`), which are
placed into it; and `pages/`, Markdown pages of its own added to the report.

MkDocs is handed the result as an open file (`ConfigSource`): it reads the text again on
every load, so `journal serve` sees a changed journal.yml on its next rebuild.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import yaml

BUILTIN_DIR = Path(__file__).resolve().with_name("builtin")
BUILTIN_CONFIG = BUILTIN_DIR / "mkdocs.yml"
# An empty docs_dir for a journal without pages of its own (MkDocs needs one that exists).
EMPTY_PAGES = BUILTIN_DIR / "pages"
SETTINGS_FILE = "journal.yml"
OWN_PAGES = "pages"
# Settings of journal.yml that belong to the site, not to the journal plugin.
SITE_SETTINGS = ("site_name", "site_description")


def read_settings(folder: Path) -> dict[str, Any]:
    """The settings in `folder`/journal.yml ({} when there is none). ValueError, in plain
    words, for a file that cannot be used."""
    path = folder / SETTINGS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeError) as error:
        raise ValueError(f"{SETTINGS_FILE} cannot be read ({error})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValueError(f"{SETTINGS_FILE} is not valid YAML: {' '.join(str(error).split())}") from None
    if data is None:  # only comments: every setting at its default
        return {}
    if not isinstance(data, dict):
        raise ValueError(f"{SETTINGS_FILE} must hold settings, one per line (window: 8), not a {type(data).__name__}")
    return data


def settings_entries(folder: Path) -> Path:
    """The entries folder of a journal folder without mkdocs.yml: journal.yml's `entries`,
    else entries/. Unreadable settings are said by the site commands; here the default."""
    try:
        entries = read_settings(folder).get("entries")
    except ValueError:
        entries = None
    if isinstance(entries, str) and entries.strip():
        return folder / entries
    return folder / "entries" if folder != Path(".") else Path("entries")


def builtin_config(folder: Path, entries: Path | None = None) -> dict[str, Any]:
    """The built-in configuration for the journal folder `folder`, with journal.yml's
    settings placed into it; every path in it is absolute."""
    folder = Path(os.path.abspath(folder))
    config: dict[str, Any] = yaml.safe_load(BUILTIN_CONFIG.read_text(encoding="utf-8"))
    settings = read_settings(folder)
    options: dict[str, Any] = {}
    for key, value in settings.items():
        if key in SITE_SETTINGS:
            config[key] = value
        else:
            options[key] = value
    if entries is not None:
        options["entries"] = str(Path(os.path.abspath(entries)))
    options["entries"] = str(folder / str(options.get("entries") or "entries"))
    if isinstance(options.get("templates"), str):
        options["templates"] = str(folder / options["templates"])
    own_pages = folder / OWN_PAGES
    config["docs_dir"] = str(own_pages if own_pages.is_dir() else EMPTY_PAGES)
    config["site_dir"] = str(folder / "site")
    config["plugins"] = [{"journal": options} if p == "journal" else p for p in config["plugins"]]
    return config


class ConfigSource(io.StringIO):
    """The built-in configuration as the open file MkDocs' load_config reads. MkDocs seeks to
    the start before each read and closes it after; here that makes the text anew (journal.yml
    read again) and keeps it open, as `mkdocs serve` loads the configuration on every rebuild."""

    def __init__(self, folder: Path, entries: Path | None = None) -> None:
        super().__init__()
        self.folder = Path(os.path.abspath(folder))
        self.entries = entries
        # load_config takes the file's name as the configuration's path: a journal.yml that is
        # there (serve then rebuilds when it changes); else nothing, and every path is absolute.
        settings = self.folder / SETTINGS_FILE
        self.name = str(settings) if settings.is_file() else ""
        self.seek(0)

    def seek(self, offset: int = 0, whence: int = 0) -> int:
        if offset == 0 and whence == 0:
            text = yaml.safe_dump(builtin_config(self.folder, self.entries), sort_keys=False, allow_unicode=True)
            super().seek(0)
            super().truncate(0)
            super().write(text)
        return super().seek(offset, whence)

    def close(self) -> None:  # kept open: read again on the next load
        pass
