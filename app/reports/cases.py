"""Case figures for reports: the statistics tables, the GBVIMS-ordered data sheet, the register.

Every table starts from `app.targets.countable_cases`, so a report counts the
same cases as the targets do: consented to reporting as of the period's end,
never a case already reported by another agency, no duplicates, nothing
deleted, nothing that is not GBV. Nothing here reads identities.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

from app.reports.figures import count_table as _count_table, label, options
from app.reports.model import COUNT, MONTH, SECONDARY_LABEL, TEXT, YESNO, Column, Figure, Table, yes_no
from app.targets import Period, Trace, countable_cases, gbv_types

# Services in the order the GBVIMS incident recorder asks about referrals, then ours.
GBVIMS_SERVICE_ORDER = ("safe_shelter", "health_care", "psychosocial_counselling", "legal_aid", "police_security",
                        "livelihood")


def suppression(session) -> tuple[int, str]:
    profile = session.profile
    if profile is None:
        return 5, "<5"
    return profile.small_cell_threshold, profile.small_cell_label


def data_notes(session, period: Period) -> list[str]:
    threshold, shown = suppression(session)
    notes = [
        "Số liệu vụ việc chỉ gồm các vụ việc bạo lực trên cơ sở giới trình báo lần đầu trong kỳ, không trùng lặp, "
        "người bị bạo lực đồng ý được tính vào báo cáo (và chưa rút lại sự đồng ý đến ngày "
        f"{period.end:%d/%m/%Y}), không tính vụ việc đã được cơ quan khác báo cáo.",
        "Báo cáo không chứa thông tin nhận dạng người bị bạo lực.",
    ]
    if threshold > 1:
        notes.append(f"Để bảo vệ người bị bạo lực, ô có số từ 1 đến {threshold - 1} được ghi là \"{shown}\"; "
                     f"một số ô khác cũng được ẩn, ghi là \"{SECONDARY_LABEL}\", để không suy ra được ô đã ẩn "
                     "từ các số đã in (kể cả khi ghép các bảng, biểu đồ và tỷ lệ của cùng kỳ); việc này được kiểm tra "
                     "bằng quy hoạch tuyến tính mỗi lần lập báo cáo.")
    return notes


def counted_total(session, period: Period) -> Figure:
    counted, params = countable_cases(session, period)
    trace = Trace(f"SELECT count(*) FROM ({counted})", params, "counted cases")
    return Figure(int(trace.run(session.store)), trace, sensitive=True)


class CountedCases:
    """The period's counted cases, read once into a temporary table for the length of one build.

    The table holds each counted case's id and the columns the count tables group by, so
    most tables read it alone instead of re-running the consent and duplicate rules and
    looking each case up again (`read`). The figures' traces still spell the rules out in full.

        with CountedCases(session, period) as counted:
            tables = statistics_tables(session, period, counted)
    """

    #: the columns of `cases` copied into the table (a query naming any other `c.` column reads `cases`)
    COLUMNS = ("id", "origin", "violence_type", "survivor_sex", "survivor_age_band", "location_type", "delay_band",
               "reported_on", "perpetrator_count", "ethnicity", "reported_precision")
    _COLUMN = re.compile(r"\bc\.(\w+)")

    def __init__(self, session, period: Period):
        self.session, self.period = session, period
        self.sql, self.params = countable_cases(session, period)
        self.table = f"temp.bn_counted_{uuid.uuid4().hex}"
        self.columns = self.COLUMNS if self.sql.startswith("SELECT c.id FROM cases c ") else ("id",)

    def __enter__(self) -> CountedCases:
        store = self.session.store
        select = "SELECT " + ", ".join(f"c.{name}" for name in self.columns) + self.sql[len("SELECT c.id"):]
        with store.lock:
            store.conn.execute(f"CREATE TABLE {self.table} ({', '.join(self.columns)}, PRIMARY KEY (id))")
            store.conn.execute(f"INSERT INTO {self.table} ({', '.join(self.columns)}) {select}", self.params)
        return self

    def __exit__(self, *exc) -> None:
        with self.session.store.lock:
            self.session.store.conn.execute(f"DROP TABLE IF EXISTS {self.table}")

    @property
    def fast(self) -> str:
        return f"SELECT id FROM {self.table}"

    def read(self, sql: str, params: tuple) -> tuple[str, tuple]:
        """An equivalent of `sql` (which holds the counting rule `self.sql` once) over the temporary table.

        `FROM cases c WHERE c.id IN (<rule>)` becomes the table itself when every `c.` column the
        query names is in it; otherwise the rule becomes the table's ids. The rule's parameters
        are taken out of `params`. A query without the rule is returned as it is.
        """
        at = sql.find(self.sql)
        if at < 0 or sql.count(self.sql) != 1:
            return sql, params
        before = sql[:at].count("?")
        if tuple(params[before:before + len(self.params)]) != tuple(self.params):
            return sql, params
        rest = tuple(params[:before]) + tuple(params[before + len(self.params):])
        whole = f"FROM cases c WHERE c.id IN ({self.sql})"
        if whole in sql and set(self._COLUMN.findall(sql.replace(self.sql, ""))) <= set(self.columns):
            return sql.replace(whole, f"FROM {self.table} c WHERE 1"), rest
        return sql.replace(self.sql, self.fast), rest

    def total(self) -> Figure:
        """`counted_total`, read from the temporary table (the trace is the same)."""
        trace = Trace(f"SELECT count(*) FROM ({self.sql})", self.params, "counted cases")
        return Figure(int(self.session.store.scalar(f"SELECT count(*) FROM {self.table}")), trace, sensitive=True)


def _months(period: Period) -> list[tuple[str, str, str]]:
    return [(f"{y:04d}-{m:02d}", f"Tháng {m:02d}/{y}", f"{y}-{m:02d}") for y, m in period.months()]


#: The month a case was first reported, or its quarter ("2025-Q2") when it came up from a commune as a quarter only
#: (k-anonymity, `app.sync_allow.generalise`).
MONTH_OR_QUARTER = ("CASE WHEN c.reported_precision = 'quarter' THEN substr(c.reported_on, 1, 4) || '-Q' ||"
                    " ((CAST(substr(c.reported_on, 6, 2) AS INTEGER) + 2) / 3) ELSE substr(c.reported_on, 1, 7) END")
#: Kinh / ethnic minority: the only form in which ethnicity leaves a commune (Decree 356/2025).
ETHNIC_GROUP = ("CASE WHEN c.ethnicity = 'kinh' THEN 'kinh' WHEN c.ethnicity IS NULL OR c.ethnicity IN ('', 'unknown')"
                " THEN NULL ELSE 'minority' END")
ETHNIC_GROUPS = [("kinh", "Kinh", "Kinh"), ("minority", "Dân tộc thiểu số", "Ethnic minority")]


def month_rows(period: Period, found=()) -> list[tuple[str, str, str]]:
    """The month table's rows: each month, then each quarter for cases received as a quarter only."""
    rows = _months(period)
    for code in sorted(c for c in found if "-Q" in c):
        year, quarter = code.split("-Q")
        rows.append((code, f"Quý {('I', 'II', 'III', 'IV')[int(quarter) - 1]}/{year} (không rõ tháng)",
                     f"Q{quarter} {year} (month not sent)"))
    return rows


def statistics_tables(session, period: Period, counted_cases: CountedCases | None = None, *,
                      protect: bool = True) -> list[Table]:
    """The case statistics tables, one a sheet, in the order the province reads them.

    Each figure is named for the disclosure audit (`Figure.key`). `protect=False` leaves small
    counts visible, for `app.reports.period`, which protects every table of the period together;
    otherwise each table is protected on its own (primary, then the line rule).
    """
    if counted_cases is None:
        with CountedCases(session, period) as counted_cases:
            return statistics_tables(session, period, counted_cases, protect=protect)
    ref, store = session.reference, session.store
    counted, params = counted_cases.sql, counted_cases.params
    threshold, shown = suppression(session)
    common = {"threshold": threshold if protect else 0, "suppress_label": shown}
    gbv = set(gbv_types(ref))
    types = [o for o in options(ref, "violence_type") if o[0] in gbv]
    sexes = options(ref, "sex")
    cases_unit = f"FROM cases c WHERE c.id IN ({counted})"

    def count_table(store, **kw):
        # Values read over the temporary table; traces keep the full rules (the only parameters are theirs).
        return _count_table(store, read_as=counted_cases.read(kw["unit_sql"], kw["params"]), **kw)

    tables = [
        count_table(store, key="Loai bao luc", title=("Vụ việc theo loại bạo lực và giới tính người bị bạo lực",
                                                      "Cases by type of violence and survivor's sex"),
                    unit_sql=f"SELECT c.violence_type AS r, c.survivor_sex AS k, 1 AS n {cases_unit}",
                    params=params, rows=types, cols=sexes,
                    row_header=("Loại bạo lực (GBVIMS)", "Type of violence (GBVIMS)"),
                    dims=("cases", "type", "sex"), **common),
        count_table(store, key="Tuoi gioi tinh", title=("Người bị bạo lực theo nhóm tuổi và giới tính",
                                                        "Survivors by age group and sex"),
                    unit_sql=f"SELECT c.survivor_age_band AS r, c.survivor_sex AS k, 1 AS n {cases_unit}",
                    params=params, rows=options(ref, "age_band"), cols=sexes,
                    row_header=("Nhóm tuổi", "Age group"),
                    dims=("cases", "age", "sex"), **common),
        count_table(store, key="Quan he", title=("Người gây bạo lực theo quan hệ với người bị bạo lực và giới tính",
                                                 "Perpetrators by relationship to the survivor and sex"),
                    unit_sql=("SELECT p.relationship AS r, p.sex AS k, p.count AS n FROM case_perpetrators p"
                              f" WHERE p.case_id IN ({counted})"),
                    params=params, rows=options(ref, "relationship"), cols=sexes,
                    row_header=("Quan hệ với người bị bạo lực", "Relationship to the survivor"),
                    note=("Đếm số người gây bạo lực (một vụ việc có thể có nhiều người).",
                          "Counts perpetrators (a case may have several)."),
                    dims=("perpetrators", "relationship", "sex"), **common),
        count_table(store, key="Noi xay ra", title=("Vụ việc theo nơi xảy ra", "Cases by location type"),
                    unit_sql=f"SELECT c.location_type AS r, '' AS k, 1 AS n {cases_unit}", params=params,
                    rows=options(ref, "location_type"), row_header=("Nơi xảy ra", "Location type"),
                    count_header=("Số vụ việc", "Cases"),
                    dims=("cases", "location", None), **common),
        count_table(store, key="Thoi gian trinh bao", dims=("cases", "delay", None),
                    title=("Vụ việc theo khoảng thời gian từ khi xảy ra đến khi trình báo",
                           "Cases by time from incident to first report"),
                    unit_sql=f"SELECT c.delay_band AS r, '' AS k, 1 AS n {cases_unit}", params=params,
                    rows=options(ref, "reporting_delay_band"),
                    row_header=("Thời gian đến khi trình báo", "Reporting delay"),
                    count_header=("Số vụ việc", "Cases"), **common),
        count_table(store, key="Dich vu", title=("Vụ việc theo dịch vụ hỗ trợ và tình trạng",
                                                 "Cases by service and its status"),
                    unit_sql=("SELECT s.service AS r, s.status AS k, 1 AS n FROM case_services s"
                              f" WHERE s.case_id IN ({counted})"),
                    params=params, rows=options(ref, "service"), cols=options(ref, "service_status"),
                    row_header=("Dịch vụ hỗ trợ", "Service"),
                    dims=("services", "service", "status"), **common),
        count_table(store, key="Chuyen tuyen", title=("Lượt chuyển tuyến theo dịch vụ và kết quả",
                                                      "Referrals by service and outcome"),
                    unit_sql=("SELECT x.service AS r, x.outcome AS k, 1 AS n FROM case_referrals x"
                              f" WHERE x.case_id IN ({counted})"),
                    params=params, rows=options(ref, "service"), cols=options(ref, "referral_outcome"),
                    row_header=("Dịch vụ chuyển tuyến", "Referred service"),
                    note=("Đếm lượt chuyển tuyến.", "Counts referrals."),
                    dims=("referrals", "service", "outcome"), **common),
        count_table(store, key="Xu ly nguoi gay BL", title=("Vụ việc theo biện pháp xử lý người gây bạo lực",
                                                            "Cases by action on the perpetrator"),
                    unit_sql=("SELECT a.action AS r, '' AS k, 1 AS n FROM (SELECT DISTINCT case_id, action"
                              f" FROM case_perpetrator_actions WHERE case_id IN ({counted})) a"),
                    params=params, rows=options(ref, "perpetrator_action"),
                    row_header=("Biện pháp xử lý", "Action taken"), count_header=("Số vụ việc", "Cases"),
                    totals=False,
                    note=("Một vụ việc có thể có nhiều biện pháp nên không cộng dồn.",
                          "A case may have several actions, so the rows do not add up."),
                    dims=("case_actions", "action", None), **common),
        count_table(store, key="Thang loai BL", dims=("cases", "month", "type"),
                    title=("Vụ việc theo tháng tiếp nhận và loại bạo lực", "Cases by month first reported and type"),
                    unit_sql=f"SELECT {MONTH_OR_QUARTER} AS r, c.violence_type AS k, 1 AS n {cases_unit}",
                    params=params, rows=month_rows(period, _quarter_only(counted_cases)), cols=types,
                    row_header=("Tháng", "Month"), **common),
        count_table(store, key="Dan toc", dims=("cases", "ethnic_group", "sex"),
                    title=("Người bị bạo lực theo nhóm dân tộc và giới tính", "Survivors by ethnic group and sex"),
                    unit_sql=f"SELECT {ETHNIC_GROUP} AS r, c.survivor_sex AS k, 1 AS n {cases_unit}",
                    params=params, rows=ETHNIC_GROUPS, cols=sexes, row_header=("Nhóm dân tộc", "Ethnic group"),
                    note=("Chỉ phân biệt Kinh / dân tộc thiểu số (dân tộc là dữ liệu cá nhân nhạy cảm).",
                          "Only Kinh / ethnic minority (ethnic origin is sensitive personal data)."), **common),
    ]
    return tables


# --- row-level sheets -------------------------------------------------------------------------
def _quarter_only(counted: CountedCases) -> list[str]:
    """The quarters ("2025-Q2") of the counted cases that came up as a quarter only."""
    if "reported_precision" not in counted.columns:
        return []
    sql = f"SELECT DISTINCT {MONTH_OR_QUARTER} FROM {counted.table} c WHERE c.reported_precision = 'quarter'"
    return [row[0] for row in counted.session.store.execute(sql).fetchall()]


class QueryRows:
    """Rows streamed from the database each time they are iterated (a big sheet is never held whole)."""

    def __init__(self, session, sql: str, params: tuple, shape):
        self.session, self.sql, self.params, self.shape = session, sql, params, shape

    def __iter__(self):
        store = self.session.store
        with store.lock:
            cursor = store.conn.execute(self.sql, self.params)
            names = [d[0] for d in cursor.description]
            while True:
                chunk = cursor.fetchmany(2000)
                if not chunk:
                    return
                for values in chunk:
                    yield self.shape(dict(zip(names, values, strict=True)))


_MONTHS: dict[str, date] = {}


def _month(iso: str | None) -> date | None:
    """The first of the month of an ISO date or month ("2025-03-14" or "2025-03")."""
    if not iso:
        return None
    try:
        return _MONTHS[iso[:7]]
    except KeyError:
        return _MONTHS.setdefault(iso[:7], date(int(iso[:4]), int(iso[5:7]), 1))


class _Labels(dict):
    """One reference list's labels by code, as `figures.label` gives them, each looked up once."""

    def __init__(self, reference, list_name: str):
        super().__init__()
        self.reference, self.list_name = reference, list_name

    def __missing__(self, code) -> str:
        text = self[code] = label(self.reference, self.list_name, code)
        return text


def _labeller(reference):
    """`lab(list_name, code)`: `figures.label` remembered per code (row sheets look up the same codes a million
    times at a province)."""
    lists: dict[str, _Labels] = {}

    def lab(list_name: str, code) -> str:
        try:
            return lists[list_name][code]
        except KeyError:
            return lists.setdefault(list_name, _Labels(reference, list_name))[code]

    return lab


def _services_in_order(reference) -> list[str]:
    codes = [o.code for o in reference["service"].options]
    return [c for c in GBVIMS_SERVICE_ORDER if c in codes] + [c for c in codes if c not in GBVIMS_SERVICE_ORDER]


def data_sheet(session, period: Period) -> Table:
    """De-identified rows of the counted cases, columns in the GBVIMS incident recorder's order.

    Dates are months; ages are age groups; no name, address, phone, ID number
    or narrative. The incident recorder's columns that Bình An does not keep
    (displacement, camp, occupation…) are left out rather than left blank.
    """
    ref = session.reference
    counted, params = countable_cases(session, period)
    services = _services_in_order(ref)

    lab = _labeller(ref)

    columns = [
        Column("code", "Mã vụ việc (Incident ID)", "Incident ID", TEXT, 18),
        Column("reported", "Tháng tiếp nhận (Date of interview)", "Month of interview", MONTH),
        Column("incident", "Tháng xảy ra (Date of incident)", "Month of incident", MONTH),
        Column("age_band", "Nhóm tuổi người bị bạo lực", "Survivor's age group", TEXT),
        Column("sex", "Giới tính", "Sex", TEXT, 10),
        Column("ethnicity", "Dân tộc", "Clan or ethnicity", TEXT, 12),
        Column("marital", "Tình trạng hôn nhân", "Marital status", TEXT),
        Column("disability", "Khuyết tật", "Person with disability", TEXT),
        Column("time_of_day", "Thời điểm xảy ra", "Time of day of the incident", TEXT),
        Column("location", "Nơi xảy ra", "Incident location", TEXT),
        Column("type", "Loại bạo lực (GBVIMS)", "GBV type", TEXT),
        Column("elsewhere", "Đã báo cáo ở cơ quan khác", "Reported this incident elsewhere", YESNO),
        Column("perp_count", "Số người gây bạo lực", "No. of alleged perpetrators", COUNT),
        Column("perp_sex", "Giới tính người gây bạo lực", "Alleged perpetrator sex", TEXT),
        Column("perp_age", "Nhóm tuổi người gây bạo lực", "Age group of alleged perpetrator", TEXT),
        Column("relationship", "Quan hệ với người bị bạo lực", "Perpetrator–survivor relationship", TEXT),
        Column("referral_source", "Nơi giới thiệu, chuyển gửi đến", "Who referred the client", TEXT),
    ]
    columns += [Column(f"service_{code}", f"Dịch vụ: {ref['service'].label(code, 'vi')}",
                       f"Service: {ref['service'].label(code, 'en')}", TEXT) for code in services]
    columns += [
        Column("consent_reporting", "Đồng ý được thống kê", "Consent to reporting", YESNO),
        Column("channel", "Nguồn phát hiện", "How the case came to light", TEXT),
        Column("delay", "Thời gian đến khi trình báo", "Reporting delay", TEXT),
        Column("ipv", "Bạo lực do bạn đời", "Intimate-partner violence", YESNO),
        Column("csa", "Xâm hại tình dục người dưới 18 tuổi", "Sexual abuse of a person under 18", YESNO),
        Column("early_marriage", "Kết hôn khi dưới 18 tuổi", "Marriage under 18", YESNO),
        Column("actions", "Xử lý người gây bạo lực", "Action on the perpetrator", TEXT, 30),
        Column("safety_plan", "Có kế hoạch an toàn", "Safety plan", YESNO),
        Column("status", "Trạng thái", "Status", TEXT),
        # The caseworker's facts (issue 18.9), under the incident recorder's names; empty for cases received
        # from below (they stay at the commune that recorded them).
        Column("occupation", "Nghề nghiệp", "Occupation", TEXT),
        Column("residence", "Tình trạng cư trú", "Displacement status at report", TEXT),
        Column("nationality", "Quốc tịch", "Nationality", TEXT),
        Column("children", "Số con trong gia đình", "No. of children and dependants", COUNT),
        Column("money", "Có trao đổi tiền, hàng hóa", "Were money, goods, benefits exchanged?", TEXT),
        Column("abduction", "Bắt cóc, mua bán người", "Type of abduction", TEXT),
        Column("weapon", "Hung khí", "Weapon used", TEXT),
        Column("perp_previous", "Người gây bạo lực đã từng gây bạo lực", "Perpetrator's previous violence", TEXT),
    ]
    # One look-up per part table and case (a province has 40 000 cases a year): the first perpetrator's
    # fields joined by U+001F, the services as "service=status,…"; codes are snake_case (checked on load).
    # A case code begins with the code of the unit that recorded it: only this node's own cases show theirs.
    sql = (
        "SELECT CASE WHEN c.origin = ? THEN c.code END AS code, c.reported_on, c.incident_on, c.survivor_age_band,"
        " c.survivor_sex, c.ethnicity,"
        " c.marital_status, c.disability, c.time_of_day, c.location_type, c.violence_type, c.reported_elsewhere,"
        " c.perpetrator_count, c.referral_source, c.disclosure_channel, c.delay_band, c.ctx_intimate_partner,"
        " c.ctx_child_sexual_abuse, c.ctx_early_marriage, c.safety_plan, c.status,"
        " c.survivor_occupation, c.residence_status, c.nationality, c.children_count, c.money_exchanged,"
        " c.abduction, c.weapon, c.perpetrator_previous,"
        " (SELECT coalesce(p.sex, '') || char(31) || coalesce(p.age_group, '') || char(31)"
        "   || coalesce(p.relationship, '') FROM case_perpetrators p WHERE p.case_id = c.id"
        "   ORDER BY p.idx LIMIT 1) AS perp,"
        " (SELECT group_concat(a.action, ',') FROM (SELECT DISTINCT action FROM case_perpetrator_actions"
        "   WHERE case_id = c.id ORDER BY action) a) AS actions,"
        " (SELECT group_concat(s.service || '=' || s.status, ',') FROM case_services s WHERE s.case_id = c.id)"
        "   AS services"
        f" FROM cases c WHERE c.id IN ({counted})"
        # Others' cases by id (time-ordered), not by code: the order of the rows must not group them by unit.
        " ORDER BY c.reported_on, CASE WHEN c.origin = ? THEN c.code ELSE c.id END"
    )
    no_perpetrator = (None, None, None)

    def shape(r: dict) -> list:
        perp_sex, perp_age, rel = r["perp"].split("\x1f") if r["perp"] is not None else no_perpetrator
        status = dict(item.split("=", 1) for item in r["services"].split(",")) if r["services"] else {}
        row = [r["code"], _month(r["reported_on"]), _month(r["incident_on"]),
               lab("age_band", r["survivor_age_band"]), lab("sex", r["survivor_sex"]),
               lab("ethnicity", r["ethnicity"]), lab("marital_status", r["marital_status"]),
               lab("disability", r["disability"]), lab("time_of_day", r["time_of_day"]),
               lab("location_type", r["location_type"]), lab("violence_type", r["violence_type"]),
               bool(r["reported_elsewhere"]), r["perpetrator_count"], lab("sex", perp_sex),
               lab("age_band", perp_age), lab("relationship", rel),
               lab("disclosure_channel", r["referral_source"])]
        row += [lab("service_status", status.get(code)) for code in services]
        actions = [lab("perpetrator_action", a) for a in (r["actions"] or "").split(",") if a]
        row += [True, lab("disclosure_channel", r["disclosure_channel"]), lab("reporting_delay_band", r["delay_band"]),
                bool(r["ctx_intimate_partner"]), bool(r["ctx_child_sexual_abuse"]), bool(r["ctx_early_marriage"]),
                "; ".join(actions) or label(ref, "perpetrator_action", None), bool(r["safety_plan"]),
                lab("case_status", r["status"])]
        row += [lab("occupation", r["survivor_occupation"]), lab("residence_status", r["residence_status"]),
                lab("nationality", r["nationality"]), r["children_count"], lab("yes_no_unknown", r["money_exchanged"]),
                lab("abduction_status", r["abduction"]), lab("weapon", r["weapon"]),
                lab("yes_no_unknown", r["perpetrator_previous"])]
        return row

    return Table(key="Du lieu", title_vi="Dữ liệu vụ việc đã bỏ thông tin nhận dạng (thứ tự cột theo GBVIMS)",
                 title_en="De-identified case data (GBVIMS incident recorder column order)",
                 columns=columns, rows=QueryRows(session, sql, (session.node_info.id, *params, session.node_info.id),
                                                 shape), big=True,
                 note_vi="Mỗi dòng một vụ việc được thống kê; ngày ghi theo tháng. Mã vụ việc chỉ ghi với vụ việc do "
                         "đơn vị này ghi nhận.",
                 note_en="One row per counted case; dates as months. Case codes only for the cases this node "
                         "recorded.")


def register_table(session, period: Period) -> Table:
    """The de-identified case register: one row per counted case, as the officer manages it."""
    ref = session.reference
    counted, params = countable_cases(session, period)

    lab = _labeller(ref)

    columns = [
        Column("no", "STT", "No.", COUNT, 7),
        Column("code", "Mã vụ việc", "Case code", TEXT, 18),
        Column("reported", "Tháng tiếp nhận", "Month first reported", MONTH),
        Column("status", "Trạng thái", "Status", TEXT),
        Column("type", "Loại bạo lực", "Type of violence", TEXT),
        Column("age_band", "Nhóm tuổi", "Age group", TEXT),
        Column("sex", "Giới tính", "Sex", TEXT, 10),
        Column("location", "Nơi xảy ra", "Location type", TEXT),
        Column("perp_count", "Số người gây bạo lực", "Perpetrators", COUNT),
        Column("relationship", "Quan hệ (người gây bạo lực thứ nhất)", "Relationship (first perpetrator)", TEXT),
        Column("services", "Dịch vụ đã cung cấp hoặc đã được hỗ trợ", "Services provided or received", TEXT, 36),
        Column("referrals", "Số lượt chuyển tuyến", "Referrals", COUNT),
        Column("referrals_received", "Số lượt chuyển tuyến được tiếp nhận", "Referrals received", COUNT),
        Column("actions", "Xử lý người gây bạo lực", "Action on the perpetrator", TEXT, 30),
        Column("perp_handled", "Người gây bạo lực đã được xử lý", "Perpetrator dealt with", YESNO),
        Column("safety_plan", "Có kế hoạch an toàn", "Safety plan", YESNO),
        Column("next_follow_up", "Tháng theo dõi tiếp theo", "Next follow-up (month)", MONTH),
        Column("closed", "Tháng kết thúc", "Month closed", MONTH),
    ]
    helped = [o.code for o in ref["service_status"].options if o.extra.get("helped")]
    received = [o.code for o in ref["referral_outcome"].options if o.extra.get("helped")]
    marks_h = ",".join("?" for _ in helped) or "NULL"
    marks_r = ",".join("?" for _ in received) or "NULL"
    sql = (
        "SELECT CASE WHEN c.origin = ? THEN c.code END AS code, c.reported_on, c.status, c.violence_type,"
        " c.survivor_age_band, c.survivor_sex,"
        " c.location_type, c.perpetrator_count, c.safety_plan, c.next_follow_up, c.closed_on,"
        " (SELECT p.relationship FROM case_perpetrators p WHERE p.case_id = c.id ORDER BY p.idx LIMIT 1) AS rel,"
        f" (SELECT group_concat(s.service, ',') FROM case_services s WHERE s.case_id = c.id"
        f"   AND s.status IN ({marks_h})) AS services,"
        " (SELECT count(*) FROM case_referrals x WHERE x.case_id = c.id) AS referrals,"
        f" (SELECT count(*) FROM case_referrals x WHERE x.case_id = c.id AND x.outcome IN ({marks_r})) AS received,"
        " (SELECT group_concat(a.action, ',') FROM (SELECT DISTINCT action FROM case_perpetrator_actions"
        "   WHERE case_id = c.id ORDER BY action) a) AS actions"
        f" FROM cases c WHERE c.id IN ({counted})"
        # Others' cases by id (time-ordered), not by code: the order of the rows must not group them by unit.
        " ORDER BY c.reported_on, CASE WHEN c.origin = ? THEN c.code ELSE c.id END"
    )
    numbering = {"n": 0}

    def shape(r: dict) -> list:
        numbering["n"] += 1
        services = [lab("service", s) for s in (r["services"] or "").split(",") if s]
        actions = [lab("perpetrator_action", a) for a in (r["actions"] or "").split(",") if a]
        return [numbering["n"], r["code"], _month(r["reported_on"]), lab("case_status", r["status"]),
                lab("violence_type", r["violence_type"]), lab("age_band", r["survivor_age_band"]),
                lab("sex", r["survivor_sex"]), lab("location_type", r["location_type"]), r["perpetrator_count"],
                lab("relationship", r["rel"]), "; ".join(services) or "Chưa có", r["referrals"], r["received"],
                "; ".join(actions) or "Chưa có", bool(actions), bool(r["safety_plan"]),
                _month(r["next_follow_up"]), _month(r["closed_on"])]

    class Numbered(QueryRows):
        def __iter__(self):
            numbering["n"] = 0
            return super().__iter__()

    return Table(key="So theo doi", title_vi="Sổ theo dõi vụ việc (đã bỏ thông tin nhận dạng)",
                 title_en="Case register (de-identified)", columns=columns,
                 rows=Numbered(session, sql, (session.node_info.id, *helped, *received, *params, session.node_info.id),
                              shape), big=True,
                 note_vi="Mỗi dòng một vụ việc được thống kê trong kỳ; ngày ghi theo tháng. Mã vụ việc chỉ ghi với "
                         "vụ việc do đơn vị này ghi nhận.",
                 note_en="One row per counted case of the period; dates as months. Case codes only for the cases "
                         "this node recorded.")


__all__ = ["data_notes", "data_sheet", "register_table", "statistics_tables", "yes_no"]
