"""Folder / USB transport: packages and receipts as files in a folder.

Writes go to a temporary name in the target folder, are flushed to the drive
and renamed, so a drive pulled out half-way leaves no half file under a real
name (a leftover `.…tmp` is ignored by readers).
"""

from __future__ import annotations

import os
import platform
import string
from dataclasses import dataclass
from pathlib import Path

from app.store.keyslots import write_atomic
from sync import package as packages
from sync import receipt as receipts


def _folder(path) -> Path:
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def send_packages(session, built: list[packages.BuiltPackage], folder) -> list[Path]:
    """Write each package into `folder` and note them as sent."""
    folder = _folder(folder)
    written = []
    for p in built:
        target = folder / p.file_name
        write_atomic(target, p.data)
        written.append(target)
    packages.mark_sent(session, built, via="folder", to=str(folder))
    return written


def incoming_packages(folder) -> list[Path]:
    """Package files waiting in `folder`, oldest name first (names carry the sequence range)."""
    return sorted(p for p in Path(folder).glob(f"*{packages.SUFFIX}") if p.is_file() and not p.name.startswith("."))


def write_receipt(name: str, data: bytes, folder) -> Path:
    target = _folder(folder) / name
    write_atomic(target, data)
    return target


def incoming_receipts(folder) -> list[Path]:
    return sorted(p for p in Path(folder).glob(f"*{receipts.SUFFIX}") if p.is_file() and not p.name.startswith("."))


# --- removable drives (best effort; the window lists them, a person picks one) ------------------------
@dataclass(frozen=True)
class Drive:
    path: Path
    label: str


_REMOVABLE_FS = {"vfat", "exfat", "ntfs", "ntfs3", "fuseblk", "msdos", "udf", "iso9660", "hfsplus", "apfs"}


def removable_drives() -> list[Drive]:
    """Mounted removable drives on this machine. Never raises: an empty list when nothing is found."""
    try:
        system = platform.system()
        if system == "Windows":
            return _windows_drives()
        if system == "Darwin":
            return _mac_drives()
        return _linux_drives()
    except Exception:  # a probe that fails must not stop the person from typing a folder
        return []


def _windows_drives() -> list[Drive]:
    import ctypes

    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
    mask = kernel.GetLogicalDrives()
    found = []
    for n, letter in enumerate(string.ascii_uppercase):
        if not mask & (1 << n):
            continue
        root = f"{letter}:\\"
        if kernel.GetDriveTypeW(root) == 2:  # DRIVE_REMOVABLE
            name = ctypes.create_unicode_buffer(261)
            kernel.GetVolumeInformationW(root, name, 261, None, None, None, None, 0)
            found.append(Drive(Path(root), name.value or root))
    return found


def _mac_drives() -> list[Drive]:
    volumes = Path("/Volumes")
    return [Drive(p, p.name) for p in sorted(volumes.iterdir())
            if p.is_dir() and not p.is_symlink() and os.path.ismount(p)] if volumes.is_dir() else []


def _linux_drives(mounts_file: Path = Path("/proc/mounts")) -> list[Drive]:
    user = os.environ.get("USER") or os.environ.get("LOGNAME") or ""
    # Desktops mount USB drives under /media or /run/media; /mnt only counts with a USB-like file system.
    roots = tuple(r for r in (f"/media/{user}/" if user else "", "/media/", f"/run/media/{user}/" if user else "")
                  if r)
    try:
        lines = mounts_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    found = set()
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        under_media = mount_point.startswith(roots)
        # vfat also holds the EFI partition: only count it outside /boot.
        usb_like = parts[2] in _REMOVABLE_FS and not mount_point.startswith("/boot") and mount_point != "/"
        if under_media or usb_like:
            found.add(Drive(Path(mount_point), Path(mount_point).name or mount_point))
    return sorted(found, key=lambda d: str(d.path))


__all__ = ["Drive", "incoming_packages", "incoming_receipts", "removable_drives", "send_packages", "write_receipt"]
