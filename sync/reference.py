"""Reference lists received from the parent: stored, checked, and laid over the shipped ones.

A province can issue a newer version of an option list down the tree (DESIGN §4).
A child keeps each received list in `meta` under `sync.reference:<list>` (JSON:
the list as `list_to_json` writes it, who sent it, when) and uses, list by list,
whichever is newer: the one shipped with this release or the one received. A
version never goes back: an older list that arrives is not stored.

The parent sends its *effective* lists, so a district passes the province's on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType

from app.reference import Option, Reference, ReferenceList, is_code

META_PREFIX = "sync.reference:"
_cache: dict[tuple, Reference] = {}


def list_to_json(lst: ReferenceList) -> dict:
    from sync.enrol import jsonable

    return {"name": lst.name, "version": lst.version, "title_vi": lst.title_vi, "title_en": lst.title_en,
            "options": [{"code": o.code, "vi": o.vi, "en": o.en, "extra": jsonable(o.extra)} for o in lst.options]}


def _freeze(value):
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _text(value) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= 2000


def list_from_json(data) -> ReferenceList:
    """A list received from the parent, checked field by field. ValueError when anything is off."""
    if not isinstance(data, dict) or not is_code(data.get("name")):
        raise ValueError("list name")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= 10**9:
        raise ValueError("version")
    if not (_text(data.get("title_vi")) and _text(data.get("title_en"))):
        raise ValueError("title")
    options = data.get("options")
    if not isinstance(options, list) or not options:
        raise ValueError("options")
    made = []
    for raw in options:
        if not isinstance(raw, dict) or not is_code(raw.get("code")) or not (_text(raw.get("vi"))
                                                                             and _text(raw.get("en"))):
            raise ValueError("option")
        extra = raw.get("extra") or {}
        if not isinstance(extra, dict):
            raise ValueError("option extra")
        made.append(Option(code=raw["code"], vi=raw["vi"], en=raw["en"], extra=_freeze(extra)))
    return ReferenceList(name=data["name"], version=version, title_vi=data["title_vi"], title_en=data["title_en"],
                         options=tuple(made))


def received(session) -> dict[str, dict]:
    """Lists received from the parent, by name: {"list": …, "from": node id, "received_at": …}."""
    rows = session.store.query("SELECT key, value FROM meta WHERE key LIKE ?", (META_PREFIX + "%",))
    return {r["key"][len(META_PREFIX):]: json.loads(r["value"]) for r in rows}


def effective(session) -> Reference:
    """The option lists in force here: shipped, each replaced by a newer one received from the parent."""
    shipped = session.reference
    newer = {name: entry["list"] for name, entry in received(session).items()
             if name not in shipped or entry["list"]["version"] > shipped[name].version}
    if not newer:
        return shipped
    key = (id(shipped), tuple(sorted((name, data["version"]) for name, data in newer.items())))
    if key not in _cache:
        lists = {name: shipped[name] for name in shipped}
        lists.update({name: list_from_json(data) for name, data in newer.items()})
        _cache[key] = Reference(lists, root=shipped.root)
    return _cache[key]


def store(conn, name: str, data: dict, sender_id: str, at: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                 (META_PREFIX + name, json.dumps({"list": data, "from": sender_id, "received_at": at},
                                                 ensure_ascii=False)))
