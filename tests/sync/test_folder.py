from pathlib import Path

from sync.transports import folder


def test_linux_removable_drives_come_from_the_mount_table(tmp_path, monkeypatch):
    monkeypatch.setenv("USER", "canbo")
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/sda2 / ext4 rw 0 0\n"
        "/dev/sda1 /boot/efi vfat rw 0 0\n"
        "/dev/sdb1 /media/canbo/USB\\040XA vfat rw 0 0\n"
        "/dev/sdc1 /run/media/canbo/DATA exfat rw 0 0\n"
        "/dev/sdd1 /mnt/backup ext4 rw 0 0\n"
        "/dev/sde1 /mnt/the_t ntfs3 rw 0 0\n"
        "proc /proc proc rw 0 0\n")
    drives = folder._linux_drives(mounts)
    assert [str(d.path) for d in drives] == ["/media/canbo/USB XA", "/mnt/the_t", "/run/media/canbo/DATA"]
    assert drives[0].label == "USB XA"


def test_removable_drives_never_raises(monkeypatch):
    monkeypatch.setattr(folder, "_linux_drives", lambda: 1 / 0)
    monkeypatch.setattr(folder.platform, "system", lambda: "Linux")
    assert folder.removable_drives() == []


def test_half_written_files_are_not_offered(tmp_path):
    (tmp_path / ".TN01-TB-1-2-abcd.pkg.binhan.123.tmp").write_bytes(b"half")
    (tmp_path / "TN01-TB-1-2-abcd.pkg.binhan").write_bytes(b"whole")
    assert [p.name for p in folder.incoming_packages(tmp_path)] == ["TN01-TB-1-2-abcd.pkg.binhan"]
    assert folder.incoming_packages(Path(tmp_path / "missing")) == []
