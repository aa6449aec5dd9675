"""What is due is the work of the node that keeps the case (issue 18.4): a parent holds its children's cases but
does not list their follow-ups or closures; a commune that took in an old commune's node (`node merge`) does."""

from sync import importer, package
from tests.conftest import sample_case


def _closing_case(session, **overrides):
    # An open case with its closure checklist filled: waits for a supervisor's approval; a follow-up due.
    return session.cases.save(sample_case(closure={"items": ["needs_met"], "closed_on": None},
                                          follow_ups=[{"due_on": "2025-03-20", "status": "planned"}], **overrides))


def test_a_parent_lists_nothing_due_of_its_childrens_cases(tree):
    case = _closing_case(tree.commune)
    assert {d["kind"] for d in tree.commune.cases.due() if d["case_id"] == case["id"]} >= {"follow_up",
                                                                                          "closure_approval"}
    for p in package.build(tree.commune):
        importer.import_package(tree.province, p.data)
    held = tree.province.store.query("SELECT status FROM cases WHERE id = ?", (case["id"],))
    assert held and held[0]["status"] == "open"  # received, open, and not the province's to work on
    # The parts of case management stay home; a parent's copy may still hold them (an older sender sent
    # follow-ups and the checklist; the demo province is written whole): they are not the parent's work either.
    with tree.province.store.transaction() as conn:
        conn.execute("UPDATE cases SET closure_items = '[\"needs_met\"]' WHERE id = ?", (case["id"],))
        conn.execute("INSERT OR REPLACE INTO case_follow_ups (case_id, idx, due_on, status) VALUES (?, 0, ?, 'planned')",
                     (case["id"], "2025-03-20"))
    assert tree.province.cases.due() == []
    mine = _closing_case(tree.province)  # a case the province keeps itself is its own work
    assert {d["case_id"] for d in tree.province.cases.due()} == {mine["id"]}
