"""Nothing free crosses: the annual report's written parts are checked against the identities this node holds
before the report is finalised and sent up (DESIGN §6, "Trust in the tree").

A hit is a survivor's or a perpetrator's full name, an address, a phone number or an ID number stored in a
case here (compared folded: no accents, no case, single spaces), or anything shaped like a phone or an ID
number. `hits` returns, per written part, the words as typed, so the window can highlight them; `finalise`
stops on any.
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


def _words_at(text: str, folded_phrase: str) -> list[str]:
    """The stretches of `text` whose folded form is `folded_phrase` (word for word)."""
    words = list(re.finditer(r"\S+", text))
    want = folded_phrase.split()
    found = []
    for i in range(len(words) - len(want) + 1):
        stretch = words[i:i + len(want)]
        if [fold(re.sub(r"[^\w]", "", w.group())) for w in stretch] == want:
            found.append(text[stretch[0].start():stretch[-1].end()])
    return found


def hits(session, texts: dict[str, str]) -> dict[str, list[str]]:
    """Per written part, the words that name or reach a person (empty: nothing found)."""
    phrases, digits = _terms(session)
    out: dict[str, list[str]] = {}
    for section, text in texts.items():
        if not text:
            continue
        found: list[str] = []
        folded = fold(re.sub(r"[^\w\s]", " ", text))
        for phrase in phrases:
            if f" {phrase} " in f" {folded} ":
                found += _words_at(text, phrase) or [phrase]
        for match in list(_PHONE.finditer(text)) + list(_ID_NUMBER.finditer(text)):
            found.append(match.group())
        squeezed = re.sub(r"[ .\-]", "", text)
        found += [number for number in digits if number in squeezed and number not in "".join(found)]
        if found:
            out[section] = sorted(set(found), key=text.find)
    return out
