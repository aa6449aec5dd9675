"""`binhan --self-test`, run in-process: the same checks the built bundle runs on a new PC."""

from __future__ import annotations

from binhan import cli, selftest
from app.store import keyslots


def test_self_test_passes_and_says_so(capsys):
    keyring_before = keyslots._keyring_override
    assert cli.main(["--self-test"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == selftest.OK_VERDICT
    assert any("sync package built" in line for line in lines)
    assert any("the case is there" in line for line in lines)
    # The test's own keyring is back in place: the self-test never leaves its memory keyring behind.
    assert keyslots._keyring_override is keyring_before


def test_self_test_removes_its_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(selftest.tempfile, "tempdir", str(tmp_path))
    assert selftest.run() == 0
    assert list(tmp_path.iterdir()) == []


def test_a_failing_step_gives_the_failed_verdict(monkeypatch, capsys):
    def broken(tmp, say):
        raise selftest._Failed("the province does not have the case")

    monkeypatch.setattr(selftest, "_steps", broken)
    assert selftest.run() == 1
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "SELF-TEST FAILED: the province does not have the case")
