"""`binhan --self-test`: prove an installed copy works, end to end, without touching real data.

In a temporary folder: a demo commune node is created and opened (admin/demo), a case is
saved, the annual report is written as PDF, and the commune sends a sync package to a
province node enrolled the way people do it. Each step is checked and printed on a line of
its own; the last line is the verdict, "SELF-TEST OK" or "SELF-TEST FAILED: …". Exit 0/1.

The temporary folder is removed afterwards, and the OS keyring is never written: the nodes
made here keep their keyring slot in memory for the length of the test.
"""

from __future__ import annotations

import base64
import io
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import app

OK_VERDICT = "SELF-TEST OK"
FAILED_VERDICT = "SELF-TEST FAILED"


class _Failed(Exception):
    pass


def _case(year: int) -> dict:
    """A small valid case (no real person), dated this year so the annual report counts it."""
    day = f"{year}-01-10"
    return {
        "status": "open",
        "intake": {"reported_on": day, "incident_on": f"{year}-01-08", "disclosure_channel": "self",
                   "referral_source": "family"},
        "survivor": {"age": 30, "sex": "female", "marital_status": "married", "disability": "none",
                     "ethnicity": "kinh"},
        "identity": {"name": "Tự Kiểm Tra", "address": None, "phone": None, "id_number": None,
                     "narrative": None, "perpetrator_names": None, "safety_notes": None},
        "incident": {"time_of_day": "evening_night", "location_type": "shared_home",
                     "violence_type": "physical_assault", "dv_acts": [], "reported_elsewhere": False},
        "perpetrators": [{"sex": "male", "age_group": "age_26_40", "relationship": "intimate_partner", "count": 1}],
        "consent": {"services": {"given": True, "on": day}, "reporting": {"given": True, "on": day},
                    "sharing": {"given": False}},
        "services": [{"service": "psychosocial_counselling", "status": "provided", "on": day}],
        "referrals": [],
        "follow_ups": [],
        "perpetrator_actions": [],
        "safety_plan": {"in_place": False, "on": None},
        "closure": {"items": [], "closed_on": None},
    }


def _pdf_text(path: Path) -> str | None:
    tool = shutil.which("pdftotext")
    if not tool:
        return None
    done = subprocess.run([tool, "-q", str(path), "-"], capture_output=True, timeout=60)
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else ""


def _steps(tmp: Path, say) -> None:
    from app.demo import DEMO_PASSWORD, PROVINCE_CODE, create_demo_node
    from app.node import Node
    from app.reports import export
    from app.targets import Period
    from sync import enrol, importer, package

    year = date.today().year
    sessions = []
    try:
        node, summary = create_demo_node(tmp / "commune")
        say(f"demo node created ({summary.get('cases', '?')} demo cases)")

        commune = node.login("admin", DEMO_PASSWORD)
        sessions.append(commune)
        say("logged in as admin")

        saved = commune.cases.save(_case(year))
        again = commune.cases.get(saved["id"])
        if again["survivor"]["age"] != 30:
            raise _Failed("the saved case reads back different")
        say(f"case saved and read back ({saved['code']})")

        pdf = tmp / "r.pdf"
        export(commune, "annual", Period.of(year), "pdf", pdf)
        head = pdf.read_bytes()[:5]
        if head != b"%PDF-":
            raise _Failed("the annual report is not a PDF")
        text = _pdf_text(pdf)
        if text is None:
            say(f"annual report written as PDF ({pdf.stat().st_size} bytes; pdftotext absent, text not checked)")
        elif str(year) not in text:
            raise _Failed("the annual report's text does not name the year")
        else:
            say(f"annual report written as PDF ({pdf.stat().st_size} bytes, text read back)")

        province_node, _ = Node.create(tmp / "province", kind="province", name="Tỉnh Tự Kiểm Tra",
                                       code=PROVINCE_CODE, parent_code=None, profile_code="thai_binh",
                                       admin_username="admin", admin_password=DEMO_PASSWORD, demo=True)
        province = province_node.login("admin", DEMO_PASSWORD)
        sessions.append(province)
        files = tmp / "files"
        files.mkdir()
        enrol.import_profile(commune, enrol.export_profile(province, files / "province.profile"))
        registration = enrol.export_registration(commune, files / "commune.registration")
        fingerprint = enrol.read_registration(registration)["fingerprint"]
        enrol.import_registration(province, registration, accept_fingerprint=fingerprint)
        say("province node created and the commune enrolled")

        from app.reports import submission

        finalised = submission.finalise(commune, year)
        say(f"annual report {year} finalised to go up (version {finalised['rev']})")

        built = package.build(commune)
        if not built:
            raise _Failed("no sync package was built")
        records = sum(p.records for p in built)
        say(f"sync package built ({len(built)} part(s), {records} records)")

        applied = 0
        for part in built:
            result = importer.import_package(province, part.data)
            applied += result.applied
        arrived = province.cases.get(saved["id"])
        if not arrived or arrived.get("code") != saved["code"]:
            raise _Failed("the province does not have the case")
        say(f"package imported at the province ({applied} records applied; the case is there)")
        own_pdf = commune.store.scalar("SELECT pdf FROM annual_reports WHERE year = ?", (year,))
        if submission.received_pdf(province, commune.origin, year) != base64.b64decode(own_pdf):
            raise _Failed("the province's copy of the annual report differs from the commune's")
        say("the annual report arrived at the province as the commune made it")
    finally:
        for s in sessions:
            if s.store is not None:
                s.close()


def run() -> int:
    """Run the self-test; print one line per check and the verdict. Returns the exit status."""
    from app.store import keyslots

    started = time.monotonic()
    try:  # a Windows console in a legacy code page must not turn a checked step into a crash
        if isinstance(sys.stdout, io.TextIOWrapper):
            sys.stdout.reconfigure(errors="replace")
    except ValueError:
        pass
    print(f"{app.NAME} {app.__version__} — self-test (Python {sys.version.split()[0]})", flush=True)

    def say(line: str) -> None:
        print(f"  ok  {line}", flush=True)

    try:
        import keyring

        say(f"keyring backend: {type(keyring.get_keyring()).__module__}")
    except Exception as exc:  # the bundle must still carry the module; which backend depends on the machine
        print(f"  FAILED  keyring cannot be loaded ({type(exc).__name__})", flush=True)
        print(f"{FAILED_VERDICT}: keyring", flush=True)
        return 1

    previous = keyslots._keyring_override
    keyslots.set_keyring_backend(keyslots.MemoryKeyring())
    tmp = Path(tempfile.mkdtemp(prefix="binhan-selftest-"))
    reason: str | None
    try:
        _steps(tmp, say)
    except _Failed as exc:
        reason = str(exc)
    except Exception as exc:  # name where, not the message (it could carry a record's values)
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb is not None else "?"
        reason = f"{type(exc).__name__} at {where}"
    else:
        reason = None
    finally:
        keyslots.set_keyring_backend(previous)
        shutil.rmtree(tmp, ignore_errors=True)
    if reason is not None:
        print(f"  FAILED  {reason}", flush=True)
        print(f"{FAILED_VERDICT}: {reason}", flush=True)
        return 1
    print(f"  ({time.monotonic() - started:.1f} s)", flush=True)
    print(OK_VERDICT, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(run())
