"""Prescribers as the person means them.

A person writes one prescriber in several ways over months ("Dr. Amara Osei (Lakeside
Psychiatry)", "dr amara osei", "Amara Osei, MD"). Names are compared after leaving out
case, punctuation and titles (`name_key`); the `providers` setting maps other spellings
to one prescriber (`Prescribers`), so old entries need no edit; and spellings that are
probably one prescriber but are not joined yet are found for `journal check`
(`likely_same`). Pure Python: no files, no pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# Titles and degrees that say nothing about who the prescriber is.
TITLES = frozenset({
    "dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "mx", "md", "do", "mbbs", "mbchb", "phd", "psyd",
    "np", "pa", "pac", "aprn", "arnp", "pmhnp", "pmhnpbc", "fnp", "fnpbc", "crnp", "dnp", "rn", "msn", "lcsw",
})
# Letters joined to their neighbours when left out ("M.D." is "md", "A." is "a").
_JOINED = re.compile(r"[.'’\-‐]")
_SEPARATORS = re.compile(r"[^\w]+|_")
_BRACKETS = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
# Edit distance is only worth computing for names of a person's typing length.
_LONGEST_COMPARED = 80


def _tokens(text: str) -> list[str]:
    words = _SEPARATORS.split(_JOINED.sub("", text.casefold()))
    return [w for w in words if w and w not in TITLES]


def name_key(name: str) -> str:
    """The name without case, punctuation and titles: 'Dr. Amara Osei, MD' -> 'amara osei'.
    A name made only of a title ('Dr.') keeps its letters, so it is never empty."""
    words = _tokens(name)
    return " ".join(words) if words else " ".join(name.split()).casefold()


def name_parts(name: str) -> tuple[list[str], list[str]]:
    """The words of a name outside brackets (the person) and inside them (the clinic)."""
    inside = [word for match in _BRACKETS.finditer(name) for part in match.groups() if part for word in _tokens(part)]
    return _tokens(_BRACKETS.sub(" ", name)), inside


# --------------------------------------------------------------------------- the setting


def settings_problems(value: object) -> list[str]:
    """What is wrong with a `providers` setting, in plain words; [] when it is right."""
    example = '{"Dr. Amara Osei": ["Dr. A. Osei", "Lakeside Psychiatry"]}'
    if isinstance(value, tuple):  # already read (see `read_setting`)
        return []
    if not isinstance(value, Mapping):
        return [f"providers must map each prescriber's name to the other ways it is written, like {example} (got {value!r})"]
    found = []
    owner: dict[str, str] = {}
    for name, spellings in value.items():
        if not isinstance(name, str) or not name.strip():
            found.append(f"providers: each prescriber's name must be text (got {name!r})")
            continue
        listed = [spellings] if isinstance(spellings, str) else spellings
        if not isinstance(listed, list) or not all(isinstance(s, str) and s.strip() for s in listed):
            found.append(
                f"providers: {name!r} must have a list of the other ways it is written, like {example} (got {spellings!r})"
            )
            continue
        for spelling in [name, *listed]:
            key = name_key(spelling)
            if owner.setdefault(key, name) != name:
                found.append(
                    f"providers: {spelling!r} is listed under both {owner[key]!r} and {name!r}; "
                    "a spelling can belong to one prescriber only"
                )
    return found


def read_setting(value: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The setting as (name, (spellings...)) pairs, which can be hashed and compared."""
    if isinstance(value, tuple):
        return value
    assert isinstance(value, Mapping)
    return tuple(
        (name.strip(), tuple(s.strip() for s in ([spellings] if isinstance(spellings, str) else spellings)))
        for name, spellings in value.items()
    )


@dataclass(frozen=True)
class Prescribers:
    """Who each spelling stands for: the name the `providers` setting gives it, else the
    spelling itself. Two spellings are one prescriber when their resolved names have the
    same `name_key`."""

    setting: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def _names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for name, spellings in self.setting:
            for spelling in (name, *spellings):
                names[name_key(spelling)] = name
        return names

    def resolve(self, spelling: str) -> str:
        """The setting's name for a spelling it lists, or for a listed name with a clinic
        added in brackets ('Dr. Amara Osei (Lakeside Psychiatry)' for 'Dr. Amara Osei');
        else the spelling itself."""
        names = self._names()
        found = names.get(name_key(spelling))
        if found is None:
            outside, _ = name_parts(spelling)
            found = names.get(" ".join(outside)) if outside else None
        return found or spelling

    def key(self, spelling: str) -> str:
        return name_key(self.resolve(spelling))

    def configured(self, spelling: str) -> bool:
        """Whether the setting names this spelling (as a prescriber or another spelling)."""
        return name_key(spelling) in self._names()


def display_names(spellings: Iterable[str], prescribers: Prescribers) -> dict[str, str]:
    """Each spelling -> the one name shown for its prescriber: the setting's name, else the
    spelling a reader would pick (`_shown_first`) among those written for that prescriber
    (`spellings` in the order of the sessions, one per session)."""
    written: dict[str, dict[str, int]] = {}  # key -> resolved spelling -> sessions, in the order first written
    resolved_of: dict[str, str] = {}
    for spelling in spellings:
        resolved = resolved_of.setdefault(spelling, prescribers.resolve(spelling))
        counts = written.setdefault(name_key(resolved), {})
        counts[resolved] = counts.get(resolved, 0) + 1
    shown = {key: _shown_first(counts) for key, counts in written.items()}
    return {spelling: shown[name_key(resolved)] for spelling, resolved in resolved_of.items()}


def _shown_first(counts: Mapping[str, int]) -> str:
    """The spelling shown for one prescriber: one written with its capitals ('Dr. Anna
    Smith', not 'dr anna smith' or 'DR ANNA SMITH') before one that is not, then the one
    written in more sessions, then the one written first. A clinician reads the name on a
    summary; a quick lower-case entry on a phone should not be what they see."""
    order = {spelling: position for position, spelling in enumerate(counts)}

    def rank(spelling: str) -> tuple[bool, int, int]:
        cased = not spelling.islower() and not spelling.isupper()
        return (not cased, -counts[spelling], order[spelling])

    return min(counts, key=rank)


# --------------------------------------------------------------------------- likely the same


def likely_same(a: str, b: str) -> str | None:
    """Why two names (not the same after `name_key`) are probably one prescriber, or None:
    one name inside the other ('Dr. A. Osei' in 'Dr. Amara Osei (Lakeside Psychiatry)',
    initials counting for a first name), the same clinic (a name in brackets that is the
    other's name or its bracket), or a typing slip of a letter or two."""
    (a_name, a_clinic), (b_name, b_clinic) = name_parts(a), name_parts(b)
    a_all, b_all = a_name + a_clinic, b_name + b_clinic
    if not a_all or not b_all:
        return None
    # a name in brackets that is the other's name, or its name in brackets too
    for own, clinic, other in ((a, a_clinic, (b_name, b_clinic)), (b, b_clinic, (a_name, a_clinic))):
        if clinic and clinic in other:
            return f"the same clinic, {_shown_words(own, clinic)}"
    if _inside(a_name or a_all, b_all) or _inside(b_name or b_all, a_all):
        return "one name is inside the other"
    x, y = " ".join(a_all), " ".join(b_all)
    if min(len(x), len(y)) >= 6 and max(len(x), len(y)) <= _LONGEST_COMPARED and abs(len(x) - len(y)) <= 2:
        # 'Clinic A' and 'Clinic B' differ by one letter, but it is a whole word: two clinics
        if len(a_all) == len(b_all) and any(len(p) <= 2 and len(q) <= 2 and p != q for p, q in zip(a_all, b_all)):
            return None
        distance = _edit_distance(x, y)
        if distance <= 2:
            return f"the names differ by {distance} {'letter' if distance == 1 else 'letters'}"
    return None


def _inside(words: Sequence[str], other: Sequence[str]) -> bool:
    """Every word of `words`, in order, is a word of `other` or the initial of one, and at
    least one whole word of two letters or more matches (a surname, not only initials)."""
    if not words or len(words) > len(other):
        return False
    position, whole = 0, False
    for word in words:
        while position < len(other) and not (
            other[position] == word or (len(word) == 1 and other[position].startswith(word))
        ):
            position += 1
        if position == len(other):
            return False
        whole = whole or (len(word) >= 2 and other[position] == word)
        position += 1
    return whole


def _shown_words(name: str, words: Sequence[str]) -> str:
    """The clinic as the person wrote it, found again in their own spelling."""
    for match in _BRACKETS.finditer(name):
        part = next(p for p in match.groups() if p is not None)
        if _tokens(part) == list(words):
            return part.strip()
    outside = _BRACKETS.sub(" ", name)
    return " ".join(outside.split()) if _tokens(outside) == list(words) else " ".join(words)


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
