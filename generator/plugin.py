"""The MkDocs adapter: feeds the journal to the core and places the pages it renders.

All the work happens in the core (journal -> trends -> charts -> pages); this
module only translates between it and MkDocs: settings from mkdocs.yml, files
in `on_files`, page HTML in `on_page_content`, watched folders in `on_serve`.
"""

from __future__ import annotations

import html
import json
import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from .charts import build_charts, vega_runtime_js
from .journal import LENIENT_VARIABLE, load_journal
from .pages import NAV_PAGES, Report, SitePage, build_pages, builtin_templates_dir, render_pages
from .trends import Settings, compute_trends

log = logging.getLogger("mkdocs.plugins.journal")

ASSETS = {
    "assets/journal/vega-runtime.js": None,  # made by vl-convert, once per process
    "assets/journal/journal.js": "static/journal.js",
    "assets/journal/journal.css": "static/journal.css",
}


class JournalConfig(base.Config):
    entries = c.Type(str, default="entries")
    strict = c.Type(bool, default=True)
    templates = c.Optional(c.Type(str))
    today = c.Optional(c.Type(str))
    window = c.Type(int, default=Settings.window)
    adequate_trial = c.Type(int, default=Settings.adequate_trial)
    noise_threshold = c.Type((int, float), default=Settings.noise_threshold)
    gap_weeks = c.Type(int, default=Settings.gap_weeks)
    fade_threshold_days = c.Type((int, float), default=Settings.fade_threshold_days)


class JournalPlugin(BasePlugin[JournalConfig]):
    def __init__(self) -> None:
        self.pages: dict[str, SitePage] = {}
        self.settings = Settings()

    def _path(self, config: Any, value: str) -> Path:
        root = Path(config.config_file_path or ".").resolve().parent
        return (root / value).resolve()

    # -- configuration -------------------------------------------------------------
    def on_config(self, config: Any) -> Any:
        if os.environ.get(LENIENT_VARIABLE):
            self.config.strict = False
        try:
            self.settings = Settings(
                window=self.config.window,
                adequate_trial=self.config.adequate_trial,
                noise_threshold=float(self.config.noise_threshold),
                gap_weeks=self.config.gap_weeks,
                fade_threshold_days=self.config.fade_threshold_days,
            )
        except ValueError as error:
            raise PluginError(f"journal plugin in mkdocs.yml: {error}") from None
        self.entries_dir = self._path(config, self.config.entries)
        self.override_dir = self._path(config, self.config.templates) if self.config.templates else None
        if self.override_dir is not None and not self.override_dir.is_dir():
            raise PluginError(f"journal plugin: templates folder {self.override_dir} does not exist")

        # Our theme overrides (safe <title>, noindex) sit under the person's own custom_dir.
        theme_dirs = [builtin_templates_dir() / "theme"]
        if self.override_dir is not None and (self.override_dir / "theme").is_dir():
            theme_dirs.insert(0, self.override_dir / "theme")
        position = 1 if config.theme.custom_dir else 0
        for offset, folder in enumerate(theme_dirs):
            config.theme.dirs.insert(position + offset, str(folder))

        for asset in ASSETS:
            if asset.endswith(".css") and asset not in config.extra_css:
                config.extra_css.append(asset)
            elif asset.endswith(".js") and asset not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(asset)
        if not config.nav:
            config.nav = [{title: path} for path, title, _ in NAV_PAGES]
        return config

    # -- content -------------------------------------------------------------------
    def on_files(self, files: Files, config: Any) -> Files:
        journal = load_journal(self.entries_dir, self.config.today, base=self.entries_dir.parent)
        if journal.errors and self.config.strict:
            lines = "\n".join(str(p) for p in journal.errors)
            raise PluginError(
                f"the journal has errors ({journal.summary()}):\n{lines}\n"
                "Fix them, or set `strict: false` for the journal plugin in mkdocs.yml to build "
                "anyway with a Data problems page."
            )
        for warning in journal.warnings:
            log.info(str(warning))
        trends = compute_trends(journal.entries, journal.today, self.settings)
        charts = build_charts(trends)
        report = Report(journal, trends, charts, lenient=not self.config.strict, site_name=config.site_name)
        pages = build_pages(report)

        for page in pages:
            files.append(File.generated(config, page.path, content=_stub(page)))
        templates = builtin_templates_dir()
        for target, source in ASSETS.items():
            if source is None:
                content: str | bytes = vega_runtime_js()
            else:
                override = self.override_dir / source if self.override_dir else None
                content = (override if override and override.is_file() else templates / source).read_bytes()
            files.append(File.generated(config, target, content=content))

        urls = {f.src_uri: f.url for f in files}

        def url_for(from_path: str, to_path: str) -> str:
            return get_relative_url(urls.get(to_path, to_path), urls.get(from_path, from_path))

        render_pages(report, pages, url_for, self.override_dir)
        self.pages = {page.path: page for page in pages}
        return files

    def on_page_content(self, html: str, page: Any, config: Any, files: Files) -> str:
        generated = self.pages.get(page.file.src_uri)
        return generated.html if generated is not None else html

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self.entries_dir))
        server.watch(str(builtin_templates_dir()))
        if self.override_dir is not None:
            server.watch(str(self.override_dir))
        return server


def _stub(page: SitePage) -> str:
    """The Markdown source MkDocs sees: only the title; the content is ours (already HTML,
    with every typed value escaped), so no Markdown ever reads what a person wrote."""
    return f"---\ntitle: {json.dumps(html.escape(page.title, quote=False))}\n---\n"
