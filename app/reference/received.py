"""Option lists received from the parent, laid over the shipped ones (DESIGN §4).

A province may issue a newer version of a list down the tree; the child keeps
it in `meta` under `sync.reference:<list>` and uses, list by list, whichever is
newer: the list shipped with this release or the one received. Versions only
rise. Sync writes these rows; the core reads them so that forms and validation
know the new codes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType

from app.reference import Option, Reference, ReferenceList, is_code

META_PREFIX = "sync.reference:"


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


def received_rows(store) -> dict[str, dict]:
    """Lists received from the parent, by name: {"list": …, "from": node id, "received_at": …}."""
    rows = store.query("SELECT key, value FROM meta WHERE key LIKE ?", (META_PREFIX + "%",))
    return {r["key"][len(META_PREFIX):]: json.loads(r["value"]) for r in rows}


def effective(store, shipped: Reference) -> Reference:
    """The lists in force on this node: each shipped list replaced by a newer one received."""
    newer = {}
    for name, entry in received_rows(store).items():
        data = entry.get("list") if isinstance(entry, dict) else None
        if not isinstance(data, dict) or (name in shipped and data.get("version", 0) <= shipped[name].version):
            continue
        try:
            newer[name] = list_from_json(data)
        except ValueError:
            continue  # a damaged row is ignored: the shipped list stays in force
    if not newer:
        return shipped
    lists = {name: shipped[name] for name in shipped.names}
    lists.update(newer)
    return Reference(lists, root=shipped.root)


def received_profile(store, shipped: dict):
    """The province profile received from the parent (signed profile file or down-package), as a
    Profile, or None. A damaged one is ignored: the shipped profile stays in force."""
    from app.reference import profile_from_data

    try:
        rows = store.query("SELECT profile FROM sync_peers WHERE relation = 'parent' AND status = 'active'")
    except Exception:  # a database from before sync (schema < 3) has no peers
        return None
    if not rows or not rows[0]["profile"]:
        return None
    try:
        data = json.loads(rows[0]["profile"]).get("profile")
        if not isinstance(data, dict):
            return None
        profile = profile_from_data(data, "received profile")
    except (ValueError, TypeError, AttributeError):
        return None
    own = shipped.get(profile.code)
    if own is not None and own.version > profile.version:
        return own  # this release ships a newer edition of the same profile
    return profile
