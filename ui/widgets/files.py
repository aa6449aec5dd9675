"""Asking a person for file and folder names.

Pages keep a `FileDialogs` in `self.files` and ask through it; a test puts a
scripted stand-in there instead, so it drives the button and gets the path it
chose without a native dialog.
"""

from __future__ import annotations

from pathlib import Path

from ui.qt import QFileDialog


class FileDialogs:
    """The system's file dialogs. Each method returns what was chosen, or None / [] when the person cancels."""

    def open_file(self, parent, caption: str, folder: str = "", filters: str = "") -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, caption, folder, filters)
        return path or None

    def open_files(self, parent, caption: str, folder: str = "", filters: str = "") -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(parent, caption, folder, filters)
        return list(paths)

    def save_file(self, parent, caption: str, suggested: str = "", filters: str = "") -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, filters)
        return path or None

    def folder(self, parent, caption: str, folder: str = "") -> str | None:
        path = QFileDialog.getExistingDirectory(parent, caption, folder)
        return path or None


def home_folder() -> str:
    """Where a dialog starts when nothing better is known: Documents if there is one, else home."""
    home = Path.home()
    documents = home / "Documents"
    return str(documents if documents.is_dir() else home)
