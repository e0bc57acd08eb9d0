"""Reading one entry file: bytes -> plain Python values, each with its place in the file.

PyYAML is used only to build the node tree (safe loading; libyaml's C parser
when present). Values are then taken from the nodes here, so that:
- every value keeps its line and column for messages;
- duplicate keys are reported instead of silently keeping the last one;
- anchors and aliases cannot expand without bound (alias bombs);
- tags other than plain YAML values are refused, never constructed;
- free-text fields keep the characters typed ("no" stays "no").
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml
from yaml.constructor import SafeConstructor

from .entries import TEXT_FIELDS, TEXT_LIST_FIELDS
from .problems import Problem, Severity

MAX_FILE_BYTES = 1024 * 1024
MAX_VALUES = 2_000  # values that aliases (*) repeat: an entry needs none, and they must not multiply
MAX_DEPTH = 20

if TYPE_CHECKING:
    # mypy cannot take a class found by getattr as a base; libyaml's loader is the safe one
    # with a C parser (the same constructor and resolver), so it is checked as that.
    _Loader = yaml.SafeLoader
else:
    _Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_safe_resolve: Callable[[yaml.SafeLoader, type, Any, tuple[bool, bool]], str] = _Loader.resolve
_plain_tags: dict[str, str] = {}  # the tag of a short plain value, by its text


class _Composer(_Loader):
    """The safe loader, remembering the tag of short plain values: entries repeat the same
    few ("5", "sublingual", "[]"), and working out each one's tag again from YAML's
    patterns is a good part of the time spent composing a file. Measured, with the two
    resolver methods below (benchmarks/RESULTS.md, "Speed tricks"): 13-17 ms of CPU in
    loading 1,000 entries (0.12 s), 0.05-0.25 s in `journal check` of 10,000 entries."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0] and len(value) <= 32:
            tag = _plain_tags.get(value)
            if tag is None:
                tag = _safe_resolve(self, kind, value, implicit)
                if len(_plain_tags) < 10_000:
                    _plain_tags[value] = tag
            return tag
        return _safe_resolve(self, kind, value, implicit)

    # Called for every node; the safe loader has no path resolvers, so they have nothing to do.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_PLAIN_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

_ROOT_TAGS = _PLAIN_SCALAR_TAGS | {_SEQ, _MAP, "!"}
_ScalarNode = yaml.ScalarNode

Path_ = tuple[str | int, ...]

_NOT_A_FIELD = "this line is not `field: value`; each line needs a field name, a colon and a space, then the value"
_TAB_MESSAGE = "a tab character is used here; YAML indentation must use spaces, not tabs"
# YAML 1.1 reads 0150 as octal (104) and 1:30 as base 60 (90); a person means 150 and
# a minute and a half. Whole numbers are read in base 10; clock-like values stay text.
_WHOLE_NUMBER = re.compile(r"[-+]?[0-9]+")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # as YAML counts lines
_CLOCK_LIKE = re.compile(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# YAML 1.1 reads 0x10 as 16, 0b101 as 5 and 1_000 as 1000 (and YAML 1.2 0o17 as 15): in a
# medical record a number read otherwise than it looks is an error, never a quiet guess.
_NOT_PLAIN_DIGITS = re.compile(
    r"(?P<sign>[-+]?)(?:0x(?P<hex>[0-9a-fA-F_]+)|0b(?P<binary>[01_]+)|0o(?P<octal>[0-7_]+)"
    r"|(?P<decimal>[0-9][0-9_]*_[0-9_]*(?:\.[0-9_]*)?|[0-9][0-9_]*\.[0-9_]*_[0-9_]*))"
)
_NUMBER_KINDS = {"hex": ("a hexadecimal", 16), "binary": ("a binary", 2), "octal": ("an octal", 8)}


@dataclass
class ReadEntry:
    """What one file holds, before it is checked against the entry model."""

    source: str
    data: dict[str, Any] | None = None
    value_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    raw_text: dict[Path_, str] = field(default_factory=dict)
    refused: set[Path_] = field(default_factory=set)  # values already reported while reading
    quoted: set[Path_] = field(default_factory=set)  # values written in quotes ('150' or "150")
    folded: set[Path_] = field(default_factory=set)  # list items over several lines, which YAML joins into one
    start: tuple[int, int] = (1, 1)
    problems: list[Problem] = field(default_factory=list)

    def position(self, path: Path_) -> tuple[int, int]:
        """The place of a value, else of its key, else of the nearest enclosing value."""
        while path:
            if path in self.value_positions:
                return self.value_positions[path]
            if path in self.key_positions:
                return self.key_positions[path]
            path = path[:-1]
        return self.start

    def problem(self, path: Path_, field_name: str | None, message: str, severity: Severity = "error") -> Problem:
        line, column = self.position(path)
        return Problem(self.source, line, column, field_name, message, severity)


class _TooLarge(Exception):
    def __init__(self, node: yaml.Node, message: str, field_path: Path_ = ()):
        self.node = node
        self.message = message
        self.field_path = field_path  # the top-level field whose value expands, if known


def _place(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _yaml_error_message(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None) or ""
    if "\\t" in problem or "\t" in problem or "tab" in problem.lower():
        return _TAB_MESSAGE
    if "mapping values are not allowed" in problem:
        return (
            "there is a ':' where YAML does not expect one; if this is text, put it in "
            'quotes ("...") or write it on the next lines after `notes: |`, indented'
        )
    if "could not find expected ':'" in problem or "simple key" in context:
        return _NOT_A_FIELD
    if "<document start>" in problem:  # content after a `...` line, which ends the document
        return (
            "there is more after the end of the entry (a line `...` ends it); remove that line, "
            "or write the next session in a file of its own"
        )
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        closing = "]" if "']'" in problem else "}"
        example = "[nausea, headache]" if closing == "]" else "{phq9: 12, gad7: 8}"
        return (
            f"a comma or the closing {closing} is expected here; values in brackets are separated by "
            f"commas, e.g. {example}, and a value with quotes or commas inside goes in quotes as a whole"
        )
    if "expected node content" in problem and "flow" in context:
        return "a [ or { is not closed; values in brackets go on one line, e.g. [nausea, headache]"
    if "did not find expected key" in problem or "did not find expected" in problem:
        return f"the indentation does not line up ({problem}); fields start at the left edge, list items under their field"
    if "undefined alias" in problem or "found undefined" in problem:
        return "a '*' refers to an anchor that is not defined; write the value out instead"
    if "duplicate anchor" in problem or "second occurrence" in problem:
        return "the same '&' anchor is defined twice; write the values out instead"
    if "unacceptable character" in problem or "control characters" in problem:
        return "the file contains a control character that text files should not hold; retype this line"
    if "maximum nesting depth" in problem:  # libyaml's own bound on [ and { nesting
        return f"the values are nested more than {MAX_DEPTH} levels deep; an entry is flat"
    if "found unexpected end of stream" in problem:
        return f"the file ends in the middle of a value ({context or problem}); close the quote or bracket"
    if "unknown escape" in problem or "escape" in problem:
        return f'a backslash (\\) starts an unknown escape inside double quotes; use single quotes or write \\\\ ({problem})'
    text = f"{context}: {problem}" if context else problem
    return f"this is not valid YAML: {text}"


def _syntax_problem(error: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """The place and message for a YAML syntax error. libyaml's messages do not name the
    character they stopped at, so look at the line: a tab in its indentation is the
    usual cause."""
    mark = error.problem_mark or error.context_mark
    if error.context == "while scanning a simple key" and error.context_mark is not None:
        mark = error.context_mark  # the line without its ': ' (libyaml stops on the line after it)
    if not mark:
        return 1, 1, _yaml_error_message(error)
    line, column = _place(mark)
    lines = text.splitlines()
    if mark.line < len(lines):
        content = lines[mark.line]
        indent = content[: len(content) - len(content.lstrip(" \t"))]
        if "\t" in indent and mark.column <= len(indent):
            return line, indent.index("\t") + 1, _TAB_MESSAGE
        if content[mark.column : mark.column + 1] == "\t":  # e.g. "-<tab>nausea"
            return line, column, _TAB_MESSAGE
        if mark.column < len(content) and content[mark.column] in "@`":
            return line, column, (
                f"a value cannot start with {content[mark.column]}; put the value in quotes "
                f'("{clip(content[mark.column:].strip())}")'
            )
    opened = _unclosed(error, lines)
    if opened:
        return opened
    problem = getattr(error, "problem", None) or ""
    if mark.line < len(lines) and any(p in problem for p in _MISALIGNED_PROBLEMS):
        misaligned = _misaligned_fields(lines, mark.line)
        if misaligned:
            return line, misaligned[0], misaligned[1]
    if mark.line < len(lines) and any(p in problem for p in _STRAY_PROBLEMS):
        # `date 2026-04-02`, or a line of text before the fields: libyaml stops on the field after
        stray = _stray_line_before(lines, mark.line) if "mapping values" in problem else None
        if stray is None:
            stray = _text_before_first_field(lines, mark.line)
        if stray is not None:
            return stray + 1, len(lines[stray]) - len(lines[stray].lstrip()) + 1, _NOT_A_FIELD
    editor_lines = _LINE_BREAK.split(text)
    if line > len(editor_lines):  # the end of a file without a last line break: its last character
        line, column = len(editor_lines), len(editor_lines[-1]) + 1
    return line, column, _yaml_error_message(error)


_QUOTE_OPENS = "while scanning a quoted scalar"
_BRACKETS = {  # what opens, what closes and an example, by libyaml's context
    "while parsing a flow sequence": ("[", "]", "[nausea, headache]"),
    "while parsing a flow mapping": ("{", "}", "{phq9: 12, gad7: 8}"),
}


def _unclosed(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, int, str] | None:
    """A quote or bracket that is never closed: libyaml stops at the end of the file (or
    lines later), but the place to fix is where the quote or bracket opens."""
    start, problem, context = error.context_mark, error.problem or "", error.context or ""
    if start is None or (context != _QUOTE_OPENS and context not in _BRACKETS) or start.line >= len(lines):
        return None
    at = (start.line + 1, start.column + 1)
    if context == _QUOTE_OPENS:
        if "end of stream" not in problem:
            return None
        quote = lines[start.line][start.column : start.column + 1] or '"'
        return (*at, f"this {quote} opens a quoted value that is never closed, so the rest of the file "
                     f"is read into it; add the closing {quote} where the value ends")
    opening, closing, example = _BRACKETS[context]
    if error.problem_mark is None or error.problem_mark.line == start.line:
        return None  # something wrong inside brackets closed on their line: the usual message
    return (*at, f"this {opening} is never closed with {closing}; values in brackets go on one line "
                 f"and end with {closing}, e.g. {example}")


def _stray_line_before(lines: list[str], index: int) -> int | None:
    """The line before `index` when it is text without `name: ` in the same column as the
    field on line `index`, which YAML then reads as the start of that field's name."""
    before = next((i for i in range(index - 1, -1, -1) if lines[i].strip() and not lines[i].lstrip().startswith("#")), None)
    if before is None:
        return None
    above, here = lines[before], lines[index]
    same_column = len(above) - len(above.lstrip()) == len(here) - len(here.lstrip())
    if same_column and not above.lstrip().startswith("-") and not re.search(r":(?:[ \t]|$)", above):
        return before
    return None


def _text_before_first_field(lines: list[str], index: int) -> int | None:
    """When line `index` holds the first field at the left edge and something other than
    comments comes before it: the first such line."""
    if not _TOP_FIELD.match(lines[index]) or any(_TOP_FIELD.match(line) for line in lines[:index]):
        return None
    return next((i for i, line in enumerate(lines[:index])
                 if line.strip() and not line.lstrip().startswith(("#", "---", "%"))), None)


_STRAY_PROBLEMS = ("mapping values are not allowed", "did not find expected", "<document start>")
_MISALIGNED_PROBLEMS = ("mapping values are not allowed", "did not find expected key", "<document start>")
_FIELD_LINE = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_-]*) *:(?: |$)")


def _misaligned_fields(lines: list[str], index: int) -> tuple[int, str] | None:
    """Two neighbouring `field: value` lines that start in different columns (one space too
    many or too few), which YAML reports in words that do not say so. The column of the
    line, and the message; None when the lines are not two such fields."""
    here = _FIELD_LINE.match(lines[index])
    if not here:
        return None
    for before in reversed(lines[:index]):
        if not before.strip() or before.lstrip().startswith("#"):
            continue
        above = _FIELD_LINE.match(before)
        if not above or before.rstrip().endswith(":"):
            return None  # under a heading such as `scores:`, or after text or a list item
        column, column_above = len(here.group(1)) + 1, len(above.group(1)) + 1
        if column == column_above:
            return None
        return column, (
            f"`{here.group(2)}:` starts in column {column} but `{above.group(2)}:` on the line above in "
            f"column {column_above}; fields that belong together must line up: the entry's fields at "
            "the left edge, and those under a field such as `scores:` indented by the same spaces"
        )
    return None


# A byte order mark says how the file is encoded (YAML 1.2 requires reading each of these;
# Windows Notepad's "Unicode" is UTF-16 LE). UTF-32 LE's mark begins like UTF-16 LE's.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def text_encoding(raw: bytes) -> tuple[bytes, str]:
    """The byte order mark the file starts with (b"" for none) and the codec of the rest."""
    if raw[:1] in (b"\xef", b"\xff", b"\xfe", b"\x00"):  # the first byte of a mark: most files have none
        for mark, codec in _BYTE_ORDER_MARKS:
            if raw.startswith(mark):
                return mark, codec
    return b"", "utf-8"


def _decode(raw: bytes, entry: ReadEntry) -> str | None:
    mark, codec = text_encoding(raw)
    raw = raw[len(mark):]
    if codec != "utf-8":
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as error:
            before = raw[: error.start - error.start % (2 if "16" in codec else 4)].decode(codec)
            name = codec[:6].upper()
            what = "breaks off in the middle of a character" if error.end >= len(raw) else "has a damaged character"
            entry.problems.append(
                Problem(
                    entry.source, before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1, None,
                    f"the file is {name} text (it starts with a byte order mark) but {what} here; "
                    "save it again, as UTF-8 if your editor lets you choose",
                )
            )
            return None
        return _without_nul(text, entry)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        head = raw[: error.start]
        line = head.count(b"\n") + 1
        # the column in characters, as an editor shows it (the bytes before are valid UTF-8)
        column = len(head[head.rfind(b"\n") + 1 :].decode("utf-8")) + 1
        entry.problems.append(
            Problem(
                entry.source,
                line,
                column,
                None,
                f"the file is not UTF-8 text (byte 0x{raw[error.start]:02X} here); "
                "save it as UTF-8 in your editor",
            )
        )
        return None
    return _without_nul(text, entry)


def _without_nul(text: str, entry: ReadEntry) -> str | None:
    if "\x00" in text:
        before = text[: text.index("\x00")]
        entry.problems.append(
            Problem(
                entry.source,
                before.count("\n") + 1,
                len(before) - (before.rfind("\n") + 1) + 1,
                None,
                "the file contains a NUL byte, so it is not a text file; an entry is plain text",
            )
        )
        return None
    return text


def clip(text: str, size: int = 60) -> str:
    """A value as shown in a message: long ones cut short, so a message stays one readable line."""
    return text if len(text) <= size else text[:size] + "…"


def too_large(source: str, size: int) -> ReadEntry:
    """The answer for a file over MAX_FILE_BYTES, given its size in bytes (never read)."""
    entry = ReadEntry(source)
    entry.problems.append(
        Problem(
            source, 1, 1, None,
            f"the file is {size / 1024 / 1024:.1f} MiB; an entry is a few lines, so files "
            "over 1 MiB are not read (is this the right file?)",
        )
    )
    return entry


def read_entry(raw: bytes, source: str) -> ReadEntry:
    """Read the bytes of one entry file. Never raises for bad input: problems are collected."""
    if len(raw) > MAX_FILE_BYTES:
        return too_large(source, len(raw))
    entry = ReadEntry(source)
    text = _decode(raw, entry)
    if text is None:
        return entry
    try:
        documents = list(yaml.compose_all(text, Loader=_Composer))
    except yaml.MarkedYAMLError as error:
        line, column, message = _syntax_problem(error, text)
        entry.problems.append(Problem(source, line, column, None, message))
        _read_around(entry, text, line)
        return entry
    except yaml.YAMLError as error:
        entry.problems.append(Problem(source, 1, 1, None, _yaml_error_message(error)))
        return entry
    except RecursionError:
        entry.problems.append(
            Problem(source, 1, 1, None, f"the values are nested too deeply (more than {MAX_DEPTH} levels); an entry is flat")
        )
        return entry

    documents = [d for d in documents if not _is_empty(d)]
    if not documents:
        entry.problems.append(
            Problem(
                source, 1, 1, None,
                "the file is empty; an entry needs at least `date:` and `dose_mg:` "
                "(`journal new` writes a filled-in template)",
            )
        )
        return entry
    if len(documents) > 1:
        line, column = _place(documents[1].start_mark)
        entry.problems.append(
            Problem(
                source, line, column, None,
                f"this file holds {len(documents)} YAML documents (separated by ---); "
                "write one session per file so none is lost",
            )
        )
        return entry

    root = documents[0]
    entry.start = _place(root.start_mark)
    if root.tag not in _ROOT_TAGS:
        _Builder(entry)._refuse_tag(root, ())  # e.g. !!python/object/apply at the top
        return entry
    if not isinstance(root, yaml.MappingNode):
        shown = root.value if isinstance(root, yaml.ScalarNode) else None
        what = "a list (lines starting with '-')" if isinstance(root, yaml.SequenceNode) else (
            f"a single value ({shown[:40]!r})" if shown is not None else "something else"
        )
        entry.problems.append(
            Problem(
                source, *entry.start, None,
                f"the file holds {what}; an entry is a set of `field: value` lines, "
                "such as `date: 2026-04-02` and `dose_mg: 150`",
            )
        )
        return entry

    builder = _Builder(entry)
    try:
        data = builder.build(root, ())
    except _TooLarge as error:
        # Aliases share their anchor's nodes, so the node is often far from the cause:
        # point at the field whose value expands instead, when there is one.
        where = entry.key_positions.get(error.field_path) or _place(error.node.start_mark)
        entry.problems.append(Problem(source, *where, None, error.message))
        return entry
    entry.data = data
    return entry


MAX_SYNTAX_ERRORS = 10  # per file; a file with more is not an entry gone slightly wrong
_TOP_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_ -]*:(?=[ \t\r\n]|$)")  # `name:` at the left edge (`pre mood:` too)
_FIRST_WORD = re.compile(r"[ \t]*(?:-[ \t]+)?[\"']?([A-Za-z_][A-Za-z0-9_-]*)")  # what a line names, colon or not


def _read_around(entry: ReadEntry, text: str, line: int) -> None:
    """After a syntax error, read the rest of the file, so that one mistake does not hide the
    others: the field where the error is (its lines up to the next field at the left edge)
    is blanked, keeping every other line where it is, and the file read again; further
    syntax errors are reported the same way. The values read so are checked and their
    problems reported, but the file stays out of the figures: it has an error. The fields
    blanked are `refused`, so they are not also called missing."""
    lines = text.splitlines(keepends=True)
    for _ in range(MAX_SYNTAX_ERRORS - 1):
        block = _field_block(lines, line - 1)
        if block is None:
            return
        start, end = block
        for i in range(start, end):
            named = _FIRST_WORD.match(lines[i])
            if named:
                entry.refused.add((named.group(1),))
            lines[i] = lines[i][len(lines[i].rstrip("\r\n")):]  # only the line break stays
        remaining = "".join(lines)
        try:
            documents = [d for d in yaml.compose_all(remaining, Loader=_Composer) if not _is_empty(d)]
        except yaml.MarkedYAMLError as error:
            line, column, message = _syntax_problem(error, remaining)
            if _same_cause(message, entry.problems[-1].message):
                return  # the line at fault was not in the field blanked: reading on only repeats it
            entry.problems.append(Problem(entry.source, line, column, None, message))
            continue
        except (yaml.YAMLError, RecursionError):
            return
        if len(documents) != 1 or not isinstance(documents[0], yaml.MappingNode) or documents[0].tag != _MAP:
            return
        try:
            entry.data = _Builder(entry).build(documents[0], ())
        except _TooLarge:
            entry.data = None
        return


def _same_cause(message: str, before: str) -> bool:
    """Two fields out of line with the same line above them: that line is the one at fault."""
    above = " but `"
    return above in message and above in before and message.split(above, 1)[1] == before.split(above, 1)[1]


def _field_block(lines: list[str], index: int) -> tuple[int, int] | None:
    """The lines of the field at the left edge that holds line `index`: from its `name:` line
    to the next one. None when there is none, or it is blank already."""
    index = min(index, len(lines) - 1)
    here = lines[index]
    if here.strip() and not here[0].isspace() and not here.startswith(("#", "-")) and not _TOP_FIELD.match(here):
        return (index, index + 1) if not here.startswith(("---", "...")) else None  # a stray line of its own
    start = next((i for i in range(index, -1, -1) if _TOP_FIELD.match(lines[i])), None)
    if start is None:  # a line before the first field: that line alone
        return (index, index + 1) if here.strip() and not here.lstrip().startswith("#") else None
    if not any(line.strip() for line in lines[start:index + 1]):
        return None
    end = next((i for i in range(start + 1, len(lines)) if _TOP_FIELD.match(lines[i]) or lines[i].startswith(("---", "..."))), len(lines))
    return start, end


def _is_empty(node: yaml.Node) -> bool:
    return (
        isinstance(node, yaml.ScalarNode)
        and node.tag == "tag:yaml.org,2002:null"
        and node.value in ("", "~", "null", "Null", "NULL")
    )


class _Builder:
    """Values from the node tree, with their places, raw text and tag checks."""

    def __init__(self, entry: ReadEntry):
        self.entry = entry
        self.values_seen = 0
        # Values are counted as they are taken, and only when there are many is it worked out
        # how many the file holds without aliases: only those aliases repeat count towards
        # MAX_VALUES, so a long plain list is not taken for an alias bomb.
        self.limit = MAX_VALUES
        self.distinct: int | None = None
        self.root: yaml.Node | None = None
        self._constructor: SafeConstructor | None = None

    @property
    def constructor(self) -> SafeConstructor:
        if self._constructor is None:
            self._constructor = SafeConstructor()
        return self._constructor

    def _count(self, node: yaml.Node, depth: int, path: Path_ = ()) -> None:
        """Called when `values_seen` reaches `limit` or `depth` is over MAX_DEPTH: raises,
        saying which limit, unless the values so far are the file's own, not repeats."""
        if self.values_seen >= self.limit and self.distinct is None and self.root is not None:
            self.distinct = _distinct_nodes(self.root)
            self.limit = self.distinct + MAX_VALUES
        if self.values_seen >= self.limit:
            raise _TooLarge(
                node,
                f"the file expands to more than {MAX_VALUES} values (YAML anchors '&' and "
                "aliases '*' repeat values); an entry needs a few dozen, so write them out",
                path[:1],
            )
        if depth > MAX_DEPTH:
            raise _TooLarge(
                node, f"the values are nested more than {MAX_DEPTH} levels deep; an entry is flat"
            )

    def _refuse_tag(self, node: yaml.Node, path: Path_) -> None:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        self.entry.refused.add(path)
        self.entry.problems.append(
            self.entry.problem(
                path, _label(path) or None,
                f"the tag {tag} is not allowed; an entry holds plain values "
                "(numbers, words, dates, lists), and tags are never run",
            )
        )

    def build(self, node: yaml.Node, path: Path_, depth: int = 0) -> Any:
        if depth == 0:
            self.root = node
        if self.values_seen >= self.limit or depth > MAX_DEPTH:
            self._count(node, depth, path)  # raises, saying which limit, unless these are no repeats
        self.values_seen += 1
        entry = self.entry
        mark = node.start_mark
        entry.value_positions[path] = (mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path, _is_text_path(path))
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self._refuse_tag(node, path)
                return None
            items = [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
            if len(path) == 1 and path[0] in TEXT_LIST_FIELDS:
                # "- nausea" with "  - headache" indented under it is one item, "nausea - headache"
                for i, item in enumerate(node.value):
                    if isinstance(item, _ScalarNode) and not item.style and item.end_mark.line > item.start_mark.line:
                        entry.folded.add(path + (i,))
            return items
        if node.tag != _MAP:
            self._refuse_tag(node, path)
            return None
        result: dict[str, Any] = {}
        key_positions = entry.key_positions
        for key_node, value_node in node.value:
            if self.values_seen >= self.limit or depth + 1 > MAX_DEPTH:
                self._count(key_node, depth + 1, path)  # raises, saying which limit, unless no repeats
            self.values_seen += 1
            if not isinstance(key_node, _ScalarNode):
                entry.problems.append(
                    Problem(
                        entry.source, *_place(key_node.start_mark), _label(path) or None,
                        "a field name must be a plain word, not a list or a mapping",
                    )
                )
                continue
            key = key_node.value
            key_path = path + (key,)
            if key in result:
                first_line = key_positions[key_path][0]
                entry.problems.append(
                    Problem(
                        entry.source, *_place(key_node.start_mark), _label(key_path),
                        f"appears twice (first on line {first_line}); YAML would keep only this "
                        "last value and lose the other, so keep one of them",
                    )
                )
            mark = key_node.start_mark
            key_positions[key_path] = (mark.line + 1, mark.column + 1)
            result[key] = self.build(value_node, key_path, depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode, path: Path_, text: bool) -> Any:
        """The value of a scalar at `path` (`text` is _is_text_path(path)), noting what was typed."""
        value, tag, style = node.value, node.tag, node.style
        self.entry.raw_text[path] = value
        if style == "'" or style == '"':
            self.entry.quoted.add(path)
        if not style and not text and ("_" in value or "0" in value[:2]) and path != ("date",):
            form = _NOT_PLAIN_DIGITS.fullmatch(value)
            if form and tag in (_INT, _FLOAT, _STR):
                self.entry.refused.add(path)
                self.entry.problems.append(self.entry.problem(path, _label(path), _not_plain_digits(form)))
                return None
        if tag == _STR:  # text, or a whole number that YAML 1.1 takes for text (08, 09)
            if style or text or len(value) >= 100 or not _WHOLE_NUMBER.fullmatch(value):
                return value
            return int(value, 10)
        if tag == _NULL:
            if value not in ("", "~", "null", "Null", "NULL"):
                self._refuse_tag(node, path)  # `!!null 3` would silently drop the 3
            return None
        if text and (tag in _PLAIN_SCALAR_TAGS or tag == "!"):
            return value  # free text keeps what was typed
        if tag == "!":
            return value
        if tag not in _PLAIN_SCALAR_TAGS:
            self._refuse_tag(node, path)
            return None
        if not style and tag == _INT and _WHOLE_NUMBER.fullmatch(value) and len(value) < 100:
            return int(value, 10)  # 0150 is 150 (YAML 1.1 would read octal 104); 08 a number
        if not style and _CLOCK_LIKE.fullmatch(value):
            return value  # 1:30 is not 90 (YAML 1.1 base 60): let validation say so
        if tag == _TIMESTAMP and _DAY.fullmatch(value):  # a day, as PyYAML would construct it
            try:
                return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
            except ValueError:
                return value  # e.g. 2026-02-30 looks like a date but is not one: let validation say so
        try:
            return self.constructor.construct_object(node, deep=True)
        except Exception:  # noqa: BLE001 - PyYAML raises many kinds here (`!!timestamp abc`)
            # e.g. 2026-02-30 looks like a date but is not one: let validation say so
            return value


_FLOAT = "tag:yaml.org,2002:float"


def _distinct_nodes(root: yaml.Node) -> int:
    """How many values the node tree holds, each counted once however often aliases repeat it."""
    seen: set[int] = set()
    waiting = [root]
    while waiting:  # a stack, not recursion
        node = waiting.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            waiting.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                waiting += (key, value)
    return len(seen)


def _not_plain_digits(form: re.Match) -> str:
    """The message for a number written otherwise than in plain digits (0x10, 1_000)."""
    typed, sign = form.group(0), form.group("sign").replace("+", "")
    digits = next(form.group(k) for k in ("hex", "binary", "octal", "decimal") if form.group(k) is not None)
    digits = digits.replace("_", "")
    if form.group("decimal") is not None:
        whole, dot, fraction = digits.partition(".")
        plain = f"{sign}{whole.lstrip('0') or '0'}{dot if fraction else ''}{fraction}"  # no int(): any length
        return f"{clip(typed)} has an underscore in it; write the number in plain digits, like {clip(plain)}"
    kind, base = next(_NUMBER_KINDS[k] for k in _NUMBER_KINDS if form.group(k) is not None)
    if not digits or len(digits) > 64:  # 0x_ alone, or too long to be any value an entry holds
        return f"{clip(typed)} is {kind} number, not plain digits; write the number in plain digits"
    plain = f"{sign}{int(digits, base)}"
    read = f"which YAML reads as {plain}" if kind != "an octal" else f"{plain} in plain digits"
    return f"{typed} is {kind} number, {read}; write the number in plain digits, like {plain}"


_TEXT_PATH_FIELDS = TEXT_FIELDS | TEXT_LIST_FIELDS


def _is_text_path(path: Path_) -> bool:
    if len(path) == 1 and path[0] in _TEXT_PATH_FIELDS:
        return True
    return len(path) == 2 and path[0] in TEXT_LIST_FIELDS and isinstance(path[1], int)


def _label(path: Path_) -> str:
    """A field path as the person reads it: scores.phq9, side_effects item 2."""
    label = ""
    for part in path:
        if isinstance(part, int):
            label += f" item {part + 1}"
        else:
            label = f"{label}.{part}" if label else str(part)
    return label


field_label = _label
