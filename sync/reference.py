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

from app.reference import Reference, ReferenceList
from app.reference.received import META_PREFIX, list_from_json  # noqa: F401  (re-exported for sync)
from app.reference.received import effective as _effective
from app.reference.received import received_rows


def list_to_json(lst: ReferenceList) -> dict:
    from sync.enrol import jsonable

    return {"name": lst.name, "version": lst.version, "title_vi": lst.title_vi, "title_en": lst.title_en,
            "options": [{"code": o.code, "vi": o.vi, "en": o.en, "extra": jsonable(o.extra)} for o in lst.options]}


def received(session) -> dict[str, dict]:
    """Lists received from the parent, by name: {"list": …, "from": node id, "received_at": …}."""
    return received_rows(session.store)


def effective(session) -> Reference:
    """The option lists in force here: shipped, each replaced by a newer one received from the parent."""
    # session.reference already lays received lists over the shipped ones; laying them again is a no-op,
    # and reading it (not the files) keeps whatever this node has in force as the base.
    return _effective(session.store, session.reference)


def store(conn, name: str, data: dict, sender_id: str, at: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                 (META_PREFIX + name, json.dumps({"list": data, "from": sender_id, "received_at": at},
                                                 ensure_ascii=False)))
