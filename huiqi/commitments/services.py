"""Every write of 承诺必践: draft a contract from its document, confirm its commitments, the daily
sweep (reminders, warnings, 催告), evidence, checks from data, application commitments, holds.
Each function is one transaction with an audit event."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from cnstd.regions import region_within
from cnstd.workdays import CalendarYearMissing
from huiqi.accounts.access import user_covers_region
from huiqi.accounts.models import Department, Role, User
from huiqi.audit.services import audit_record
from huiqi.core.deadlines import Alert, Colour, SweepReport, sweep
from huiqi.enterprises.models import Enterprise, EnterpriseFlag, YearFigure
from huiqi.notifications.services import notify
from huiqi.policies.presentation import money
from huiqi.workdays.selectors import work_calendar
from policytext.readers import DocumentError, read_document
from rules.fields import FIELDS

from . import access, workflow
from .drafting import CHECKABLE_FIELDS, DraftCommitment, draft_from_promise, draft_from_text
from .models import Commitment, Contract, Evidence, IncentiveHold

log = logging.getLogger(__name__)
S = Commitment.Status
REMINDER_DAYS = 5  # working days before the due date the responsible person is reminded
MAX_UPLOAD = 20 * 1024 * 1024
DOCUMENT_TYPES = (".txt", ".docx", ".pdf", ".html")


class CommitmentError(ValueError):
    """Refused input; ``errors`` maps a form field (or "__all__") to a Chinese message."""

    def __init__(self, errors: dict[str, str] | str) -> None:
        self.errors = {"__all__": errors} if isinstance(errors, str) else errors
        super().__init__("；".join(self.errors.values()))


@dataclass
class CommitmentInput:
    """One commitment row as the officer confirms it (strings as posted, or typed values)."""

    side: str
    content: str
    due_on: date | None = None
    recurring: bool = False
    target_field: str = ""
    target_op: str = ""
    target_value: Decimal | None = None
    target_text: str = ""
    year_from: int | None = None
    year_to: int | None = None
    responsible_id: int | None = None
    clause_path: str = ""
    clause_text: str = ""
    pk: int | None = None


def field_label(name: str) -> str:
    if name == "region":
        return "注册地"
    if name == "flags":
        return "信用记录"
    f = FIELDS.get(name)
    return f.label if f else name


def target_words(c: Commitment | CommitmentInput) -> str:
    if not c.target_field:
        return ""
    if c.target_field == "flags":
        return f"不被列入{EnterpriseFlag.FLAGS.get(c.target_text, c.target_text)}"
    if c.target_field == "region":
        return "不迁出注册地"
    op = dict(Commitment.Op.choices).get(c.target_op, c.target_op)
    value = c.target_value
    unit = FIELDS[c.target_field].unit if c.target_field in FIELDS else ""
    shown = money(value) if unit == "元" else f"{value:,.0f}{unit}" if value is not None else ""
    years = ""
    if c.year_from:
        years = f"（{c.year_from}年度起每年）" if c.recurring else f"（{c.year_from}年度）"
    return f"{field_label(c.target_field)}{op}{shown}{years}"


# -- drafting and confirming -------------------------------------------------------------------


def _recurring_due(d: DraftCommitment) -> None:
    if d.recurring and d.due_on is None and d.year_from:
        d.due_on = date(d.year_from + 1, 6, 30)  # the year's figures are in by mid next year
        d.notes.append(f"按年度考核，首个考核期截至 {d.due_on:%Y年%m月%d日}")


def validate_rows(rows: list[CommitmentInput], *, signed_on: date) -> dict[str, str]:
    """Every problem of every row, keyed ``row<i>.<field>`` (empty when all rows are fine)."""
    errors: dict[str, str] = {}
    if not rows:
        errors["__all__"] = "至少需要一条承诺事项"
    for i, r in enumerate(rows):
        n = f"第{i + 1}条承诺"
        if r.side not in Commitment.Side.values:
            errors[f"row{i}.side"] = f"{n}：请选择承诺方（政府方或企业方）"
        if not r.content.strip():
            errors[f"row{i}.content"] = f"{n}：请填写承诺内容"
        if r.due_on is not None and r.due_on < signed_on:
            errors[f"row{i}.due_on"] = (f"{n}：到期日 {r.due_on:%Y年%m月%d日} 早于签约日期 {signed_on:%Y年%m月%d日}，"
                                        "请核对")
        if r.due_on is None and not r.target_field:
            errors[f"row{i}.due_on"] = f"{n}：请填写到期日"
        if r.target_field:
            if r.target_field not in CHECKABLE_FIELDS:
                errors[f"row{i}.target_field"] = f"{n}：考核指标“{r.target_field}”不是企业档案中的指标，请从列表中选择"
            elif r.target_field not in {"region", "flags"}:
                if r.target_op not in {">=", "<="}:
                    errors[f"row{i}.target_op"] = f"{n}：请选择“不低于”或“不高于”"
                if r.target_value is None or r.target_value < 0:
                    errors[f"row{i}.target_value"] = f"{n}：请填写目标值（数字）"
                if not r.year_from:
                    errors[f"row{i}.year_from"] = f"{n}：请填写考核年度"
            if r.side != Commitment.Side.ENTERPRISE:
                errors[f"row{i}.target_field"] = f"{n}：按企业档案数据考核的只能是企业方承诺"
        if r.year_from and r.year_to and r.year_to < r.year_from:
            errors[f"row{i}.year_to"] = f"{n}：考核截止年度早于起始年度"
    return errors


def _read_upload(*, filename: str, data: bytes) -> str:
    lower = filename.lower()
    if not lower.endswith(DOCUMENT_TYPES):
        raise CommitmentError({"file": "请上传 .docx、.pdf 或 .txt 格式的合同文本"})
    if len(data) > MAX_UPLOAD:
        raise CommitmentError({"file": "合同文件超过 20MB，请压缩后上传"})
    try:
        text = read_document(data, filename=filename).text
    except DocumentError as exc:
        raise CommitmentError({"file": f"无法读取合同文本：{exc}"}) from None
    if not text.strip():
        raise CommitmentError({"file": "合同文件中没有可识别的文字（可能是空白文件或扫描件），请上传可复制文字的版本"})
    return text


def contract_draft(*, actor: Any, enterprise: Enterprise, title: str, government_party: str, signed_on: date,
                   filename: str, data: bytes, amount: Decimal | None = None, now: datetime | None = None) -> Contract:
    """Read the uploaded contract, split it into clauses and draft one commitment per promising
    clause (status 待确认) for the officer to confirm. Bad input stores nothing."""
    now = now or timezone.now()
    if not access.access_contract_create(actor):
        raise PermissionError("只有部门政策专员可以登记政企合同")
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "请填写项目名称"
    if amount is not None and amount < 0:
        errors["amount"] = "合同金额不能为负数"
    if signed_on > timezone.localtime(now).date():
        errors["signed_on"] = "签约日期不能晚于今天"
    if not user_covers_region(actor, enterprise.region):
        errors["enterprise"] = "该企业不在您的管辖区域内"
    text = ""
    try:
        text = _read_upload(filename=filename, data=data)
    except CommitmentError as exc:
        errors.update(exc.errors)
    if errors:
        raise CommitmentError(errors)
    drafts = draft_from_text(text, signed_on=signed_on)
    if not drafts:
        raise CommitmentError({"file": "合同文本中没有找到甲方或乙方的承诺条款，请检查文件是否为合同正文"})
    with transaction.atomic():
        contract = Contract.objects.create(
            title=title.strip()[:200], enterprise=enterprise, government_party=government_party.strip()[:200] or
            actor.department.name, enterprise_party=enterprise.name, department=actor.department,
            region=enterprise.region, signed_on=signed_on, amount=amount, document_name=filename[:200], text=text,
            created_by=actor, created_at=now)
        contract.document.save(f"contract-{contract.pk}{_suffix(filename)}", ContentFile(data), save=True)
        for d in drafts:
            _recurring_due(d)
            Commitment.objects.create(
                contract=contract, enterprise=enterprise, region=contract.region, side=d.side,
                department=actor.department if d.side == Commitment.Side.GOVERNMENT else None,
                responsible=actor if d.side == Commitment.Side.GOVERNMENT else None,
                content=d.content, clause_path=d.clause_path, clause_text=d.clause_text, recurring=d.recurring,
                target_field=d.target_field, target_op=d.target_op, target_value=d.target_value,
                target_text=d.target_text, year_from=d.year_from, year_to=d.year_to, reason="；".join(d.notes)[:500],
                started_on=signed_on, days=0, due_at=d.due_on, status=S.DRAFT, created_at=now)
        audit_record(actor=actor, action="contract.draft", obj=contract,
                     after={"enterprise": enterprise.pk, "signed_on": signed_on, "amount": amount,
                            "drafted": len(drafts)}, detail=f"上传合同《{filename}》，起草承诺 {len(drafts)} 条")
    return contract


def _suffix(filename: str) -> str:
    lower = filename.lower()
    return next((s for s in DOCUMENT_TYPES if lower.endswith(s)), ".txt")


def _clock(*, signed_on: date, due_on: date | None, now: datetime) -> dict[str, Any]:
    """Kernel clock fields of a commitment: day 0 is the signing date, due on ``due_on``. The light
    starts green: the sweep run right after (sweep_started) turns it yellow or red the kernel's way,
    so a commitment confirmed inside its reminder lead gets its reminder, an overdue one its warning."""
    if due_on is None:
        return {"started_on": signed_on, "days": 0, "warn_days": REMINDER_DAYS, "due_at": None,
                "colour": Colour.GREEN, "colour_changed_at": now}
    calendar = work_calendar()
    try:
        days = min(calendar.workdays_between(signed_on, due_on), 32000)
    except CalendarYearMissing:
        days = min((due_on - signed_on).days, 32000)
    return {"started_on": signed_on, "days": days, "warn_days": REMINDER_DAYS, "due_at": due_on,
            "colour": Colour.GREEN, "colour_changed_at": now}


def overdue_at_confirmation(due_on: date | None, today: date) -> str:
    """Why a commitment is red the moment it is confirmed (shown as its 说明), or ""."""
    if due_on is None or due_on >= today:
        return ""
    return f"确认时已逾期：到期日 {due_on:%Y年%m月%d日} 早于确认日 {today:%Y年%m月%d日}"


def contract_confirm(*, actor: Any, contract: Contract, rows: list[CommitmentInput],
                     now: datetime | None = None) -> Contract:
    """The officer confirms the drafted commitments as edited (rows without ``pk`` are added,
    drafts not in ``rows`` are dropped). All rows are checked first; any problem stores nothing."""
    now = now or timezone.now()
    if not access.access_contract_edit(actor, contract):
        raise PermissionError("只有签约责任部门的政策专员可以确认承诺")
    if contract.status != Contract.Status.DRAFT:
        raise CommitmentError("该合同的承诺已确认")
    errors = validate_rows(rows, signed_on=contract.signed_on)
    known = {c.pk: c for c in contract.commitments.filter(status=S.DRAFT)}
    responsible_ids = {r.responsible_id for r in rows if r.responsible_id}
    people = {u.pk: u for u in User.objects.filter(pk__in=responsible_ids, role=Role.OFFICER, is_active=True)}
    for i, r in enumerate(rows):
        if r.pk is not None and r.pk not in known:
            errors[f"row{i}.content"] = f"第{i + 1}条承诺已不是待确认状态，请刷新"
        if r.responsible_id and r.responsible_id not in people:
            errors[f"row{i}.responsible"] = f"第{i + 1}条承诺：责任人须为在岗的政策专员"
    if errors:
        raise CommitmentError(errors)
    with transaction.atomic():
        if Contract.objects.filter(pk=contract.pk, status=Contract.Status.DRAFT).update(
                status=Contract.Status.ACTIVE) != 1:
            raise workflow.WorkflowConflict("该合同已被他人确认，请刷新")
        contract.status = Contract.Status.ACTIVE
        kept = {r.pk for r in rows if r.pk}
        Commitment.objects.filter(contract=contract, status=S.DRAFT).exclude(pk__in=kept).delete()
        for r in rows:
            responsible = people.get(r.responsible_id) if r.responsible_id else None
            gov = r.side == Commitment.Side.GOVERNMENT
            values: dict[str, Any] = dict(
                side=r.side, content=r.content.strip()[:300], recurring=r.recurring, target_field=r.target_field,
                target_op=r.target_op if r.target_field else "", target_value=r.target_value,
                target_text=r.target_text, year_from=r.year_from, year_to=r.year_to,
                department=(responsible.department if responsible and responsible.department_id else contract.department)
                if gov else None,
                responsible=(responsible or actor) if gov else responsible,
                reason=overdue_at_confirmation(r.due_on, timezone.localtime(now).date()),
                **_clock(signed_on=contract.signed_on, due_on=r.due_on, now=now))
            if r.pk:
                c = known[r.pk]
                for key, value in values.items():
                    setattr(c, key, value)
                c.save()
            else:
                c = Commitment.objects.create(contract=contract, enterprise=contract.enterprise, region=contract.region,
                                              clause_path=r.clause_path, clause_text=r.clause_text, status=S.DRAFT,
                                              created_at=now, **values)
            workflow.move(commitment=c, action="confirm", now=now)
        audit_record(actor=actor, action="contract.confirm", obj=contract, before={"status": "draft"},
                     after={"status": "active", "commitments": len(rows)}, detail=f"确认承诺 {len(rows)} 条")
        sweep_started(Commitment.objects.filter(contract=contract), now=now)
    return contract


# -- the daily sweep: reminders, warnings, 催告 -----------------------------------------------------


def department_officers(department_id: int | None, region: str) -> list[User]:
    if department_id is None:
        return []
    return [u for u in User.objects.filter(role=Role.OFFICER, department_id=department_id, is_active=True)
            if user_covers_region(u, region)]


def supervisors_of(region: str) -> list[User]:
    return [u for u in User.objects.filter(role=Role.SUPERVISOR, is_active=True) if user_covers_region(u, region)]


def enterprise_users(enterprise_id: int) -> list[User]:
    return list(User.objects.filter(role=Role.ENTERPRISE, enterprise_id=enterprise_id, is_active=True))


def _responsible_department_id(c: Commitment) -> int | None:
    return c.department_id or (c.contract.department_id if c.contract_id and c.contract else None)


def commitment_link(c: Commitment) -> str:
    return f"/commitments/c/{c.pk}/"


def _alert(c: Commitment, colour: str) -> Alert | None:
    now = timezone.now()
    dept = _responsible_department_id(c)
    who = "政府方" if c.side == Commitment.Side.GOVERNMENT else c.enterprise.name
    if colour == Colour.YELLOW:
        workflow.move(commitment=c, action="near", now=now)
        if c.side == Commitment.Side.GOVERNMENT:
            recipients: list[User] = [c.responsible] if c.responsible else department_officers(dept, c.region)
        else:
            recipients = enterprise_users(c.enterprise_id) + ([c.responsible] if c.responsible else [])
        return Alert(recipients=recipients, title=f"承诺临期提醒：{c.content[:40]}",
                     body=f"{who}承诺的事项将于 {c.due_at:%Y年%m月%d日} 到期，请按期兑现并上传佐证材料。",
                     link=commitment_link(c))
    workflow.move(commitment=c, action="overdue", now=now)
    recipients = department_officers(dept, c.region) + supervisors_of(c.region)
    if c.responsible and c.responsible not in recipients:
        recipients.append(c.responsible)
    body = f"{who}承诺的事项已于 {c.due_at:%Y年%m月%d日} 到期仍未兑现，请督促落实。"
    if c.side == Commitment.Side.ENTERPRISE:
        notify(recipients=enterprise_users(c.enterprise_id), category="commitment",
               title=f"履约催告：{c.content[:40]}",
               body=f"贵企业承诺的事项已于 {c.due_at:%Y年%m月%d日} 到期，请尽快履约并上传佐证材料；催告函可在承诺详情页下载。",
               link=commitment_link(c), dedupe_key=f"commitment-demand:{c.pk}:{c.due_at}")
        body += "已向企业发出催告。"
    return Alert(recipients=recipients, title=f"承诺逾期预警：{c.content[:40]}", body=body, link=commitment_link(c))


def sweep_started(commitments: QuerySet[Commitment], *, now: datetime) -> SweepReport:
    """The daily sweep, at once, over commitments just put on the clock: yellow (临期 + reminder)
    when confirmed inside the reminder lead, red (逾期 + warning, 催告) when already overdue."""
    return sweep(commitments.filter(status__in=Commitment.RUNNING), now=now, calendar=work_calendar(),
                 dedupe_prefix="commitment-deadline", audit_action="commitment.colour", alert=_alert,
                 category="commitment")


def commitments_sweep(*, now: datetime | None = None) -> SweepReport:
    """Recolour every running commitment through the kernel sweep: yellow → 临期 and a reminder to
    the responsible person; red → 逾期 and a warning to the department and the supervisors (and a
    催告 to the enterprise for its own commitments)."""
    now = now or timezone.now()
    qs = Commitment.objects.filter(status__in=Commitment.RUNNING).select_related("contract", "enterprise", "responsible")
    return sweep(qs, now=now, calendar=work_calendar(), dedupe_prefix="commitment-deadline",
                 audit_action="commitment.colour", alert=_alert, category="commitment")


# -- evidence --------------------------------------------------------------------------------


def evidence_upload(*, actor: Any, commitment: Commitment, upload: UploadedFile, note: str = "",
                    partial: bool = False, now: datetime | None = None) -> Evidence:
    now = now or timezone.now()
    if not access.access_evidence_upload(actor, commitment):
        raise PermissionError("您不能为该承诺上传佐证材料")
    if upload.size is None or upload.size == 0:
        raise CommitmentError({"file": "请选择佐证材料文件"})
    if upload.size > MAX_UPLOAD:
        raise CommitmentError({"file": "佐证材料超过 20MB"})
    name = (upload.name or "佐证材料")[-200:]
    with transaction.atomic():
        ev = Evidence(commitment=commitment, filename=name, note=note.strip()[:300], partial=partial,
                      uploaded_by=actor, uploaded_at=now)
        ev.file.save(f"evidence-{commitment.pk}-{int(now.timestamp())}{_ext(name)}", upload, save=False)
        ev.save()
        audit_record(actor=actor, action="commitment.evidence_upload", obj=commitment,
                     after={"evidence": ev.pk, "partial": partial}, detail=note[:300])
        if commitment.side == Commitment.Side.ENTERPRISE:
            others = department_officers(_responsible_department_id(commitment), commitment.region)
        else:
            others = enterprise_users(commitment.enterprise_id)
        notify(recipients=others, category="commitment", title=f"践诺佐证待确认：{commitment.content[:40]}",
               body="对方已上传践诺佐证材料，请核对后确认。", link=commitment_link(commitment),
               dedupe_key=f"commitment-evidence:{ev.pk}")
    return ev


def _ext(name: str) -> str:
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot >= 0 else ""
    return ext if len(ext) <= 6 and ext[1:].isalnum() else ""


def evidence_decide(*, actor: Any, evidence: Evidence, confirm: bool, opinion: str = "",
                    now: datetime | None = None) -> Evidence:
    """The other party confirms (the commitment becomes 已兑现, or 部分兑现 when the evidence says
    so) or rejects the evidence with an opinion."""
    now = now or timezone.now()
    c = evidence.commitment
    if not access.access_evidence_confirm(actor, c):
        raise PermissionError("只有承诺的另一方可以确认佐证材料")
    if not confirm and not opinion.strip():
        raise CommitmentError({"opinion": "不予确认时请填写理由"})
    status = Evidence.Status.CONFIRMED if confirm else Evidence.Status.REJECTED
    with transaction.atomic():
        if Evidence.objects.filter(pk=evidence.pk, status=Evidence.Status.PENDING).update(
                status=status, decided_by=actor, decided_at=now, opinion=opinion.strip()[:300]) != 1:
            raise workflow.WorkflowConflict("该佐证已被处理，请刷新")
        evidence.status = status
        before = c.status
        if confirm:
            workflow.move(commitment=c, action="partial" if evidence.partial else "fulfil", now=now,
                          changes={"reason": opinion.strip()[:500]})
        audit_record(actor=actor, action="commitment.evidence_decide", obj=c, before={"status": before},
                     after={"status": c.status, "evidence": evidence.pk, "confirmed": confirm}, detail=opinion[:300])
        notify(recipients=[evidence.uploaded_by], category="commitment",
               title=f"践诺佐证{'已确认' if confirm else '未予确认'}：{c.content[:40]}",
               body=opinion or ("承诺已确认兑现。" if confirm else ""), link=commitment_link(c),
               dedupe_key=f"commitment-evidence-decided:{evidence.pk}")
    return evidence


def commitment_fail(*, actor: Any, commitment: Commitment, reason: str, now: datetime | None = None) -> Commitment:
    now = now or timezone.now()
    if not access.access_commitment_fail(actor, commitment):
        raise PermissionError("只有责任部门的政策专员可以认定无法兑现")
    if not reason.strip():
        raise CommitmentError({"reason": "认定无法兑现时请填写原因"})
    with transaction.atomic():
        before = commitment.status
        workflow.move(commitment=commitment, action="fail", now=now, changes={"reason": reason.strip()[:500]})
        audit_record(actor=actor, action="commitment.fail", obj=commitment, before={"status": before},
                     after={"status": commitment.status}, detail=reason[:300])
        _flag_payment(commitment, reason.strip())
    return commitment


# -- checks from data ------------------------------------------------------------------------


@dataclass
class CheckOutcome:
    met: bool | None  # None: no data yet
    year: int | None = None
    figure: str = ""
    source: str = ""
    reason: str = ""


def _fmt(name: str, value: Decimal) -> str:
    unit = FIELDS[name].unit if name in FIELDS else ""
    return money(value) if unit == "元" else f"{value:,.0f}{unit}"


def check_one(c: Commitment, *, this_year: int) -> CheckOutcome:
    """Judge ``c`` against the enterprise's data as stored now."""
    e = c.enterprise
    if c.target_field == "region":
        home = c.target_text or c.region
        if e.region and not region_within(e.region, home):
            return CheckOutcome(False, None, e.region, "市场监管登记", f"企业注册地已迁出（现为 {e.region}）")
        return CheckOutcome(None)
    if c.target_field == "flags":
        flag = EnterpriseFlag.objects.filter(enterprise=e, flag=c.target_text, value=True).first()
        if flag is not None:
            label = EnterpriseFlag.FLAGS.get(flag.flag, flag.flag)
            return CheckOutcome(False, None, f"列入{label}", f"{flag.source}（{flag.as_of:%Y-%m-%d}）",
                                f"企业已被列入{label}（来源：{flag.source}，{flag.as_of:%Y-%m-%d}）")
        return CheckOutcome(None)
    if c.year_from is None:
        return CheckOutcome(None)
    first, last = c.year_from, c.year_to or (this_year if c.recurring else c.year_from)
    if c.recurring:  # one period at a time: the year after the last one met (see _roll_period)
        first = current_period_year(c)
        last = first
    rows = {f.year: f for f in YearFigure.objects.filter(enterprise=e, field=c.target_field,
                                                        year__gte=first, year__lte=last)}
    label = field_label(c.target_field)
    target = c.target_value if c.target_value is not None else Decimal(0)
    seen: CheckOutcome | None = None
    for year in range(first, last + 1):
        f = rows.get(year)
        if f is None or f.value_number is None:
            continue
        value = f.value_number
        ok = value >= target if c.target_op != "<=" else value <= target
        source = f"{f.source}（截至 {f.as_of:%Y-%m-%d}）"
        out = CheckOutcome(ok, year, _fmt(c.target_field, value), source)
        if not ok:
            word = "低于" if c.target_op != "<=" else "高于"
            out.reason = (f"{year}年度{label} {_fmt(c.target_field, value)}，{word}承诺的 "
                          f"{_fmt(c.target_field, target)}（数据来源：{source}）")
            return out
        seen = out
    if seen is None:
        return CheckOutcome(None)
    complete = not c.recurring and all(y in rows for y in range(c.year_from, last + 1))
    seen.reason = f"{seen.year}年度{label} {seen.figure}，达到承诺（数据来源：{seen.source}）"
    return seen if complete or c.recurring else CheckOutcome(None)


def current_period_year(c: Commitment) -> int:
    """The year a yearly commitment is being judged on: its first year, or the year after the last
    period it met."""
    assert c.year_from is not None
    met = [int(p["year"]) for p in c.periods or []]
    return max(met) + 1 if met else c.year_from


def _next_due(due: date) -> date:
    try:
        return due.replace(year=due.year + 1)
    except ValueError:  # 29 February
        return due.replace(year=due.year + 1, day=28)


def _roll_period(c: Commitment, out: CheckOutcome, fields: dict[str, Any], now: datetime) -> None:
    """A yearly commitment met for its period: the period goes into its history and the commitment
    moves to the next year (due date one year on, 未到期 on a fresh clock); after its last year
    (``year_to``) it is 已兑现 instead."""
    assert out.year is not None
    period = {"year": out.year, "due_on": c.due_at.isoformat() if c.due_at else "", "figure": out.figure,
              "source": out.source, "checked_at": now.isoformat()}
    history = [*(c.periods or []), period]
    if c.year_to is not None and out.year >= c.year_to:
        workflow.move(commitment=c, action="fulfil", now=now, changes={**fields, "periods": history})
        c.periods = history
        return
    next_due = _next_due(c.due_at) if c.due_at else date(out.year + 2, 6, 30)
    clock = _clock(signed_on=c.due_at or timezone.localtime(now).date(), due_on=next_due, now=now)
    reason = f"{out.reason}；进入{out.year + 1}年度考核期，到期日 {next_due:%Y年%m月%d日}"
    workflow.move(commitment=c, action="roll", now=now,
                  changes={**fields, **clock, "periods": history, "reason": reason[:500]})
    for key, value in {**clock, "periods": history}.items():
        setattr(c, key, value)


def _flag_payment(c: Commitment, reason: str) -> None:
    """A broken application commitment puts that application's payment on the 不应享错享 list."""
    if c.application is None or not c.application.entitlement_ref:
        return
    from huiqi.disbursement.services import suspect_flag

    suspect_flag(entitlement_id=int(c.application.entitlement_ref), reason=f"违反申报承诺“{c.content[:60]}”：{reason}")


def commitments_check(*, enterprise_id: int | None = None, now: datetime | None = None) -> dict[str, int]:
    """Check every open enterprise commitment with a target against the data stored now: met →
    已兑现 (a yearly one moves on to next year's period, its history kept — again while later
    years' figures are already in), unmet → 无法兑现 with the figure and its source (and, for an
    application's commitment, its payment on the 不应享错享 list)."""
    now = now or timezone.now()
    qs = (Commitment.objects.filter(side=Commitment.Side.ENTERPRISE, status__in=Commitment.OPEN)
          .exclude(target_field="").select_related("enterprise", "application"))
    if enterprise_id is not None:
        qs = qs.filter(enterprise_id=enterprise_id)
    counts = {"checked": 0, "met": 0, "unmet": 0}
    this_year = timezone.localtime(now).year
    for c in qs:
        for _period in range(MAX_PERIODS_PER_CHECK):
            if not _check_and_record(c, this_year=this_year, now=now, counts=counts):
                break
    return counts


MAX_PERIODS_PER_CHECK = 50  # bounds the loop over yearly periods whose figures are all in already


def _check_and_record(c: Commitment, *, this_year: int, now: datetime, counts: dict[str, int]) -> bool:
    """Check one commitment once; True when a yearly one rolled on to a next period worth checking."""
    out = check_one(c, this_year=this_year)
    counts["checked"] += 1
    if out.met is None:
        return False
    fields = {"check_result": "met" if out.met else "unmet", "check_year": out.year,
              "check_figure": out.figure[:60], "check_source": out.source[:120], "checked_at": now,
              "reason": out.reason[:500]}
    try:
        with transaction.atomic():
            before = c.status
            if out.met and c.recurring:
                _roll_period(c, out, fields, now)
            else:
                workflow.move(commitment=c, action="fulfil" if out.met else "fail", now=now, changes=fields)
            audit_record(actor="系统", action="commitment.check", obj=c, before={"status": before},
                         after={"status": c.status, **fields, "due_at": c.due_at}, detail=out.reason)
            if not out.met:
                _flag_payment(c, out.reason)
                notify(recipients=department_officers(_responsible_department_id(c), c.region)
                       + enterprise_users(c.enterprise_id), category="commitment",
                       title=f"承诺核验未达标：{c.content[:40]}", body=out.reason, link=commitment_link(c),
                       dedupe_key=f"commitment-unmet:{c.pk}:{out.year}")
    except workflow.WorkflowConflict:
        return False
    counts["met" if out.met else "unmet"] += 1
    return bool(out.met and c.recurring and c.status == S.PENDING)


def _department_of_item(item: Any) -> Department | None:
    return item.department if getattr(item, "department_id", None) else None


def commitments_from_application(*, application: Any, now: datetime | None = None) -> list[Commitment]:
    """On approval, the commitments the enterprise signed (以承诺代证明) become commitment rows,
    checkable from data like a contract's (call inside the approving transaction)."""
    now = now or timezone.now()
    item = application.item
    created: list[Commitment] = []
    period = str(application.period or "")
    year = int(period[:4]) if period[:4].isdigit() else timezone.localtime(now).year
    today = timezone.localtime(now).date()
    for text in application.commitments or []:
        d = draft_from_promise(str(text), side=Commitment.Side.ENTERPRISE)
        if d.target_field not in CHECKABLE_FIELDS:
            d.target_field, d.target_op, d.target_value = "", "", None
        if d.target_field and d.target_field not in {"region", "flags"} and d.year_from is None:
            d.year_from = year
        c = Commitment.objects.create(
            application=application, enterprise=application.enterprise, region=application.enterprise.region,
            side=Commitment.Side.ENTERPRISE, department=_department_of_item(item), content=d.content[:300],
            clause_text=str(text), recurring=d.recurring, target_field=d.target_field, target_op=d.target_op,
            target_value=d.target_value, target_text=d.target_text or (application.enterprise.region
                                                                       if d.target_field == "region" else ""),
            year_from=d.year_from, year_to=d.year_to, status=S.PENDING,
            created_at=now, **_clock(signed_on=today, due_on=d.due_on if d.due_on and d.due_on >= today else None,
                                     now=now))
        created.append(c)
    if created:
        audit_record(actor="系统", action="commitment.from_application", obj=application,
                     after={"commitments": [c.pk for c in created]}, detail=f"申报承诺转为承诺事项 {len(created)} 条")
        sweep_started(Commitment.objects.filter(pk__in=[c.pk for c in created]), now=now)
    return created


# -- consequences ----------------------------------------------------------------------------


def hold_place(*, actor: Any, enterprise: Enterprise, reason: str, now: datetime | None = None) -> IncentiveHold:
    """Hold an enterprise's incentives while it has overdue unmet commitments (audited; the
    enterprise is told the reason and sees it on its pages)."""
    now = now or timezone.now()
    if not access.access_hold_place(actor, enterprise):
        raise PermissionError("只有管辖区域的政策专员可以暂停企业享受政策")
    if not reason.strip():
        raise CommitmentError({"reason": "请填写暂停原因"})
    broken = Commitment.objects.filter(enterprise=enterprise, side=Commitment.Side.ENTERPRISE,
                                       status__in=Commitment.BROKEN).count()
    if not broken:
        raise CommitmentError({"reason": "该企业没有逾期或未兑现的承诺，不能暂停其享受政策"})
    try:
        with transaction.atomic():
            hold = IncentiveHold.objects.create(enterprise=enterprise, reason=reason.strip()[:500], placed_by=actor,
                                                placed_at=now)
            audit_record(actor=actor, action="incentive_hold.place", obj=enterprise,
                         after={"hold": hold.pk, "broken": broken}, detail=reason[:300])
            notify(recipients=enterprise_users(enterprise.pk), category="commitment", title="暂停享受惠企政策的通知",
                   body=hold.message + "。履约后请上传佐证材料，经确认后恢复。", link="/commitments/mine/",
                   dedupe_key=f"incentive-hold:{hold.pk}")
    except IntegrityError:
        raise CommitmentError({"reason": "该企业已处于暂停享受政策状态"}) from None
    return hold


def hold_lift(*, actor: Any, hold: IncentiveHold, reason: str, now: datetime | None = None) -> IncentiveHold:
    now = now or timezone.now()
    if not access.access_hold_place(actor, hold.enterprise):
        raise PermissionError("只有管辖区域的政策专员可以恢复企业享受政策")
    if not reason.strip():
        raise CommitmentError({"reason": "请填写解除原因"})
    with transaction.atomic():
        if IncentiveHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
                lifted_at=now, lifted_by=actor, lift_reason=reason.strip()[:300]) != 1:
            raise workflow.WorkflowConflict("该暂停已被解除")
        audit_record(actor=actor, action="incentive_hold.lift", obj=hold.enterprise, after={"hold": hold.pk},
                     detail=reason[:300])
        notify(recipients=enterprise_users(hold.enterprise_id), category="commitment", title="已恢复享受惠企政策",
               body=reason, link="/commitments/mine/", dedupe_key=f"incentive-hold-lift:{hold.pk}")
    hold.refresh_from_db()
    return hold


def demand_letter(*, actor: Any, commitment: Commitment, now: datetime | None = None) -> bytes:
    """The 催告函 for an enterprise's overdue commitment, as a Word document (python-docx)."""
    from docx import Document

    now = now or timezone.now()
    if commitment.side != Commitment.Side.ENTERPRISE or commitment.status not in Commitment.BROKEN:
        raise CommitmentError("只有企业方逾期或未兑现的承诺可以出具催告函")
    c = commitment
    issuer = c.contract.government_party if c.contract_id and c.contract else (
        c.department.name if c.department_id and c.department else "主管部门")
    doc = Document()
    doc.add_heading("履约催告函", level=1)
    doc.add_paragraph(f"{c.enterprise.name}：")
    origin = f"贵企业与{issuer}于{c.contract.signed_on:%Y年%m月%d日}签订的《{c.contract.title}》" if c.contract_id and c.contract \
        else "贵企业在申报惠企政策时签署的承诺书"
    doc.add_paragraph(f"根据{origin}，贵企业承诺：“{c.content}”，约定期限为"
                      f"{c.due_at:%Y年%m月%d日}。" if c.due_at else f"根据{origin}，贵企业承诺：“{c.content}”。")
    state = c.reason or f"截至{timezone.localtime(now):%Y年%m月%d日}，该承诺尚未兑现。"
    doc.add_paragraph(state)
    doc.add_paragraph("请贵企业自收到本函之日起十个工作日内履行上述承诺，并通过惠企直达平台上传佐证材料。"
                      "逾期仍未履行的，我单位将依约暂停贵企业享受相关惠企政策，并依法依约追究相应责任。")
    doc.add_paragraph(f"{issuer}")
    doc.add_paragraph(f"{timezone.localtime(now):%Y年%m月%d日}")
    out = io.BytesIO()
    doc.save(out)
    with transaction.atomic():
        audit_record(actor=actor, action="commitment.demand_letter", obj=c, detail="出具履约催告函")
    return out.getvalue()


def parse_decimal(text: str) -> Decimal | None:
    text = (text or "").strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
