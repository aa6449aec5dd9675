"""Nothing free crosses: the annual report's written parts are checked against the identities this node holds
before the report is finalised and sent up (DESIGN §6, "Trust in the tree").

A hit is a survivor's or a perpetrator's full name, an address, a phone number or an ID number stored in a
case here (compared folded: no accents, no case, single spaces), or anything shaped like a phone or an ID
number. `spans` gives, per written part, where those words are in the text (so the window highlights exactly
them), `hits` the words as typed; `finalise` stops on any.
"""

from __future__ import annotations

import re

from app.text import fold

_PHONE = re.compile(r"(?<![\d])(?:\+?84|0)(?:[ .\-]?\d){8,10}(?![\d])")
_ID_NUMBER = re.compile(r"(?<![\d])(?:\d{12}|\d{9})(?![\d])")
_MIN_TERM = 5  # folded characters: shorter stored values (a single short word) would flag ordinary text


def _identity_rows(session) -> list[dict]:
    """The identities stored here, in the clear. Through the case service when it offers them (identity fields
    encrypted one by one), else the table."""
    terms = getattr(session.cases, "identity_terms", None)
    if callable(terms):
        return list(terms())
    return session.store.query("SELECT survivor_name, address, phone, id_number, perpetrator_names"
                               " FROM case_identities")


def _terms(session) -> tuple[set[str], set[str]]:
    """(folded phrases, digit strings) to look for."""
    phrases: set[str] = set()
    digits: set[str] = set()
    for row in _identity_rows(session):
        for key in ("survivor_name", "address", "perpetrator_names"):
            for part in re.split(r"[,;\n]", row.get(key) or ""):
                folded = fold(part)
                if len(folded) >= _MIN_TERM and " " in folded:  # a full name or a place, never one common word
                    phrases.add(folded)
        for key in ("phone", "id_number"):
            number = re.sub(r"\D", "", row.get(key) or "")
            if len(number) >= 8:
                digits.add(number)
    return phrases, digits


#: A word as typed: letters and digits with any combining accents (a text typed "tổ hợp", decomposed, stays whole).
_WORD = re.compile(r"[\w\u0300-\u036f]+")


def _phrase_spans(text: str, phrases: set[str]) -> list[tuple[int, int]]:
    """The stretches of `text`, as (start, end), that are one of the folded `phrases` word for word."""
    words = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]
    starting: dict[str, list[int]] = {}
    for i, (_, _, word) in enumerate(words):
        starting.setdefault(word, []).append(i)
    found = []
    for phrase in phrases:
        want = _WORD.findall(phrase)
        if not want:
            continue
        for i in starting.get(want[0], ()):
            stretch = words[i:i + len(want)]
            if [w for _, _, w in stretch] == want:
                found.append((stretch[0][0], stretch[-1][1]))
    return found


def _digit_spans(text: str, digits: set[str]) -> list[tuple[int, int]]:
    """The stretches of `text` that spell one of the stored numbers, spaces, dots and dashes between its digits
    allowed."""
    kept = [(i, ch) for i, ch in enumerate(text) if ch not in " .-"]
    squeezed = "".join(ch for _, ch in kept)
    found = []
    for number in digits:
        start = squeezed.find(number)
        while start >= 0:
            found.append((kept[start][0], kept[start + len(number) - 1][0] + 1))
            start = squeezed.find(number, start + 1)
    return found


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans in order, overlapping ones joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def spans(session, texts: dict[str, str]) -> dict[str, list[tuple[int, int]]]:
    """Per written part, where the words that name or reach a person are: (start, end) in that part's text as
    given, in order, overlapping ones joined (empty: nothing found). Parts without a hit are left out."""
    phrases, digits = _terms(session)
    out: dict[str, list[tuple[int, int]]] = {}
    for section, text in texts.items():
        if not text:
            continue
        found = _phrase_spans(text, phrases)
        found += [m.span() for m in list(_PHONE.finditer(text)) + list(_ID_NUMBER.finditer(text))]
        found += _digit_spans(text, digits)
        if found:
            out[section] = _merged(found)
    return out


def words(texts: dict[str, str], found: dict[str, list[tuple[int, int]]]) -> dict[str, list[str]]:
    """The words at `found` (as `spans` gives them), each once, in the order they come."""
    out = {}
    for section, places in found.items():
        seen = [texts[section][start:end] for start, end in places]
        out[section] = list(dict.fromkeys(seen))
    return out


def hits(session, texts: dict[str, str]) -> dict[str, list[str]]:
    """Per written part, the words that name or reach a person (empty: nothing found)."""
    return words(texts, spans(session, texts))
