"""Packages refused here, remembered beside the database, never in it.

A refused package must leave the database exactly as it was (DESIGN §6), so
the inbox's memory of refusals is a small log in the node's folder:
`refused.jsonl`, one JSON object a line, newest last, the last `KEEP` kept.

    refusals.record(session, "TB0101-000012.pkg.binhan", error, data=raw, via="folder")
    refusals.recent(session)    # newest first, for the province's inbox

It holds no identity and nothing from inside a package: when, the file's
name, how it came, the reason code and its message in both languages, and
the sender the package's *readable header claims* (unverified: a refused
package proves nothing about who made it, so it is shown as a claim).
A damaged log line is skipped, never fatal: the log is a convenience for the
person at the inbox, the audit of what was applied lives in the database.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from sync import package

LOG_NAME = "refused.jsonl"
KEEP = 500


def _path(session) -> Path:
    return Path(session.node.data_dir) / LOG_NAME


def _claimed_sender(data: bytes | None) -> dict:
    """The code and name the package's plain header states, or nothing if it cannot be read."""
    if not data:
        return {}
    try:
        sender = package.parse(data).header.get("from") or {}
    except Exception:  # noqa: BLE001 - a refused file may be anything; the claim is optional
        return {}
    if not isinstance(sender, dict):
        return {}
    return {k: str(sender[k])[:80] for k in ("code", "name") if isinstance(sender.get(k), str)}


def record(session, name: str, error: BaseException, *, data: bytes | None = None, via: str = "folder",
           now: datetime | None = None) -> None:
    """Append one refusal. Never raises for a log that cannot be written: the refusal itself stands."""
    message = getattr(error, "message", None)
    entry = {
        "at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "file": Path(str(name)).name[:200],
        "via": via,
        "reason": getattr(error, "reason", type(error).__name__),
        "vi": message("vi") if callable(message) else "",
        "en": message("en") if callable(message) else "",
        "claimed": _claimed_sender(data),
    }
    path = _path(session)
    try:
        with open(path, "a", encoding="utf-8") as log:
            log.write(json.dumps(entry, ensure_ascii=False) + "\n")
            log.flush()
            os.fsync(log.fileno())
        _trim(path)
    except OSError:
        pass


def _read(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []
    entries = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by a power cut
        if isinstance(entry, dict) and isinstance(entry.get("at"), str):
            entries.append(entry)
    return entries


def _trim(path: Path) -> None:
    """Keep the newest KEEP entries once the log holds twice as many (rewritten whole, then swapped in)."""
    entries = _read(path)
    if len(entries) <= 2 * KEEP:
        return
    spare = path.with_name(path.name + ".tmp")
    with open(spare, "w", encoding="utf-8") as out:
        out.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in entries[-KEEP:])
        out.flush()
        os.fsync(out.fileno())
    os.replace(spare, path)


def recent(session, limit: int = 200) -> list[dict]:
    """The newest refusals first."""
    return list(reversed(_read(_path(session))))[:limit]
