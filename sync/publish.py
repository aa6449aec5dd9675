"""The province publishes: new versions of its profile (plan, targets, deadlines) and of option lists.

Versions only rise. A published profile replaces the one in force here (the node's `profile_path` file, read
by `Session.profile`); a published list is stored as this node's own version of that list (laid over the
shipped one, as a list received from above would be). Both go down the tree in every down-package
(`sync.down`); each child takes them only if newer, and says what changed. Records kept aside here for a code
the new lists now hold are applied at once.
"""

from __future__ import annotations

from pathlib import Path

from app.records import now_utc
from app.store.keyslots import write_atomic
from sync import importer
from sync import reference as received_reference
from sync.errors import EnrolmentRefused


def _refuse(vi: str, en: str) -> EnrolmentRefused:
    return EnrolmentRefused(vi=vi, en=en)


def _only_the_top(session) -> None:
    from sync import enrol

    if enrol.parent(session) is not None:
        raise _refuse("Chỉ đơn vị cao nhất (tỉnh) ban hành hồ sơ và danh mục; đơn vị này nhận chúng từ cấp trên.",
                      "Only the top node (the province) publishes the profile and option lists; this node receives "
                      "them from its parent.")


def profile(session, path: Path) -> dict:
    """Publish a new version of the province profile from a TOML file. Returns {version, previous, changed}."""
    from app.reference import load_profile_file

    session.require("settings.manage")
    _only_the_top(session)
    path = Path(path)
    try:
        new = load_profile_file(path)
    except (ValueError, OSError) as exc:
        raise _refuse(f"Tệp hồ sơ không hợp lệ: {exc}. Không có gì thay đổi.",
                      f"The profile file is not valid: {exc}. Nothing was changed.") from None
    current = session.profile
    if current is not None and new.code != current.code:
        raise _refuse(f"Tệp này là hồ sơ {new.code}, không phải {current.code} đang dùng. Không có gì thay đổi.",
                      f"This file is profile {new.code}, not {current.code} in use. Nothing was changed.")
    if current is not None and new.version <= current.version:
        raise _refuse(f"Phiên bản {new.version} không mới hơn phiên bản đang dùng ({current.version}); phiên bản chỉ "
                      "tăng. Hãy sửa số phiên bản trong tệp. Không có gì thay đổi.",
                      f"Version {new.version} is not newer than the one in use ({current.version}); versions only "
                      "rise. Change the version in the file. Nothing was changed.")
    changed = sorted(k for k in set(new.raw) | set(current.raw if current else {})
                     if k != "version" and (current is None or new.raw.get(k) != current.raw.get(k)))
    write_atomic(session.node.profile_path, path.read_bytes())
    with session.store.transaction() as conn:
        session.audit(conn, "sync.profile.publish", detail={"code": new.code, "version": new.version,
                                                            "previous": current.version if current else None,
                                                            "changed": changed})
    session.refresh_profile()
    return {"code": new.code, "version": new.version, "previous": current.version if current else None,
            "changed": changed}


def reference(session, folder: Path) -> dict:
    """Publish new versions of option lists from a folder of list files (`<list>.toml`, the shipped format).

    Every list in the folder must be newer than the one in force (else nothing is published). Returns
    {published: [{list, from_version, version}], applied: records kept aside that now fit}."""
    from app.reference import load_reference_file

    session.require("settings.manage")
    _only_the_top(session)
    files = sorted(Path(folder).glob("*.toml"))
    if not files:
        raise _refuse(f"Thư mục {folder} không có tệp danh mục (.toml) nào. Không có gì thay đổi.",
                      f"The folder {folder} holds no list files (.toml). Nothing was changed.")
    in_force = received_reference.effective(session)
    lists = []
    for path in files:
        try:
            lst = load_reference_file(path)
        except (ValueError, OSError) as exc:
            raise _refuse(f"{path.name}: không hợp lệ ({exc}). Không có gì thay đổi.",
                          f"{path.name}: not valid ({exc}). Nothing was changed.") from None
        current = in_force[lst.name].version if lst.name in in_force else 0
        if lst.name not in in_force:
            raise _refuse(f"{path.name}: không có danh mục '{lst.name}'. Không có gì thay đổi.",
                          f"{path.name}: there is no list '{lst.name}'. Nothing was changed.")
        if lst.version <= current:
            raise _refuse(f"{path.name}: phiên bản {lst.version} không mới hơn phiên bản đang dùng ({current}); phiên "
                          "bản chỉ tăng. Không có gì thay đổi.",
                          f"{path.name}: version {lst.version} is not newer than the one in use ({current}); "
                          "versions only rise. Nothing was changed.")
        gone = {o.code for o in in_force[lst.name].options} - {o.code for o in lst.options}
        if gone:
            raise _refuse(f"{path.name}: phiên bản mới bỏ mất mã {', '.join(sorted(gone))}; mã đã dùng không được bỏ "
                          "(hãy giữ mã và đổi nhãn). Không có gì thay đổi.",
                          f"{path.name}: the new version drops the codes {', '.join(sorted(gone))}; codes in use "
                          "are never dropped (keep the code, change its label). Nothing was changed.")
        lists.append((lst, current))
    now = now_utc()
    with session.store.transaction() as conn:
        for lst, _ in lists:
            received_reference.store(conn, lst.name, received_reference.list_to_json(lst), session.origin, now)
        published = [{"list": lst.name, "from_version": current, "version": lst.version} for lst, current in lists]
        session.audit(conn, "sync.reference.publish", detail={"lists": published})
    session.refresh_reference()
    applied = importer.retry_kept_aside(session) if session.store.scalar(
        "SELECT 1 FROM kept_aside WHERE resolved_at IS NULL LIMIT 1") else 0
    return {"published": published, "applied": applied}
