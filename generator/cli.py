"""The `journal` command."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import os
import sys
import traceback
from pathlib import Path

from . import __version__
from .entries import parse_session_date
from .journal import LENIENT_VARIABLE, TODAY_VARIABLE, create_entry, load_journal, resolve_today
from .output import replace_directory

DESCRIPTION = """\
Keep a ketamine treatment journal (one YAML file per session) and turn it into a
private report for you and your prescriber. Nothing here is medical advice: the
report shows your own data to prepare a conversation with your prescriber."""

EPILOG = """\
examples:
  journal new                 write today's entry into entries/
  journal check               check every entry and list what needs fixing
  journal build               build the report site into site/
  journal serve               preview the report, rebuilt as you edit

Run `journal COMMAND --help` for the options of each command."""


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--entries", metavar="DIR", type=Path, default=Path("entries"),
        help="the folder that holds the entry files (default: entries)",
    )
    parser.add_argument(
        "--today", metavar="DATE",
        help=f"treat DATE (2026-04-02) as today when deciding which follow-ups are due "
        f"(default: the {TODAY_VARIABLE} environment variable, else the real date)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="journal", description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback if something unexpected fails")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    new = commands.add_parser(
        "new", help="write a new entry from the template",
        description="Write a new entry file for a session, with every field listed and its "
        "range in a comment, and print its path. An existing file is never overwritten: a "
        "second session on the same day gets -2 in its name.",
    )
    _add_common(new)
    new.add_argument("--date", metavar="DATE", help="the session's date, or date and time "
                     "(2026-04-02 or '2026-04-02 18:30'; default: today)")

    check = commands.add_parser(
        "check", help="check every entry and report problems",
        description="Check every entry file. Each problem is printed as FILE:LINE:COLUMN: "
        "field: what is wrong (what is expected). Exit status 0 when there are no errors "
        "(warnings allowed), 1 when there are errors.",
    )
    _add_common(check)
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="text for people (default), json for tools")

    build = commands.add_parser(
        "build", help="build the report site",
        description="Build the report site from mkdocs.yml (the same as `mkdocs build` with "
        "the journal plugin). Entries with errors stop the build with their messages, unless "
        "--lenient is given: then they are listed on a Data problems page and left out of the "
        "figures. Any reference to another website in the output also stops the build.",
    )
    _add_site_options(build)
    build.add_argument("--site-dir", metavar="DIR", type=Path, help="where to write the site (default: site_dir in mkdocs.yml, usually site)")

    serve = commands.add_parser(
        "serve", help="preview the report, rebuilt when an entry changes",
        description="Serve the report on this computer only and rebuild it when an entry or a "
        "template changes. Open the address it prints in your browser; stop with Ctrl+C.",
    )
    _add_site_options(serve)
    serve.add_argument("--address", metavar="HOST:PORT", default="127.0.0.1:8000", help="where to serve (default: 127.0.0.1:8000, this computer only)")
    return parser


def _add_site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-f", "--config-file", metavar="FILE", type=Path, default=Path("mkdocs.yml"), help="the site configuration (default: mkdocs.yml)")
    parser.add_argument("--lenient", action="store_true", help="build even when entries have errors; they are shown on a Data problems page")
    parser.add_argument("--today", metavar="DATE", help=f"treat DATE as today (default: the {TODAY_VARIABLE} environment variable, else the real date)")


def _load_site_config(args: argparse.Namespace, **overrides):
    from mkdocs.config import load_config  # only the site commands need MkDocs

    if not args.config_file.is_file():
        raise ValueError(f"{args.config_file} not found; run this in the folder that holds mkdocs.yml, or pass -f FILE")
    config = load_config(str(args.config_file), **overrides)
    plugin = config.plugins.get("journal")
    if plugin is None:
        raise ValueError(f"{args.config_file} does not enable the journal plugin (add `- journal` under plugins)")
    if args.lenient:
        plugin.config.strict = False
    if args.today:
        resolve_today(args.today)  # a clear message for a bad date
        plugin.config.today = args.today
    return config


@contextlib.contextmanager
def _mkdocs_messages():
    """Show MkDocs' warnings and errors (which carry the journal's messages) on stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    handler.setLevel(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def _command_build(args: argparse.Namespace) -> int:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    overrides = {"strict": True}
    if args.site_dir:
        overrides["site_dir"] = str(args.site_dir.resolve())
    with _mkdocs_messages():
        config = _load_site_config(args, **overrides)
        target = Path(config.site_dir)
        if _is_inside_folder(target, _entries_folder(config)):
            raise ValueError(f"the site folder {target} is inside the entries folder; choose another --site-dir")

        def write(folder: Path) -> None:
            config.site_dir = str(folder)
            build(config)

        try:
            # Built beside the old site and swapped in at the end: an interrupted
            # build leaves the previous report as it was.
            replace_directory(target, write)
        except MkDocsException:
            print("journal build: the report was not built; see the messages above.", file=sys.stderr)
            return 1
    print(f"The report is in {target}; open {target / 'index.html'} in a browser.")
    return 0


def _entries_folder(config) -> Path:
    plugin = config.plugins["journal"].config
    return (Path(config.config_file_path).resolve().parent / plugin.entries).resolve()


def _is_inside_folder(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder)
        return True
    except ValueError:
        return False


def _command_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    _load_site_config(args)  # checks the file and the options before serving
    # serve() reloads mkdocs.yml on every rebuild, so the choices travel as variables
    # that the plugin reads.
    if args.today:
        os.environ[TODAY_VARIABLE] = args.today
    if args.lenient:
        os.environ[LENIENT_VARIABLE] = "1"
    try:
        serve(str(args.config_file), dev_addr=args.address)
    except MkDocsException as error:
        print(f"journal serve: {error}", file=sys.stderr)
        return 1
    return 0


def _command_new(args: argparse.Namespace) -> int:
    today = resolve_today(args.today)
    when: dt.date | dt.datetime = today
    if args.date:
        try:
            when = parse_session_date(args.date)
        except Exception:
            print(f"journal new: --date {args.date!r} is not a date; write 2026-04-02 or '2026-04-02 18:30'", file=sys.stderr)
            return 2
    path = create_entry(args.entries, when)
    print(path)
    return 0


def _command_check(args: argparse.Namespace) -> int:
    journal = load_journal(args.entries, resolve_today(args.today))
    if args.format == "json":
        payload = {
            "entries": journal.files_read,
            "valid_entries": len(journal.entries),
            "errors": [p.to_json() for p in journal.errors],
            "warnings": [p.to_json() for p in journal.warnings],
            "summary": journal.summary(),
        }
        print(json.dumps(payload, indent=2))
    else:
        for problem in journal.problems:
            print(problem)
        print(journal.summary())
    return 1 if journal.errors else 0


COMMANDS = {"new": _command_new, "check": _command_check, "build": _command_build, "serve": _command_serve}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return COMMANDS[args.command](args)
    except ValueError as error:  # bad option values, said plainly
        print(f"journal {args.command}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and cut short: not a failure
        sys.stderr.close()
        return 0
    except Exception as error:  # the last resort: one line, never a wall of traceback
        if args.debug:
            traceback.print_exc()
        else:
            print(
                f"journal {args.command}: unexpected failure ({type(error).__name__}: {error}). "
                "Nothing was changed. Run again with --debug for details, and please report it.",
                file=sys.stderr,
            )
        return 3


if __name__ == "__main__":
    sys.exit(main())
