"""The LP audit and the protection it drives, on random small tables (property-based) and the issue's attacks.

A reader knows every printed figure, every printed zero, that a "<5" lies in 1..4 and what an "x" may be
(`AuditResult.x_low`). The tests enumerate every integer table consistent with that, independently of the
solver, and check that the audit's intervals hold all of them and that protection leaves each hidden count
at least the profile's range wide.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, assume, given, settings as hsettings, strategies as st

from app.reports.disclosure import AtMost, Ledger, Ratio, Settings, Sum, audit, key, protect
from app.reports.figures import suppress
from app.reports.model import MASKED, PRIMARY, Figure

SETTINGS = Settings(threshold=5, label="<5", protection_range=3)


def grid_ledger(values: list[list[int]]) -> tuple[Ledger, list[list[Figure]], list[Figure], list[Figure], Figure]:
    """A table with row totals, column totals and a grand total, each figure named as count_table names them."""
    ledger = Ledger()
    cells = [[ledger.add(Figure(v), key("t", ("r", str(i)), ("c", str(j)))) for j, v in enumerate(line)]
             for i, line in enumerate(values)]
    rows = [ledger.add(Figure(sum(line)), key("t", ("r", str(i)))) for i, line in enumerate(values)]
    cols = [ledger.add(Figure(sum(line[j] for line in values)), key("t", ("c", str(j)))) for j in range(len(values[0]))]
    grand = ledger.add(Figure(sum(map(sum, values))), key("t"))
    for i, line in enumerate(cells):
        ledger.relate(Sum(rows[i].key, tuple(c.key for c in line)))
    for j, col in enumerate(cols):
        ledger.relate(Sum(col.key, tuple(line[j].key for line in cells)))
    ledger.relate(Sum(grand.key, tuple(r.key for r in rows)))
    ledger.relate(Sum(grand.key, tuple(c.key for c in cols)))
    return ledger, cells, rows, cols, grand


def reader_bounds(figure: Figure, x_low: int, threshold: int = 5) -> range | None:
    """What a reader knows of one figure on its own (None: printed, so known)."""
    if not figure.suppressed:
        return None
    if figure.reason == PRIMARY:
        return range(1, threshold)
    return range(min(x_low, figure.value), 10_000)


def brute_force(values, cells, rows, cols, grand, x_low: int) -> dict | None:
    """Every integer table a reader cannot rule out: each hidden figure's (min, max) over them.

    Row by row: the candidates of a row satisfy what the reader knows of its total; then the rows
    are joined and the columns and grand total checked. None when there are too many to list.
    """
    n, m = len(values), len(values[0])
    # Hidden: any bound above the true grand total will do — fewer tables listed only narrow what is found.
    limit = grand.value if not grand.suppressed else grand.value + 3

    def fits(figure, v) -> bool:
        known = reader_bounds(figure, x_low)
        return v == figure.value if known is None else v in known

    per_row = []
    for i, line in enumerate(cells):
        options = [[c.value] if not c.suppressed else [v for v in reader_bounds(c, x_low) if v <= limit]
                   for c in line]
        candidates = [combo for combo in itertools.product(*options) if fits(rows[i], sum(combo))]
        if len(candidates) > 4000:
            return None
        per_row.append(candidates)
    seen: dict = {}
    for table in itertools.product(*per_row):
        derived = [(cols[j], sum(table[i][j] for i in range(n))) for j in range(m)] + \
                  [(grand, sum(map(sum, table)))]
        if not all(fits(f, v) for f, v in derived):
            continue
        derived += [(rows[i], sum(table[i])) for i in range(n)]
        for figure, v in [(c, table[i][j]) for i, line in enumerate(cells) for j, c in enumerate(line)] + derived:
            if figure.suppressed:
                low, high = seen.get(figure.key, (v, v))
                seen[figure.key] = (min(low, v), max(high, v))
    return seen


small_counts = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 8, 11])
tables = st.integers(min_value=2, max_value=3).flatmap(
    lambda m: st.lists(st.lists(small_counts, min_size=m, max_size=m), min_size=2, max_size=2))


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_protected_tables_leave_every_hidden_count_wide_enough_and_the_lp_holds_every_table(values):
    ledger, cells, rows, cols, grand = grid_ledger(values)
    result = protect(ledger, SETTINGS)
    everything = [f for line in cells for f in line] + rows + cols + [grand]
    for figure in everything:  # every small count is hidden; the label is true where it is printed
        if 0 < figure.value < 5:
            assert figure.suppressed and figure.reason in (PRIMARY, MASKED)
        if figure.suppressed and figure.reason == PRIMARY:
            assert 0 < figure.value < 5
    assert result.ok, [str(i) for i in result.failures]
    exact = audit(ledger, SETTINGS, exact=True)
    truth = brute_force(values, cells, rows, cols, grand, exact.x_low)
    assume(truth is not None)
    for interval in exact.intervals:
        low, high = truth[interval.key]
        assert interval.exact and interval.low <= low <= interval.value <= high <= interval.high
        assert interval.width >= interval.required
        # The integer tables themselves leave the count as wide (the LP is no looser here than the integers).
        assert min(high, 10_000) - low >= min(interval.required, interval.width)


@hsettings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=30), min_size=3, max_size=7))
def test_one_line_with_its_total_never_gives_a_small_count_back(parts):
    ledger = Ledger()
    figures = [ledger.add(Figure(v), key("line", ("i", str(i)))) for i, v in enumerate(parts)]
    total = ledger.add(Figure(sum(parts)), key("line"))
    ledger.relate(Sum(total.key, tuple(f.key for f in figures)))
    result = protect(ledger, SETTINGS)
    assert result.ok
    for interval in audit(ledger, SETTINGS, exact=True).intervals:
        assert interval.low <= interval.value <= interval.high and interval.width >= interval.required


def test_the_issues_row_mau108_no_longer_gives_both_hidden_cells_back():
    # "<5, 15, 44, <5, 11, 38 | 116": the line rule alone hid the two 4s and nothing else — and 116-108 = 8 = 4+4.
    values = [4, 15, 44, 4, 11, 38]
    ledger = Ledger()
    figures = [ledger.add(Figure(v), key("row", ("c", str(i)))) for i, v in enumerate(values)]
    total = ledger.add(Figure(116), key("row"))
    ledger.relate(Sum(total.key, tuple(f.key for f in figures)))
    old = [Figure(v) for v in values]
    suppress([old], [Figure(116)], None, None, 5)
    assert [f.suppressed for f in old] == [True, False, False, True, False, False]  # the old rule: both pinned to 4
    result = protect(ledger, SETTINGS)
    assert result.ok and figures[0].suppressed and figures[3].suppressed
    bounds = {i.key: i for i in audit(ledger, SETTINGS, exact=True).intervals}
    assert bounds[figures[0].key].low == 1 and bounds[figures[0].key].high == 4  # anywhere in 1..4, as "<5" says


def test_a_printed_rate_ties_its_counts_and_is_hidden_with_them():
    # 3 of 7 (42.9 %): with 7 printed and the rate printed, the hidden 3 is exact. The rate must go.
    ledger = Ledger()
    num = ledger.add(Figure(3), key("num"))
    den = ledger.add(Figure(7), key("den"))
    rate = Figure(100 * 3 / 7)
    ledger.relate(Ratio(num.key, den.key, rate))
    ledger.relate(AtMost(num.key, den.key))
    result = protect(ledger, SETTINGS)
    assert num.suppressed and rate.suppressed and result.ok


def test_a_rate_whose_counts_are_not_printed_is_hidden_when_it_would_give_a_small_count():
    # A commune's rate (3 of 7) printed beside its printed case count 7: the numerator 3 follows from them.
    ledger = Ledger()
    den = ledger.add(Figure(7), key("cases", ("unit", "a")))
    ledger.declare(key("num", ("unit", "a")), 3)
    rate = Figure(100 * 3 / 7)
    ledger.relate(Ratio(key("num", ("unit", "a")), den.key, rate))
    result = protect(ledger, SETTINGS)
    assert rate.suppressed and result.ok


def test_quarter_equal_to_total_minus_the_others_is_not_given_back():
    # The issue's chart attack: a quarter "<5" while the year and the three other quarters are printed.
    ledger = Ledger()
    quarters = [ledger.add(Figure(v), key("cases", ("q", str(i)))) for i, v in enumerate([3, 12, 9, 20])]
    year = ledger.add(Figure(44), key("cases"))
    ledger.relate(Sum(year.key, tuple(q.key for q in quarters)))
    result = protect(ledger, SETTINGS)
    assert result.ok and quarters[0].suppressed and sum(q.suppressed for q in quarters) >= 2


def test_an_exact_total_is_printed_however_small_and_the_audit_still_holds():
    # A commune's own total to its parent: 3 cases, printed; its breakdown is protected.
    ledger, cells, rows, cols, grand = grid_ledger([[2, 0], [1, 0]])
    ledger.exact.add(grand.key)
    result = protect(ledger, SETTINGS)
    assert not grand.suppressed and grand.value == 3
    assert all(c.suppressed for line in cells for c in line if c.value)
    assert result.ok or all(i.key != grand.key for i in result.failures)


def test_the_audit_line_says_what_was_proven():
    ledger, *_ = grid_ledger([[2, 9], [8, 7]])
    result = protect(ledger, SETTINGS)
    line = result.line("vi")
    assert line.startswith(f"Kiểm tra bảo vệ số liệu nhỏ: {result.hidden} ô ẩn, khoảng hẹp nhất ")
    assert line.endswith("đạt.") or "đạt (" in line
    assert result.line("en").startswith("Small-cell protection check:")


def test_an_inconsistent_ledger_is_refused_rather_than_audited():
    ledger = Ledger()
    a = ledger.add(Figure(2), key("a"))
    ledger.add(Figure(5), key("total"))
    ledger.relate(Sum(key("total"), (a.key,)))
    with pytest.raises(AssertionError):
        protect(ledger, SETTINGS)


def test_no_threshold_means_nothing_hidden_and_says_so():
    ledger, cells, *_ = grid_ledger([[1, 2], [3, 4]])
    result = protect(ledger, Settings(threshold=0))
    assert not any(c.suppressed for line in cells for c in line)
    assert "không áp dụng" in result.line()


def test_the_same_figures_are_hidden_whatever_the_process(tmp_path):
    """Two outputs of a period built in different processes (different hash seeds) must hide alike."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = tmp_path / "protect.py"
    script.write_text(
        "import json, random, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})\n"
        "from tests.reports.test_disclosure import grid_ledger, SETTINGS\n"
        "from app.reports.disclosure import protect\n"
        "rng = random.Random(4)\n"
        "out = []\n"
        "for _ in range(12):\n"
        "    values = [[rng.choice([0, 1, 2, 3, 4, 6, 9, 14]) for _ in range(4)] for _ in range(4)]\n"
        "    ledger, cells, rows, cols, grand = grid_ledger(values)\n"
        "    protect(ledger, SETTINGS)\n"
        "    out.append(sorted((repr(k), f[0].reason) for k, f in ledger.figures.items() if f[0].suppressed))\n"
        "print(json.dumps(out))\n", encoding="utf-8")
    runs = []
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    assert runs[0] == runs[1] == runs[2] and any(runs[0])
