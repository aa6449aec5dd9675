"""Where Bình An finds its shipped files and keeps a node's data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from app import APP_ID


def install_root() -> Path:
    """The folder holding `data/` and `resources/`: the checkout, or the PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def reference_dir() -> Path:
    return install_root() / "data"


def resources_dir() -> Path:
    return install_root() / "resources"


def default_data_dir() -> Path:
    """The user data directory for this node; `--data-dir` or BINHAN_DATA_DIR override it."""
    override = os.environ.get("BINHAN_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False, roaming=False))
