"""Reads of the enterprise library, always through these functions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import Prefetch, Q, QuerySet

from cnstd.industries import SECTIONS, section_of
from cnstd.uscc import validate_uscc
from huiqi.core.regions import region_within_q

from .models import (
    CorrectionRequest,
    DataStatus,
    Enterprise,
    EnterpriseFlag,
    EnterpriseQualification,
    YearFigure,
)
from .values import (
    CORRECTABLE_STATIC,
    STATIC_FIELDS,
    FieldPath,
    display_value,
    from_storage_text,
    parse_field_path,
)


def json_number(value: Decimal | None) -> int | str | None:
    """Money and counts as JSON: an integer when whole, else an exact decimal string (never float)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return str(value.normalize())


def profile_of(enterprise: Enterprise, *, include_private: bool = True) -> dict[str, Any]:
    """The enterprise profile of RULES.md §2. Unknown is absent, never zero or false.

    `include_private=False` keeps only public facts (registration data, public qualification
    lists, public credit lists) for 一键匹配 without login. Expects figures, qualifications and
    flags prefetched (see `profiles_queryset`) when called in bulk."""
    held = enterprise.qualifications.all() if enterprise.qualifications_source else ()
    return profile_from(
        enterprise, figures=enterprise.figures.all() if include_private else (),
        qualifications=[(q.qualification.code, q.qualification.is_public, q.valid_from, q.valid_to) for q in held],
        flags=[(f.flag, f.value) for f in enterprise.flags.all()], include_private=include_private)


def profile_from(enterprise: Enterprise, *, figures: Iterable[YearFigure],
                 qualifications: Iterable[tuple[str, bool, date | None, date | None]],
                 flags: Iterable[tuple[str, bool]], include_private: bool = True) -> dict[str, Any]:
    """profile_of from the enterprise's static fields and its rows already read: qualifications as
    (code, is_public, valid_from, valid_to), flags as (flag, value)."""
    profile: dict[str, Any] = {"uscc": enterprise.uscc, "name": enterprise.name, "region": enterprise.region}
    if enterprise.industry:
        profile["industry"] = enterprise.industry
    if enterprise.established_on:
        profile["established_on"] = enterprise.established_on.isoformat()
    if enterprise.registered_capital is not None:
        profile["registered_capital"] = json_number(enterprise.registered_capital)
    if enterprise.ownership:
        profile["ownership"] = enterprise.ownership
    if enterprise.listed:
        profile["listed"] = enterprise.listed
    if include_private:
        years: dict[str, dict[str, Any]] = {}
        for figure in figures:
            value = figure.value_text if figure.field in YearFigure.TEXT_FIELDS else json_number(figure.value_number)
            if value is not None and value != "":
                years.setdefault(str(figure.year), {})[figure.field] = value
        if years:
            profile["years"] = dict(sorted(years.items()))
    if enterprise.qualifications_source:
        profile["qualifications"] = [
            {
                "code": code,
                "valid_from": valid_from.isoformat() if valid_from else None,
                "valid_to": valid_to.isoformat() if valid_to else None,
            }
            for code, is_public, valid_from, valid_to in qualifications
            if include_private or is_public
        ]
    flag_values = dict(flags)
    if flag_values:
        profile["flags"] = flag_values
    return profile


# What a public profile reads of the enterprise itself (in the model's field order, as
# Model.from_db wants them); its other fields stay deferred.
PUBLIC_COLUMNS = tuple(f.attname for f in Enterprise._meta.concrete_fields if f.attname in {
    "id", "uscc", "name", "region", "industry", "established_on", "registered_capital", "ownership", "listed",
    "qualifications_source"})
_PUBLIC_RELATED = ("flags__flag", "flags__value", "qualifications__id", "qualifications__qualification__code",
                   "qualifications__qualification__is_public", "qualifications__valid_from",
                   "qualifications__valid_to")
_USCC_PARAM, _NAME_PARAM = "\x00uscc", "\x00name"
_public_statements: dict[str, tuple[str, list[str], Any, list[Any]]] = {}


def _public_statement(using: str) -> tuple[str, list[str], Any, list[Any]]:
    """The SQL of public_profiles_exact, compiled by the ORM once per database (compiling costs
    more than running it): statement, parameter order, compiler and its value converters."""
    found = _public_statements.get(using)
    if found is None:
        qs = (Enterprise.objects.using(using).order_by().filter(Q(uscc=_USCC_PARAM) | Q(name=_NAME_PARAM))
              .values_list(*PUBLIC_COLUMNS, *_PUBLIC_RELATED))
        compiler = qs.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
        found = _public_statements[using] = (sql, [str(p) for p in params], compiler, converters)
    return found


def public_profiles_exact(*, uscc: str | None, name: str, using: str = "default") -> list[tuple[Enterprise, dict[str, Any]]]:
    """Enterprises whose 信用代码 is exactly ``uscc`` or whose name is exactly ``name``, each with its
    public profile (profile_of(include_private=False)), in one query: the enterprise joined with
    its flags and qualifications. Each Enterprise holds PUBLIC_COLUMNS (the others load when
    read). A ``uscc`` of None matches no code."""
    sql, order, compiler, converters = _public_statement(using)
    values = {_USCC_PARAM: uscc, _NAME_PARAM: name}
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [values[p] for p in order])
        rows: Iterable[Any] = cursor.fetchall()
    if converters:
        rows = compiler.apply_converters(rows, converters)
    width = len(PUBLIC_COLUMNS)
    found: dict[int, tuple[Enterprise, dict[str, tuple[str, bool]], dict[int, tuple[Any, ...]]]] = {}
    for row in rows:
        pk = row[0]
        if pk not in found:
            found[pk] = (Enterprise.from_db(using, PUBLIC_COLUMNS, row[:width]), {}, {})
        _enterprise, flags, held = found[pk]
        flag, flag_value, held_id, code, is_public, valid_from, valid_to = row[width:]
        if flag is not None:
            flags[flag] = (flag, flag_value)
        if held_id is not None:
            held[held_id] = (code, is_public, valid_from, valid_to)
    return [(enterprise, profile_from(enterprise, figures=(), qualifications=[held[k] for k in sorted(held)],
                                      flags=flags.values(), include_private=False))
            for enterprise, flags, held in found.values()]


def profiles_queryset(queryset: QuerySet[Enterprise] | None = None) -> QuerySet[Enterprise]:
    base = queryset if queryset is not None else Enterprise.objects.all()
    return base.prefetch_related(
        Prefetch("figures", queryset=YearFigure.objects.order_by("year", "field")),
        Prefetch("qualifications", queryset=EnterpriseQualification.objects.select_related("qualification")),
        Prefetch("flags", queryset=EnterpriseFlag.objects.all()),
    )


def iter_profiles(queryset: QuerySet[Enterprise] | None = None, *, chunk_size: int = 2000,
                  include_private: bool = True) -> Iterator[dict[str, Any]]:
    qs = profiles_queryset(queryset).order_by("pk")
    for enterprise in qs.iterator(chunk_size=chunk_size):
        yield profile_of(enterprise, include_private=include_private)


def profile_tables(queryset: QuerySet[Enterprise], *, include_private: bool = True,
                   batch: int = 20000) -> tuple[set[int], Iterator[Any]]:
    """Profiles as Arrow tables of ``batch`` enterprises each (``rules.arrow_io.profiles_table``,
    figures as exact decimals), in primary-key order, with the years they cover: what
    `huiqi profile export --out X.parquet` writes and what the worker's full run matches."""
    from rules.arrow_io import profiles_table

    years = set(YearFigure.objects.filter(enterprise__in=queryset).values_list("year", flat=True).distinct())

    def tables() -> Iterator[Any]:
        pending: list[dict[str, Any]] = []
        sent = False
        for profile in iter_profiles(queryset, include_private=include_private):
            pending.append(profile)
            if len(pending) >= batch:
                yield profiles_table(pending, years)
                pending, sent = [], True
        if pending or not sent:
            yield profiles_table(pending, years)

    return years, tables()


def profile_frame(queryset: QuerySet[Enterprise], *, on: date) -> Any:
    """The enterprises' profiles as a ``rules.frame.ProfileFrame`` through the same vectorised
    reader as a Parquet export (rows in primary-key order)."""
    import pyarrow as pa

    from rules.arrow_io import Irregular, frame_from_table
    from rules.frame import ProfileFrame

    _years, tables = profile_tables(queryset)
    table = pa.concat_tables(list(tables))
    try:
        return frame_from_table(table, on=on)
    except Irregular:
        # A stored value the vectorised reader does not take as is (e.g. a figure with more
        # decimals than it keeps): the line-by-line builder reads it or names it.
        return ProfileFrame.from_profiles(table.to_pylist(), on=on)


def enterprise_list(*, viewer: Any, q: str = "", region: str = "", industry: str = "") -> QuerySet[Enterprise]:
    """Enterprises a government viewer may see, filtered. Region scoping follows access rules."""
    qs = Enterprise.objects.all()
    if getattr(viewer, "region", ""):
        qs = qs.filter(region_within_q(viewer.region))
    if region:
        qs = qs.filter(region_within_q(region))
    if industry:
        qs = enterprises_in_industry(qs, industry)
    if q:
        text = q.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(uscc__startswith=text.upper()))
    return qs.order_by("name")


def enterprises_in_industry(qs: QuerySet[Enterprise], code: str) -> QuerySet[Enterprise]:
    """Within a section letter (by its major-class range) or a 2/3/4-digit class (by prefix)."""
    code = code.strip().upper()
    if code in SECTIONS:
        majors = [m for m in range(1, 100) if section_of(f"{m:02d}") == code]
        condition = Q()
        for major in majors:
            condition |= Q(industry__startswith=f"{major:02d}")
        return qs.filter(condition) if majors else qs.none()
    return qs.filter(industry__startswith=code)




# ---------------------------------------------------------------------------------------------
# What the profile pages show: every value with where it came from.

_STATUS_BADGE: dict[str, str] = {DataStatus.OFFICIAL: "ok", DataStatus.SELF_REPORTED: "warn", DataStatus.CONFIRMED: "ok"}


def _hint(target: FieldPath) -> str:
    if target.kind == "flag":
        return "填“是”或“否”"
    if target.kind == "year":
        if target.name in YearFigure.MONEY_FIELDS:
            return "单位万元，如 3500（也可写 1.2亿元）"
        if target.name in YearFigure.COUNT_FIELDS:
            return "整数"
        return "A、B、M、C、D"
    return {
        "registered_capital": "单位万元，如 1000", "established_on": "如 2015-06-01",
        "region": "如 泉州市晋江市", "industry": "4位行业代码，如 3971",
        "ownership": "民营、国有、外资、港澳台资、集体、其他",
        "listed": "未上市、新三板、北交所、科创板、创业板、主板、境外上市",
    }.get(target.name, "")


def _row(target: FieldPath, value: object, *, source: str, as_of: object, status: str,
         pending: dict[str, CorrectionRequest]) -> dict[str, Any]:
    known = value is not None and value != ""
    return {
        "path": target.path, "known": known,
        "label": YearFigure.FIELDS[target.name] if target.kind == "year" else target.label,
        "value": display_value(target, value) if known else "未知",
        "source": source if known else "",
        "as_of": (as_of.isoformat() if isinstance(as_of, date) else as_of) if known else None,
        "status": str(DataStatus(status).label) if known and status in DataStatus.values else "",
        "badge": _STATUS_BADGE.get(status, "") if known else "",
        "hint": _hint(target), "pending": pending.get(target.path),
        "pending_value": proposed_display(pending[target.path]) if target.path in pending else "",
        "correctable": target.kind != "static" or target.name in CORRECTABLE_STATIC,
    }


def profile_page(enterprise: Enterprise, *, viewer: Any, today: date) -> dict[str, Any]:
    """Everything the detail and 我的企业档案 pages show, with provenance per value. Only call
    after an access_* check has allowed ``viewer`` to see the enterprise."""
    pending = {c.field_path: c for c in enterprise.corrections.filter(status=CorrectionRequest.Status.PENDING)}
    sources = enterprise.sources or {}
    static_rows = []
    for name in STATIC_FIELDS:
        prov = sources.get(name) or {}
        static_rows.append(_row(FieldPath("static", name), getattr(enterprise, name), source=prov.get("source", ""),
                                as_of=prov.get("as_of"), status=prov.get("status", DataStatus.OFFICIAL),
                                pending=pending))
    by_year: dict[int, dict[str, YearFigure]] = {}
    for figure in enterprise.figures.all():
        by_year.setdefault(figure.year, {})[figure.field] = figure
    years = []
    for year in sorted(by_year, reverse=True):
        rows = []
        for name in YearFigure.FIELDS:
            fig = by_year[year].get(name)
            rows.append(_row(FieldPath("year", name, year), fig.value if fig else None,
                             source=fig.source if fig else "", as_of=fig.as_of if fig else None,
                             status=fig.status if fig else "", pending=pending))
        years.append({"year": year, "rows": rows})
    flags = {f.flag: f for f in enterprise.flags.all()}
    flag_rows = [
        _row(FieldPath("flag", name), flags[name].value if name in flags else None,
             source=flags[name].source if name in flags else "", as_of=flags[name].as_of if name in flags else None,
             status=DataStatus.OFFICIAL, pending=pending)
        for name in EnterpriseFlag.FLAGS
    ]
    qualifications = [
        {
            "name": q.qualification.name, "code": q.qualification.code, "certificate_no": q.certificate_no,
            "valid_from": q.valid_from, "valid_to": q.valid_to, "source": q.source, "as_of": q.as_of,
            "valid_today": (q.valid_from is None or q.valid_from <= today) and (q.valid_to is None or today <= q.valid_to),
        }
        for q in enterprise.qualifications.select_related("qualification").order_by("qualification__code", "-valid_from")
    ]
    check = validate_uscc(enterprise.uscc)
    return {
        "enterprise": enterprise,
        "uscc_check": check,
        "uscc_flagged": not check.check_ok,
        "static_rows": static_rows,
        "years": years,
        "flag_rows": flag_rows,
        "qualifications": qualifications,
        "qualifications_known": bool(enterprise.qualifications_source),
        "pending": correction_rows(pending.values()),
        "year_fields": list(YearFigure.FIELDS.items()),
    }


def corrections_pending(*, viewer: Any) -> QuerySet[CorrectionRequest]:
    """Pending 纠错 requests of enterprises inside the viewer's region (officers decide them)."""
    qs = CorrectionRequest.objects.filter(status=CorrectionRequest.Status.PENDING).select_related(
        "enterprise", "requested_by")
    region = getattr(viewer, "region", "")
    if region:
        qs = qs.filter(pk__in=CorrectionRequest.objects.filter(
            enterprise__in=Enterprise.objects.filter(region_within_q(region))).values("pk"))
    return qs.order_by("requested_at")


def proposed_display(correction: CorrectionRequest) -> str:
    """The requested value as people read it (1,500 万元 rather than 15000000)."""
    try:
        target = parse_field_path(correction.field_path)
        return display_value(target, from_storage_text(target, correction.proposed_value))
    except (ValueError, ArithmeticError):
        return correction.proposed_value


def correction_rows(corrections: Iterable[CorrectionRequest]) -> list[dict[str, Any]]:
    rows = []
    for c in corrections:
        try:
            label = parse_field_path(c.field_path).label
        except ValueError:
            label = c.field_path
        rows.append({"c": c, "label": label, "proposed": proposed_display(c)})
    return rows
