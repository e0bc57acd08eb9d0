"""Pages: the report's pages as HTML fragments, rendered from the journal's figures.

Engine-agnostic: this module knows nothing of MkDocs. It returns `SitePage`s
(a path such as "sessions/2026-06-01.md", a title, the HTML of the content);
an adapter places them in whatever site engine is used.

Templates are Jinja2 HTML fragments with autoescape on, so every value a
person typed is escaped wherever it appears. A folder of the person's own
templates, searched first, overrides any built-in one by name.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .charts import MAX_PERIODS, MAX_SESSION_MARKS, spec_json
from .entries import Entry
from .rebuilding import KeptTemplateCode
from .report import Report
from .words import (
    MOOD_NAMES,
    RED_FLAGS,
    Signal,
    after_next_words,
    bands_text,
    due_day,
    duration_text,
    format_day,
    format_dose,
    format_mean,
    format_mean_days,
    format_number,
    format_signed,
    format_signed_mean,
    plural,
)


def builtin_templates_dir() -> Path:
    """site_templates/ at the top of a checkout; inside the package once installed."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "site_templates", here / "site_templates"):
        if (candidate / "pages").is_dir():
            return candidate
    try:
        from importlib.resources import files

        return Path(str(files("generator.site_templates")))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - broken install
        return here.parent / "site_templates"


@dataclass
class SitePage:
    path: str  # where the page goes, as a Markdown source path: "trends.md"
    title: str
    html: str = ""
    in_nav: bool = True
    template: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # (level, id, text HTML)


NAV_PAGES: list[tuple[str, str, str]] = [
    ("index.md", "Overview", "overview.html"),
    ("sessions/index.md", "Sessions", "sessions.html"),
    ("trends.md", "Trends", "trends.html"),
    ("check-in.md", "Check-in sheet", "checkin.html"),
    ("checklists.md", "Checklists", "checklists.html"),
    ("faq.md", "FAQ", "faq.html"),
    ("about.md", "About", "about.html"),
    ("problems.md", "Data problems", "problems.html"),
]


def session_path(entry: Entry) -> str:
    return f"sessions/{entry.slug}.md"


# Compiled page templates, kept for the process when no journal folder keeps them (see
# render_pages' `template_code`): `journal serve` renders them on every rebuild.
_TEMPLATE_CODE = KeptTemplateCode()


def _environment(override_dir: Path | None, template_code: KeptTemplateCode | None = None) -> Environment:
    loaders = []
    if override_dir is not None:
        loaders += [FileSystemLoader(str(override_dir / "pages")), FileSystemLoader(str(override_dir))]
    loaders.append(FileSystemLoader(str(builtin_templates_dir() / "pages")))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=template_code or _TEMPLATE_CODE,
    )
    env.filters.update(
        dose=format_dose,
        day=format_day,
        num=format_number,
        signed=format_signed,
        mean=format_mean,
        signed_mean=format_signed_mean,
        mean_days=format_mean_days,
        duration=duration_text,
        plural=plural,  # {{ n | plural("session") }}: '1 session', '3 sessions'
        after_next=after_next_words,  # {{ f | after_next(False) }}: 'after the next session, 1 Oct'
        mood_name=lambda name, form="said": getattr(MOOD_NAMES[name], form),  # a mood field's name (words.MoodName)
        bands=bands_text,
        due_day=due_day,
        spec_json=lambda spec: Markup(spec_json(spec)),  # already made safe for <script>
    )
    return env


def build_pages(report: Report) -> list[SitePage]:
    """Every page of the report, without HTML yet (see `render_pages`)."""
    pages = [SitePage(path, title, template=template) for path, title, template in NAV_PAGES]
    figures = report.trends.sessions
    for index, figure in enumerate(figures):
        entry = figure.entry
        page = SitePage(session_path(entry), report.views.session_titles[index], in_nav=False, template="session.html")
        page.context = {
            "figure": figure,
            "previous": figures[index - 1] if index > 0 else None,
            "next": figures[index + 1] if index + 1 < len(figures) else None,
            "number": index + 1,
        }
        pages.append(page)
    return pages


def render_pages(
    report: Report,
    pages: Sequence[SitePage],
    url_for: Callable[[str, str], str],
    override_dir: Path | None = None,
    template_code: KeptTemplateCode | None = None,
) -> list[SitePage]:
    """Fill in each page's HTML. `url_for(from_path, to_path)` gives the link from one page
    to another (or to an asset), as the site engine lays them out. Everything the templates
    show is prepared in the report (`report.views`, see generator.views): this only renders.
    `template_code`: where compiled templates are kept (the journal's cache folder)."""
    env = _environment(override_dir, template_code)
    views = report.views
    shared = {
        "report": report,
        "journal": report.journal,
        "trends": report.trends,
        "words": views.words,
        "charts": report.charts_by_key,
        "all_charts": report.charts,
        "chart_grouping": report.chart_grouping,
        "max_session_marks": MAX_SESSION_MARKS,
        "max_periods": MAX_PERIODS,
        "signals": report.analysis.signals,
        "safety_signals": report.analysis.safety_signals,
        "other_signals": report.analysis.other_signals,
        "talking_points": report.analysis.talking_points,
        "months": views.months,
        "checklists": views.checklists,
        "sheet": views.sheet,
        "red_flags": RED_FLAGS,
        "problems_by_source": views.problems_by_source,
        "left_out": report.left_out,
        "session_path": session_path,
    }
    for page in pages:
        def url(target: str, _from: str = page.path) -> str:
            # "trends.md#doses": the page's URL, then the anchor (an engine knows only pages)
            path, hash_, anchor = target.partition("#")
            return url_for(_from, path) + hash_ + anchor

        context = {**shared, **page.context, "page_title": page.title, "url": url}
        body = env.get_template(page.template).render(context)
        # The page's own title as its first heading, with an id: the theme's skip link and
        # table of contents lead there, so nothing above the first section is skipped.
        page.html = f'<h1 id="{TITLE_ID}">{escape(page.title)}</h1>\n{body}'
        page.headings = headings(page.html)
        if page.template in NO_CONTENTS:
            page.headings = page.headings[:1]
    return list(pages)


TITLE_ID = "page-title"
# Pages without a table of contents beside them: the check-in sheet is one printed page whose
# wide table needs the room, a session page is short. They keep their title for the skip link.
NO_CONTENTS = ("checkin.html", "session.html")
_HEADING = re.compile(r"<h([1-3])\b[^>]*\bid=\"([^\"]+)\"[^>]*>(.*?)</h\1>", re.S)


def headings(markup: str) -> list[tuple[int, str, str]]:
    """The page's headings with an id, in order: (level 1-3, id, text as escaped HTML), for
    the site engine's table of contents (pages are HTML, so no Markdown step sees them)."""
    found = []
    for level, anchor, inner in _HEADING.findall(markup):
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inner)).split())
        found.append((int(level), anchor, str(escape(text))))
    return found


def render_document(template: str, context: dict[str, Any], override_dir: Path | None = None) -> str:
    """A whole document (such as the export's summary.html) from a template, through the
    same escaping environment and overrides as the pages."""
    return _environment(override_dir).get_template(template).render(context)


def evidence_links(signal: Signal) -> list[tuple[str, str]]:
    return [(f"sessions/{e.slug}.md", e.text) for e in signal.evidence]


def relative_url(from_url: str, to_url: str) -> str:
    """A relative link between two site URLs ("" is the site root), for engines or
    exports without their own helper."""
    start = os.path.dirname(from_url) if not from_url.endswith("/") else from_url.rstrip("/")
    return os.path.relpath(to_url or ".", start or ".").replace(os.sep, "/") + ("/" if to_url.endswith("/") else "")
