"""Writes the demo data set into the database in one transaction.

Enterprises and their figures go in with bulk_create (tens of thousands of rows); policy items go
through `policy_item_create` and `workflow.transition` so that their rules are validated and their
status history is real. The load as a whole leaves one `demo.load` audit event with its counts."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from cnstd.regions import region_name
from huiqi.accounts.models import Department, Role, User
from huiqi.audit.services import audit_record
from huiqi.enterprises.models import (
    Enterprise,
    EnterpriseFlag,
    EnterpriseQualification,
    Qualification,
    YearFigure,
)
from huiqi.policies import workflow
from huiqi.policies.models import PolicyItem
from huiqi.policies.services import library_version_bump, policy_document_create, policy_item_create

from .catalogue import DEPARTMENT_KINDS, PROVINCE, QUALIFICATIONS, department_name
from .commitments import seed_commitments
from .enterprises import (
    FIGURE_AS_OF,
    FIGURE_SOURCES,
    FLAG_AS_OF,
    PREFECTURES,
    QUAL_AS_OF,
    EnterpriseSpec,
    counties_of,
    generate_enterprises,
)
from .inflight import seed_applications, seed_cash_promises
from .policies import COMMITMENTS, DocumentSpec, ItemSpec, documents, window_for
from .supervision import seed_supervision
from .tickets import seed_tickets

DEMO_PASSWORD = "Huiqi@2026demo"
DEFAULT_ENTERPRISES = 2400
DEFAULT_SEED = 2026
FLAG_SOURCES = {"dishonest": "信用中国", "abnormal_operation": "市场监管", "major_violation_3y": "信用中国"}
# 免申即享: money within 5 working days of the confirmed list (3 days of 公示 + 2 to pay), as the
# seeds promise (000 case 19); 即申即享: 40 working days from acceptance to cash (120 → 40).
CASH_DAYS = {"免申即享": 2, "即申即享": 40, "申报审核": 60}
PUBLICITY_DAYS = {"免申即享": 3, "即申即享": 5, "申报审核": 7}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    display_name: str
    region: str = ""
    department: tuple[str, str] | None = None  # (region, kind)
    enterprise_index: int | None = None
    note: str = ""


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("qiye_hengxin", Role.ENTERPRISE, "陈经理（恒鑫鞋业）", enterprise_index=0,
                note="晋江规上鞋企：高企、专精特新，匹配事项多"),
    DemoAccount("qiye_luchuang", Role.ENTERPRISE, "李总（鹭创数字）", enterprise_index=1,
                note="厦门软件初创企业：科技型中小企业"),
    DemoAccount("qiye_fengyuan", Role.ENTERPRISE, "黄会计（丰源石材）", enterprise_index=2,
                note="南安小微企业：缺2025年数据、资质未知"),
    DemoAccount("officer_qz", Role.OFFICER, "林晓（泉州市工信局）", "350500", ("350500", "工信"),
                note="市级政策专员"),
    DemoAccount("officer_jj", Role.OFFICER, "许婷（晋江市工信局）", "350582", ("350582", "工信"),
                note="县级政策专员"),
    # The automatic 督办 orders of the demo's index history go to 南安, 莆田 and 南平: each needs an
    # officer there who can sign for it and report the 整改 (test_demo_decidable).
    DemoAccount("officer_na", Role.OFFICER, "陈专员（南安市工信局）", "350583", ("350583", "工信"),
                note="县级政策专员：督办整改"),
    DemoAccount("officer_pt", Role.OFFICER, "林专员（莆田市工信局）", "350300", ("350300", "工信"),
                note="市级政策专员：督办整改"),
    DemoAccount("officer_np", Role.OFFICER, "黄专员（南平市工信局）", "350700", ("350700", "工信"),
                note="市级政策专员：督办整改"),
    DemoAccount("reviewer_qz", Role.REVIEWER, "王审核（泉州市工信局）", "350500", ("350500", "工信"),
                note="泉州市审核人员"),
    DemoAccount("reviewer_qzkj", Role.REVIEWER, "吴审核（泉州市科技局）", "350500", ("350500", "科技"),
                note="泉州市科技事项审核"),
    DemoAccount("reviewer_jj", Role.REVIEWER, "施审核（晋江市工信局）", "350582", ("350582", "工信"),
                note="晋江市审核人员"),
    DemoAccount("reviewer_na", Role.REVIEWER, "洪审核（南安市商务局）", "350583", ("350583", "商务"),
                note="南安市商务事项审核"),
    DemoAccount("reviewer_fj", Role.REVIEWER, "郑审核（福建省工信厅）", PROVINCE, (PROVINCE, "工信"),
                note="全省审核人员（演示事项由其审核发布）"),
    DemoAccount("finance_qz", Role.FINANCE, "蔡会计（泉州市财政局）", "350500", ("350500", "财政"),
                note="泉州市财政拨付"),
    DemoAccount("fenban_qz", Role.OFFICER, "吴分办（泉州市营商办）", "350500",
                note="企呼我应：泉州诉求分办、审批延期"),
    DemoAccount("finance_jj", Role.FINANCE, "蔡出纳（晋江市财政局）", "350582", ("350582", "财政"),
                note="晋江市财政复核、拨付"),
    DemoAccount("finance_na", Role.FINANCE, "傅出纳（南安市财政局）", "350583", ("350583", "财政"),
                note="南安市财政复核、拨付"),
    DemoAccount("supervisor_fj", Role.SUPERVISOR, "督查专员（省效能办）", PROVINCE, note="全省督查"),
    DemoAccount("sysadmin", Role.SYSADMIN, "系统管理员", note="三员：账号管理"),
    DemoAccount("secadmin", Role.SECADMIN, "安全管理员", note="三员：安全策略、解锁"),
    DemoAccount("auditor", Role.AUDITOR, "审计管理员", note="三员：审计日志"),
)


@dataclass
class LoadReport:
    skipped: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    accounts: list[tuple[str, str, str, str]] = field(default_factory=list)  # username, role, bound to, note
    seconds: float = 0.0


class DemoLoadError(Exception):
    pass


def demo_regions() -> list[str]:
    regions = [PROVINCE]
    for prefecture in PREFECTURES:
        regions.append(prefecture)
        regions.extend(counties_of(prefecture))
    return regions


def _ensure_departments() -> tuple[dict[tuple[str, str], Department], int]:
    wanted = {(department_name(region, kind), region, kind) for region in demo_regions() for kind in DEPARTMENT_KINDS}
    existing = {(d.name, d.region): d for d in Department.objects.all()}
    missing = [Department(name=n, region=r, kind=k) for n, r, k in sorted(wanted) if (n, r) not in existing]
    Department.objects.bulk_create(missing, batch_size=500)
    by_name = {(d.name, d.region): d for d in Department.objects.all()}
    return {(r, k): by_name[(n, r)] for n, r, k in wanted}, len(missing)


def _ensure_qualifications() -> tuple[dict[str, Qualification], int]:
    existing = {q.code: q for q in Qualification.objects.all()}
    missing = [Qualification(code=c, name=n, level=lv, validity_years=y, issuer=issuer)
               for c, n, lv, y, issuer in QUALIFICATIONS if c not in existing]
    Qualification.objects.bulk_create(missing)
    library_version_bump()  # the catalogue decides what 一键匹配 may show; bulk_create sends no post_save
    return {q.code: q for q in Qualification.objects.all()}, len(missing)


def _write_enterprises(specs: list[EnterpriseSpec], catalogue: dict[str, Qualification]) -> tuple[list[Enterprise], int, int, int]:
    rows = [
        Enterprise(
            uscc=s.uscc, name=s.name, region=s.region, industry=s.industry, established_on=s.established_on,
            registered_capital=s.registered_capital, ownership=s.ownership, listed=s.listed,
            legal_representative=s.legal_representative, contact_phone=s.contact_phone, address=s.address,
            contact_email=s.contact_email, sources=s.static_sources(),
            qualifications_source="科技、工信、统计" if s.has_qualification_data else "",
            qualifications_as_of=QUAL_AS_OF if s.has_qualification_data else None,
        )
        for s in specs
    ]
    created = Enterprise.objects.bulk_create(rows, batch_size=500)
    if any(e.pk is None for e in created):  # backends without RETURNING: read the keys back
        by_code = dict(Enterprise.objects.filter(uscc__in=[s.uscc for s in specs]).values_list("uscc", "pk"))
        for e in created:
            e.pk = by_code[e.uscc]
    figures: list[YearFigure] = []
    quals: list[EnterpriseQualification] = []
    flags: list[EnterpriseFlag] = []
    for enterprise, spec in zip(created, specs, strict=True):
        for year, values in spec.years.items():
            for name, value in values.items():
                text = name in YearFigure.TEXT_FIELDS
                figures.append(YearFigure(
                    enterprise_id=enterprise.pk, year=year, field=name,
                    value_number=None if text else Decimal(value),
                    value_text=str(value) if text else "",
                    source=FIGURE_SOURCES[name], as_of=FIGURE_AS_OF[year]))
        for q in spec.qualifications:
            quals.append(EnterpriseQualification(
                enterprise_id=enterprise.pk, qualification=catalogue[q.code], certificate_no=q.certificate_no,
                valid_from=q.valid_from, valid_to=q.valid_to, source=q.source, as_of=QUAL_AS_OF))
        for flag, value in spec.flags.items():
            flags.append(EnterpriseFlag(enterprise_id=enterprise.pk, flag=flag, value=value,
                                        source=FLAG_SOURCES[flag], as_of=FLAG_AS_OF))
    YearFigure.objects.bulk_create(figures, batch_size=2000)
    EnterpriseQualification.objects.bulk_create(quals, batch_size=2000)
    EnterpriseFlag.objects.bulk_create(flags, batch_size=2000)
    return created, len(figures), len(quals), len(flags)


def _write_accounts(enterprises: list[Enterprise],
                    departments: dict[tuple[str, str], Department]) -> tuple[dict[str, User], list[tuple[str, str, str, str]]]:
    users: dict[str, User] = {}
    table: list[tuple[str, str, str, str]] = []
    for spec in ACCOUNTS:
        enterprise = enterprises[spec.enterprise_index] if spec.enterprise_index is not None else None
        department = departments[spec.department] if spec.department else None
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(username=spec.username, role=spec.role, display_name=spec.display_name, region=spec.region,
                        department=department, enterprise=enterprise)
            validate_password(DEMO_PASSWORD, user)
            user.set_password(DEMO_PASSWORD)
            user.password_changed_at = timezone.now()
            user.save()
        users[spec.username] = user
        bound = enterprise.name if enterprise else (department.name if department else (
            region_name(spec.region) if spec.region else "全系统"))
        table.append((spec.username, Role(spec.role).label, bound, spec.note))
    return users, table


def _review_nodes(mode: str, *, department: str, finance: str, expert: bool) -> list[dict[str, Any]]:
    if mode == "免申即享":
        return [{"name": "名单比对核定", "role": "reviewer", "department": department, "days": 2, "warn_days": 1},
                {"name": "财政拨付", "role": "finance", "department": finance, "days": 3, "warn_days": 1}]
    if mode == "即申即享":
        return [{"name": "主管部门确认", "role": "reviewer", "department": department, "days": 3, "warn_days": 1},
                {"name": "财政复核", "role": "finance", "department": finance, "days": 3, "warn_days": 1}]
    nodes = [{"name": "主管部门初审", "role": "reviewer", "department": department, "days": 5, "warn_days": 2}]
    if expert:
        nodes.append({"name": "专家评审", "role": "reviewer", "department": department, "days": 10, "warn_days": 3})
    nodes.append({"name": "财政复核", "role": "finance", "department": finance, "days": 3, "warn_days": 1})
    return nodes


def _funding(doc: DocumentSpec, item: ItemSpec) -> str:
    if doc.dept_kind == "人社":
        return "失业保险基金" if "稳岗" in item.title else "就业补助资金"
    if doc.key.startswith("fz-gx"):
        return "省级制造业高质量发展专项转移支付资金"
    return "市级财政专项资金" if doc.level == "city" else "县（区）级财政专项资金"


def _write_policies(*, today: date, users: dict[str, User],
                    departments: dict[tuple[str, str], Department]) -> tuple[int, int, dict[str, int]]:
    reviewer = users["reviewer_fj"]
    officers = {(u.department.region, u.department.kind): u for u in users.values()
                if u.role == Role.OFFICER and u.department is not None}
    n_docs = n_items = 0
    statuses: dict[str, int] = {}
    index = 0
    for doc in documents():
        department = departments[(doc.region, doc.dept_kind)]
        actor: Any = officers.get((doc.region, doc.dept_kind), "演示数据")
        existing_codes = set(PolicyItem.objects.filter(code__in=[i.code for i in doc.items]).values_list("code", flat=True))
        if len(existing_codes) == len(doc.items):
            continue
        document = policy_document_create(
            actor=actor, title=doc.title, issuer=doc.issuer, level=doc.level, region=doc.region,
            doc_number=doc.doc_number, department=department, issued_on=doc.issued_on,
            effective_from=doc.effective_from, effective_to=doc.effective_to,
            text="\n".join(i.clause_text for i in doc.items))
        n_docs += 1
        finance = departments[(doc.region, "财政")].name
        for spec in doc.items:
            index += 1
            if spec.code in existing_codes:
                continue
            item_department = departments[(doc.region, spec.dept_kind or doc.dept_kind)]
            start, end = window_for(spec.window, today=today, index=index)
            item = policy_item_create(
                actor=actor, document=document, code=spec.code, title=spec.title, mode=spec.mode,
                conditions=spec.conditions, reward=spec.reward,
                summary=spec.summary, clause_path=spec.clause_path, clause_text=spec.clause_text,
                region=doc.region, department=item_department, target=spec.target, support_type=spec.support_type,
                tags=spec.tags, window_start=start, window_end=end, valid_from=doc.effective_from,
                valid_to=doc.effective_to, materials=spec.materials,
                commitments=[] if spec.mode == "免申即享" else COMMITMENTS, inputs=spec.inputs,
                review_nodes=_review_nodes(spec.mode, department=item_department.name, finance=finance,
                                           expert=spec.expert_review),
                reviewing_department=item_department.name, paying_department=finance,
                funding_source=_funding(doc, spec),
                budget=Decimal(spec.budget) if spec.budget is not None else None,
                per_enterprise_cap=Decimal(spec.per_enterprise_cap) if spec.per_enterprise_cap is not None else None,
                exclusive_group=spec.exclusive_group, cash_days=CASH_DAYS[spec.mode],
                publicity_days=PUBLICITY_DAYS[spec.mode], contact=doc.contact, contact_phone=doc.contact_phone,
                legal_basis=f"《{doc.title}》（{doc.doc_number}）{spec.clause_path}",
            )
            n_items += 1
            steps = {"draft": [], "reviewed": ["review"], "published": ["review", "publish"],
                     "expired": ["review", "publish", "expire"]}[spec.status]
            for step in steps:
                item = workflow.transition(actor=reviewer, item=item, name=step, note="演示数据",
                                           today=doc.issued_on if spec.status == "expired" else None)
            statuses[spec.status] = statuses.get(spec.status, 0) + 1
    return n_docs, n_items, statuses


def load_demo(*, enterprises: int = DEFAULT_ENTERPRISES, seed: int = DEFAULT_SEED, if_empty: bool = False,
              today: date | None = None, progress: Callable[[str], None] | None = None) -> LoadReport:
    """Load the demo set. Refuses a database that already has enterprises (the demo's credit codes
    would collide with them) unless `if_empty`, which turns that case into a no-op."""
    started = time.monotonic()
    say = progress or (lambda _message: None)
    if Enterprise.objects.exists():
        if if_empty:
            return LoadReport(skipped=True)
        raise DemoLoadError(f"数据库中已有 {Enterprise.objects.count()} 家企业，演示数据只能载入空库"
                            "（启动时请用 --if-empty 跳过）")
    if enterprises < 3:
        raise DemoLoadError("--enterprises 至少为 3（演示账号绑定的三家企业）")
    today = today or timezone.localdate()
    report = LoadReport()
    with transaction.atomic():
        departments, new_departments = _ensure_departments()
        catalogue, new_quals = _ensure_qualifications()
        say(f"部门 {len(departments)} 个，资质目录 {len(catalogue)} 项")
        specs = generate_enterprises(count=enterprises, seed=seed)
        created, n_figures, n_quals, n_flags = _write_enterprises(specs, catalogue)
        say(f"企业 {len(created)} 家，年度指标 {n_figures} 条，资质 {n_quals} 条，名单标记 {n_flags} 条")
        users, report.accounts = _write_accounts(created, departments)
        n_docs, n_items, statuses = _write_policies(today=today, users=users, departments=departments)
        say(f"政策文件 {n_docs} 份，政策事项 {n_items} 项")
        n_applications = seed_applications(today=today, region="350500", reviewer=users["reviewer_qz"])
        say(f"在办申报 {n_applications} 件（泉州，含红黄灯）")
        n_promises = seed_cash_promises(today=today, officer=users["officer_qz"])
        say(f"承诺兑现时限 {n_promises} 条（泉州免申即享，含临期和逾期未兑付）")
        n_tickets = seed_tickets(today=today, region="350500")
        say(f"企业诉求 {n_tickets} 件（泉州，各办理状态，含二次交办和转督办）")
        n_commitments = seed_commitments(today=today, officer=users["officer_qz"])
        say(f"政企合同承诺 {n_commitments} 条（泉州，各状态）")
        supervision = seed_supervision(today=today, users=users)
        say(f"督查指数 {supervision['index_snapshots']} 条，督办单 {supervision['supervision_orders']} 件，评价 {supervision['ratings']} 条")
        report.counts = {
            "departments_created": new_departments, "qualification_entries_created": new_quals,
            "enterprises": len(created), "year_figures": n_figures, "enterprise_qualifications": n_quals,
            "enterprise_flags": n_flags, "accounts": len(users), "documents": n_docs, "items": n_items,
            "applications": n_applications, "tickets": n_tickets, "commitments": n_commitments, **supervision,
            **{f"items_{k}": v for k, v in statuses.items()},
        }
        audit_record(actor=users["sysadmin"], action="demo.load", object_type="demo", object_id=str(seed),
                     object_repr=f"演示数据（种子 {seed}）", after=report.counts,
                     detail=f"载入演示数据：企业 {len(created)} 家，政策事项 {n_items} 项")
    report.seconds = time.monotonic() - started
    return report
