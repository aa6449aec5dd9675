"""Building blocks for report models: count tables from one query, and small-cell suppression.

A count table starts from a *unit query*: one row per thing counted (a case, a
perpetrator, a referral, an activity), with columns `r` (the row code), `k`
(the column code) and `n` (how much it adds: 1, or a number of people). The
cells are `sum(n)` grouped by `r` and `k`; each cell, row total, column total
and grand total carries a scalar query over the same unit query, so any
printed figure can be recomputed on its own.
"""

from __future__ import annotations

from app.reports.model import COUNT, SECONDARY, Column, Figure, Table
from app.targets import Trace

NOT_RECORDED = ("Không ghi nhận", "Not recorded")
TOTAL = ("Tổng số", "Total")


def options(reference, list_name: str) -> list[tuple[str, str, str]]:
    """(code, Vietnamese label, English label) of every option of a reference list, in its order."""
    return [(o.code, o.vi, o.en) for o in reference[list_name].options]


def label(reference, list_name: str, code, lang: str = "vi") -> str:
    """A code's label; an empty code is "not recorded", an unknown one is shown as itself."""
    if code in (None, ""):
        return NOT_RECORDED[1] if lang == "en" else NOT_RECORDED[0]
    return reference[list_name].label(code, lang)


def count_table(store, *, key: str, title: tuple[str, str], unit_sql: str, params: tuple,
                rows: list[tuple[str, str, str]], row_header: tuple[str, str],
                cols: list[tuple[str, str, str]] | None = None, count_header: tuple[str, str] = ("Số lượng", "Count"),
                totals: bool = True, sensitive: bool = True, threshold: int = 0, suppress_label: str = "<5",
                note: tuple[str, str] = ("", ""), keep_empty_rows: bool = True,
                read_as: tuple[str, tuple] | None = None,
                dims: tuple[str, str, str | None] | None = None, fixed: tuple = ()) -> Table:
    """A table of `sum(n)` by `r` (rows) and `k` (columns) over `unit_sql`.

    `rows` and `cols` are (code, vi, en) in display order; codes found in the
    data but not listed are added after them (shown as the code), and an empty
    code as "not recorded". Without `cols` the unit query's `k` is ignored and
    the table has one count column.

    `read_as` (sql, params): an equivalent, faster unit query to read the values with (for example
    over a temporary table of the counted cases); the traces always use `unit_sql` itself.

    `dims` (universe, row dimension, column dimension): name each figure for the disclosure audit
    (`Figure.key`, `app.reports.disclosure`) — the same quantity gets the same key in every table —
    and list how rows and columns add up (`Table.relations`); `fixed` are conditions every figure
    of the table shares (e.g. ("unit", origin)).
    """
    single = cols is None
    col_list: list[tuple[str, str, str]] = [("", *count_header)] if cols is None else list(cols)
    read_sql, read_params = read_as or (unit_sql, params)
    grouped = f"SELECT coalesce(r, '') AS r, coalesce(k, '') AS k, coalesce(sum(n), 0) FROM ({read_sql}) GROUP BY 1, 2"
    if single:
        grouped = f"SELECT coalesce(r, '') AS r, '' AS k, coalesce(sum(n), 0) FROM ({read_sql}) GROUP BY 1"
    counts: dict[tuple[str, str], int] = {}
    for r, k, n in store.execute(grouped, read_params).fetchall():
        counts[(r, k)] = int(n)

    row_codes = [r[0] for r in rows]
    extra_rows = sorted({r for r, _ in counts if r not in row_codes and r != ""})
    row_list = list(rows) + [(code, code, code) for code in extra_rows]
    if any(r == "" for r, _ in counts):
        row_list.append(("", *NOT_RECORDED))
    col_codes = [c[0] for c in col_list]
    if not single:
        extra_cols = sorted({k for _, k in counts if k not in col_codes and k != ""})
        col_list = list(col_list) + [(code, code, code) for code in extra_cols]
        if any(k == "" for _, k in counts):
            col_list.append(("", *NOT_RECORDED))
    if not keep_empty_rows:
        row_list = [r for r in row_list if any(counts.get((r[0], c[0]), 0) for c in col_list)]

    base = f"SELECT coalesce(sum(n), 0) FROM ({unit_sql})"
    r_where, k_where = "coalesce(r, '') = ?", "coalesce(k, '') = ?"

    def fig(value, where: list[str], extra: tuple) -> Figure:
        sql = base + (" WHERE " + " AND ".join(where) if where else "")
        return Figure(value, Trace(sql, (*params, *extra)), sensitive=sensitive)

    grid, row_totals = [], []
    for code, _, _ in row_list:
        line = []
        for col, _, _ in col_list:
            where = [r_where]
            extra: tuple[str, ...] = (code,)
            if not single:
                where.append(k_where)
                extra = (code, col)
            line.append(fig(counts.get((code, col), 0), where, extra))
        grid.append(line)
        row_totals.append(fig(sum(counts.get((code, c[0]), 0) for c in col_list), [r_where], (code,)))
    col_totals = [fig(sum(counts.get((r[0], col), 0) for r in row_list), [k_where] if not single else [],
                      (col,) if not single else ()) for col, _, _ in col_list]
    grand = fig(sum(counts.values()), [], ())

    show_row_totals = totals and not single
    relations = []
    if dims is not None:
        relations = _name(dims, fixed, row_list, col_list, grid, row_totals, col_totals, grand, single, totals)
    if sensitive and threshold > 1:
        suppress(grid, row_totals if show_row_totals else None, col_totals if totals else None,
                 grand if show_row_totals else None, threshold)

    columns = [Column("row", *row_header, kind="text", width=44)]
    columns += [Column(f"c_{c[0] or 'none'}", c[1], c[2], kind=COUNT) for c in col_list]
    if show_row_totals:
        columns.append(Column("total", *TOTAL, kind=COUNT))
    body = []
    for (_code, vi, _en), line, rt in zip(row_list, grid, row_totals, strict=True):
        body.append([vi, *line, *([rt] if show_row_totals else [])])
    total_row = None
    if totals:
        total_row = [TOTAL[0], *col_totals, *([grand] if show_row_totals else [])]
    return Table(key=key, title_vi=title[0], title_en=title[1], columns=columns, rows=body, total=total_row,
                 note_vi=note[0], note_en=note[1], suppress_label=suppress_label, relations=relations)


def _name(dims, fixed, row_list, cols, grid, row_totals, col_totals, grand, single: bool, totals: bool) -> list:
    """Give each figure its key and return how they add up (only where the table says they do)."""
    from app.reports.disclosure import Sum, key

    universe, row_dim, col_dim = dims
    for (code, _, _), line, row_total in zip(row_list, grid, row_totals, strict=True):
        if single:
            line[0].key = key(universe, *fixed, (row_dim, code))
        else:
            for (col, _, _), cell in zip(cols, line, strict=True):
                cell.key = key(universe, *fixed, (row_dim, code), (col_dim, col))
            row_total.key = key(universe, *fixed, (row_dim, code))
    if single:
        grand.key = col_totals[0].key = key(universe, *fixed)
    else:
        for (col, _, _), col_total in zip(cols, col_totals, strict=True):
            col_total.key = key(universe, *fixed, (col_dim, col))
        grand.key = key(universe, *fixed)
    if not totals:
        return []
    if single:
        return [Sum(grand.key, tuple(line[0].key for line in grid))]
    relations = [Sum(rt.key, tuple(c.key for c in line)) for line, rt in zip(grid, row_totals, strict=True)]
    relations += [Sum(ct.key, tuple(grid[i][j].key for i in range(len(grid)))) for j, ct in enumerate(col_totals)]
    relations += [Sum(grand.key, tuple(rt.key for rt in row_totals)), Sum(grand.key, tuple(ct.key for ct in col_totals))]
    return relations


def suppress(grid: list[list[Figure]], row_totals: list[Figure] | None, col_totals: list[Figure] | None,
             grand: Figure | None, threshold: int) -> None:
    """Hide counts from 1 to threshold-1, then enough others that no hidden count can be worked out.

    Primary: every count in 1..threshold-1 (totals too). Secondary: a row or
    column printed with its total must never have exactly one hidden entry
    (it would be the total minus the others); the smallest other non-zero
    entry of that line is hidden too, until no line has exactly one. Each
    hidden figure says which it is (`Figure.reason`); one hidden before the
    call keeps its reason.
    """
    everything = [f for line in grid for f in line] + (row_totals or []) + (col_totals or []) + (
        [grand] if grand else [])
    for figure in everything:
        figure.hide_if_small(threshold)

    lines: list[list[Figure]] = []
    if row_totals is not None:
        lines += [list(line) + [total] for line, total in zip(grid, row_totals, strict=True)]
    if col_totals is not None:
        width = len(col_totals)
        lines += [[grid[i][j] for i in range(len(grid))] + [col_totals[j]] for j in range(width)]
        if row_totals is not None and grand is not None:
            lines.append(list(row_totals) + [grand])
            lines.append(list(col_totals) + [grand])
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [f for f in line if f.suppressed]
            if len(hidden) != 1:
                continue
            # The total is the line's last entry; prefer hiding a part, then the total.
            parts = [f for f in line[:-1] if not f.suppressed and f.value]
            candidate = min(parts, key=lambda f: f.value or 0) if parts else (  # parts: each value set
                line[-1] if not line[-1].suppressed and line[-1].value else None)
            if candidate is None:
                continue
            candidate.hide(SECONDARY)
            changed = True
