"""Settings the window keeps: how soon an idle window locks (per node), and the language (per computer user).

The idle-lock time belongs to the node (a shared office PC locks the same for
everyone), so it lives in the node's encrypted `meta` table under
`ui.idle_lock_minutes`. The language must be known before anyone logs in, so it
lives in a small plain file in the user's configuration folder; it holds no
personal data.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import platformdirs

import app

log = logging.getLogger(__name__)

IDLE_LOCK_KEY = "ui.idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 10
MIN_IDLE_LOCK_MINUTES = 1
MAX_IDLE_LOCK_MINUTES = 240

#: The preferences file; tests point it at a temporary folder.
PREFERENCES_PATH: Path | None = None


# --- idle lock, per node ------------------------------------------------------------------------------
def idle_lock_minutes(session) -> int:
    """Minutes of no keyboard or mouse use before the window locks (the default when unset or unreadable)."""
    raw = session.store.scalar("SELECT value FROM meta WHERE key = ?", (IDLE_LOCK_KEY,))
    try:
        minutes = int(json.loads(raw)) if raw is not None else DEFAULT_IDLE_LOCK_MINUTES
    except (TypeError, ValueError):
        return DEFAULT_IDLE_LOCK_MINUTES
    return min(MAX_IDLE_LOCK_MINUTES, max(MIN_IDLE_LOCK_MINUTES, minutes))


def set_idle_lock_minutes(session, minutes: int) -> int:
    """Keep `minutes` (clamped to 1–240) for this node, audited; returns what was kept.

    Only a role allowed to manage settings may change it (the core's rule).
    """
    session.require("settings.manage")
    minutes = min(MAX_IDLE_LOCK_MINUTES, max(MIN_IDLE_LOCK_MINUTES, int(minutes)))
    with session.store.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (IDLE_LOCK_KEY, json.dumps(minutes)))
        session.audit(conn, "settings.change", detail={"key": IDLE_LOCK_KEY, "value": minutes})
    return minutes


# --- status bar figures -----------------------------------------------------------------------------
def sync_status(session) -> tuple[int, str | None]:
    """(records changed and not yet sent up, when the last receipt came: ISO text or None), from sync's status."""
    from sync.status import summary

    facts = summary(session)
    return int(facts["records_unsent"] or 0), facts["last_receipt_at"]


# --- language, per computer user ------------------------------------------------------------------
def preferences_path() -> Path:
    if PREFERENCES_PATH is not None:
        return PREFERENCES_PATH
    return Path(platformdirs.user_config_dir(app.APP_ID, appauthor=False, roaming=True)) / "window.json"


def load_preferences() -> dict:
    path = preferences_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        log.warning("window preferences unreadable; using defaults")
        return {}
    return data if isinstance(data, dict) else {}


def save_preference(key: str, value) -> None:
    """Write one preference; the file is written aside, then renamed into place."""
    path = preferences_path()
    data = load_preferences()
    data[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(partial, path)


def saved_language() -> str | None:
    lang = load_preferences().get("language")
    return lang if lang in ("vi", "en") else None
