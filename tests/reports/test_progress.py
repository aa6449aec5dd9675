"""Long builds report their steps and can be stopped: no file, no audit entry, the database as it was."""

from __future__ import annotations

import pytest

from app.errors import BinhAnError
from app.reports import FORMATS, Cancelled, build, export
from app.targets import Period

PERIOD = Period.of(2025)
KIND_FORMATS = [(kind, fmt) for kind in ("annual", "statistics", "activities", "register") for fmt in FORMATS[kind]]


def audit(session, action):
    return session.store.query("SELECT * FROM audit_log WHERE action = ? ORDER BY seq", (action,))


def snapshot(session) -> dict:
    tables = [r["name"] for r in session.store.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {t: [tuple(r) for r in session.store.query(f'SELECT * FROM "{t}"')] for t in tables}


class Recorder:
    def __init__(self, cancel_at: int | None = None):
        self.calls: list[tuple[int, int, str]] = []
        self.cancel_at = cancel_at

    def __call__(self, done: int, total: int, what_vi: str) -> None:
        self.calls.append((done, total, what_vi))
        if self.cancel_at is not None and done >= self.cancel_at:
            raise Cancelled()


def assert_rising(calls):
    assert calls, "no progress was reported"
    dones = [c[0] for c in calls]
    assert dones == list(range(1, len(calls) + 1))  # one by one, never back
    assert all(0 < done <= total for done, total, _ in calls)
    assert [c[1] for c in calls] == sorted(c[1] for c in calls)  # the total never shrinks
    assert calls[-1][0] == calls[-1][1]  # the last step is the last one announced
    assert all(isinstance(what, str) and what.startswith("Đang") for _, _, what in calls)


def test_cancelled_is_a_plain_message_in_both_languages():
    error = Cancelled()
    assert isinstance(error, BinhAnError)
    assert error.message("vi") == "Đã hủy, không ghi tệp nào."
    assert error.message("en") == "Cancelled; no file was written."


@pytest.mark.parametrize("kind", ["annual", "statistics", "activities", "register"])
def test_build_reports_rising_steps(session, year_of_data, kind):
    seen = Recorder()
    report = build(session, kind, PERIOD, progress=seen)
    assert report.kind == kind
    assert_rising(seen.calls)
    if kind == "annual":
        assert len(seen.calls) >= 9  # one step a part of the report


@pytest.mark.parametrize("kind,fmt", KIND_FORMATS)
def test_export_reports_rising_steps_for_each_kind_and_format(session, year_of_data, tmp_path, kind, fmt):
    seen = Recorder()
    out = export(session, kind, PERIOD, fmt, tmp_path / f"r.{fmt}", progress=seen)
    assert out.is_file()
    assert_rising(seen.calls)
    assert len(seen.calls) >= 3
    if fmt == "xlsx":  # one step a sheet
        report = build(session, kind, PERIOD)
        assert sum(what.startswith("Đang lập bảng") for *_, what in seen.calls) >= len(list(report.tables()))
    assert len(audit(session, "report.export")) == 1


def test_case_files_report_steps_too(session, year_of_data, tmp_path):
    ids = [c["id"] for c in year_of_data["counted"][:2]]
    for kind, case_ids in (("case_file", ids[:1]), ("person_file", ids)):
        seen = Recorder()
        export(session, kind, None, "pdf", tmp_path / f"{kind}.pdf", case_ids=case_ids, progress=seen)
        assert_rising(seen.calls)


@pytest.mark.parametrize("kind,fmt", KIND_FORMATS)
def test_cancelled_at_any_step_leaves_no_file_no_audit_and_the_database_unchanged(session, year_of_data, tmp_path,
                                                                                  kind, fmt):
    total = Recorder()
    export(session, kind, PERIOD, fmt, tmp_path / f"whole.{fmt}", progress=total)
    steps = len(total.calls)
    folder = tmp_path / "out"
    folder.mkdir()
    before = snapshot(session)
    for k in sorted({1, 2, steps // 2, steps}):
        stop = Recorder(cancel_at=k)
        with pytest.raises(Cancelled):
            export(session, kind, PERIOD, fmt, folder / f"r.{fmt}", progress=stop)
        assert len(stop.calls) == k  # stopped there, went no further
        assert list(folder.iterdir()) == []  # no file, no temporary file
    assert snapshot(session) == before  # no audit entry, nothing else written
    assert len(audit(session, "report.export")) == 1  # only the whole export before


def test_cancel_keeps_an_earlier_file_as_it_was(session, year_of_data, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "thong-ke.xlsx"
    export(session, "statistics", PERIOD, "xlsx", out)
    good = out.read_bytes()
    with pytest.raises(Cancelled):
        export(session, "statistics", PERIOD, "xlsx", out, progress=Recorder(cancel_at=4))
    assert out.read_bytes() == good
    assert [p.name for p in folder.iterdir()] == ["thong-ke.xlsx"]
    assert len(audit(session, "report.export")) == 1


def test_a_case_file_cancelled_at_once_reads_and_audits_nothing(session, year_of_data, tmp_path):
    before = snapshot(session)
    with pytest.raises(Cancelled):
        export(session, "case_file", None, "pdf", tmp_path / "c.pdf", case_ids=[year_of_data["counted"][0]["id"]],
               progress=Recorder(cancel_at=1))
    assert snapshot(session) == before
    assert not (tmp_path / "c.pdf").exists()
