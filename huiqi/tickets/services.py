"""Every write of 企呼我应: keyword-only functions, one transaction, one audit event per step.

Time is passed in (``now``) so the clocks can be tested on any day of the holiday calendar. The
clock rules are the kernel's (huiqi.core.deadlines): the answer deadline counts the category's
working days from the day of registration (day 0); the 签收 clock is ``sign_hours`` working hours
from registration (restarted by 二次交办); waiting for the enterprise's 补充说明 pauses the answer
clock; an approved 延期 lengthens it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cnstd.workdays import CalendarYearMissing, WorkCalendar
from huiqi.accounts.access import user_covers_region
from huiqi.accounts.models import Department, Role, User
from huiqi.audit.services import audit_record
from huiqi.core.deadlines import (
    Alert,
    Colour,
    SweepReport,
    add_work_hours,
    colour_for,
    deadline_pause,
    deadline_resume,
    deadline_start,
    due_date,
    sweep,
)
from huiqi.core.files import FileRefused, check_upload
from huiqi.core.workflow import FormErrors
from huiqi.enterprises.models import Enterprise
from huiqi.fulfilment.models import Application
from huiqi.notifications.services import notify
from huiqi.policies.models import PolicyItem
from huiqi.workdays.selectors import work_calendar

from . import workflow
from .access import (
    access_api_keys,
    access_faq_review,
    access_ticket_dispatch,
    access_ticket_enterprise,
    access_ticket_handle,
    access_ticket_register,
)
from .models import (
    ApiClient,
    Dispatcher,
    Ticket,
    TicketAttachment,
    TicketCategory,
    TicketEvent,
    TicketExtension,
)
from .workflow import MAX_RETURNS, MAX_TRANSFERS, WorkflowConflict, WorkflowError

S = Ticket.Status
MAX_TITLE = 100
MAX_CONTENT = 5000
MAX_ATTACHMENTS = 5

# Words in a request that point at a kind of department (the suggestion for 分办; the category's
# own ``department_kind`` and the related item's department come first).
KEYWORD_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("财政", ("资金", "拨付", "到账", "兑现", "补贴款", "奖励款")),
    ("人社", ("社保", "招工", "用工", "人才", "就业", "培训补贴")),
    ("科技", ("高新技术", "高企", "研发", "科技型", "专利")),
    ("商务", ("外贸", "出口", "进口", "展会", "招商")),
    ("工信", ("技改", "专精特新", "工业", "设备", "数字化", "用电")),
)


ESCALATION_HOOKS: list[Callable[[Ticket], None]] = []


def on_escalated(hook: Callable[[Ticket], None]) -> Callable[[Ticket], None]:
    """Register ``hook(ticket)``, run after the commit of every escalation (second 不满意): the
    supervision app registers its 督办-order creation here; tickets never imports supervision."""
    ESCALATION_HOOKS.append(hook)
    return hook


def _local(now: datetime) -> Any:
    return timezone.localtime(now).date()


def _calendar() -> WorkCalendar:
    return work_calendar()


def _event(ticket: Ticket, *, kind: str, label: str, now: datetime, actor: Any = None, detail: str = "",
           actor_label: str = "") -> None:
    user = actor if getattr(actor, "is_authenticated", False) else None
    if not actor_label and user is not None:
        dept = getattr(user, "department", None)
        actor_label = f"{dept.name if dept else ''}{user.display_name or user.get_username()}"
    TicketEvent.objects.create(ticket=ticket, at=now, kind=kind, label=label[:200], actor=user,
                               actor_label=actor_label[:100], detail=detail)


def _link(ticket: Ticket) -> str:
    return f"/tickets/{ticket.pk}/"


def enterprise_users(ticket: Ticket) -> list[User]:
    return list(User.objects.filter(enterprise_id=ticket.enterprise_id, is_active=True))


def department_users(department_id: int | None) -> list[User]:
    if department_id is None:
        return []
    return list(User.objects.filter(department_id=department_id, is_active=True).exclude(role=Role.ENTERPRISE))


def dispatchers_for(region: str) -> list[User]:
    from .access import is_dispatcher

    return [d.user for d in Dispatcher.objects.select_related("user") if is_dispatcher(d.user, region)]


def supervisors_for(region: str) -> list[User]:
    return [u for u in User.objects.filter(role=Role.SUPERVISOR, is_active=True) if user_covers_region(u, region)]


# -- registration --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketInput:
    category: str
    title: str
    content: str
    contact_name: str = ""
    contact_phone: str = ""
    related_item: str = ""  # policy item code
    related_application: int | None = None
    external_id: str = ""


def _category(name: str) -> TicketCategory:
    category = TicketCategory.objects.filter(name=name.strip(), active=True).first()
    if category is None:
        names = "、".join(TicketCategory.objects.filter(active=True).values_list("name", flat=True))
        raise FormErrors({"category": f"诉求类别“{name[:20]}”不存在，请选择：{names}"})
    return category


def _validate(data: TicketInput, enterprise: Enterprise) -> tuple[TicketCategory, PolicyItem | None,
                                                                  Application | None]:
    errors: dict[str, str] = {}
    category: TicketCategory | None = None
    try:
        category = _category(data.category)
    except FormErrors as e:
        errors.update(e.errors)
    title, content = data.title.strip(), data.content.strip()
    if not title:
        errors["title"] = "请填写诉求标题"
    elif len(title) > MAX_TITLE:
        errors["title"] = f"标题最多 {MAX_TITLE} 字，现为 {len(title)} 字"
    if not content:
        errors["content"] = "请填写诉求内容"
    elif len(content) > MAX_CONTENT:
        errors["content"] = f"诉求内容最多 {MAX_CONTENT} 字，现为 {len(content)} 字；详细材料请作为附件上传"
    phone = "".join(c for c in data.contact_phone if c.isdigit() or c == "-")
    if data.contact_phone and not (7 <= len(phone.replace("-", "")) <= 12):
        errors["contact_phone"] = "联系电话应为 7–12 位数字"
    if len(data.external_id) > 64:
        errors["external_id"] = "外部编号最多 64 个字符"
    item = None
    if data.related_item:
        item = PolicyItem.objects.filter(code=data.related_item).first()
        if item is None:
            errors["related_item"] = f"政策事项“{data.related_item[:40]}”不存在"
    application = None
    if data.related_application:
        application = Application.objects.filter(pk=data.related_application, enterprise=enterprise).first()
        if application is None:
            errors["related_application"] = "相关申报不存在或不属于该企业"
    if errors:
        raise FormErrors(errors)
    assert category is not None
    return category, item, application


def _department_in(region: str, kind: str) -> Department | None:
    """The department of ``kind`` nearest to ``region``: the county's, else the prefecture's, else the province's."""
    if not kind:
        return None
    for code in (region, region[:4] + "00", region[:2] + "0000"):
        dept = Department.objects.filter(region=code, kind=kind).order_by("pk").first()
        if dept is not None:
            return dept
    return None


def suggest_department(*, category: TicketCategory, content: str, region: str,
                       item: PolicyItem | None = None, application: Application | None = None) -> Department | None:
    """The suggested lead department: the related item's (or application's item's) department,
    else a department whose kind the request's words point at, else the category's default kind."""
    item = item or (application.item if application is not None else None)
    if item is not None and item.department_id is not None:
        return item.department
    own = [w.strip() for w in category.keywords.replace(",", "、").replace("，", "、").split("、") if w.strip()]
    if category.department_kind and any(w in content for w in own):
        dept = _department_in(region, category.department_kind)
        if dept is not None:
            return dept
    for kind, words in KEYWORD_KINDS:
        if any(w in content for w in words):
            dept = _department_in(region, kind)
            if dept is not None:
                return dept
    return _department_in(region, category.department_kind)


def _sign_clock(now: datetime, category: TicketCategory, calendar: WorkCalendar) -> dict[str, Any]:
    fields = deadline_start(now=now, days=category.days, warn_days=category.warn_days, calendar=calendar)
    fields["due_time"] = add_work_hours(start=now, hours=category.sign_hours, calendar=calendar)
    return fields


def ticket_register(*, actor: Any, enterprise: Enterprise, data: TicketInput, now: datetime,
                    uploads: Sequence[UploadedFile] = (), client: ApiClient | None = None) -> tuple[Ticket, bool]:
    """Register a request. Returns (ticket, created): the same external id from the same caller
    returns the request already made (a retried push never makes two)."""
    if client is None:
        if not access_ticket_register(actor):
            raise WorkflowError("您不能登记诉求：请以企业账号登录，或由政策专员代企业登记")
        if getattr(actor, "role", None) == Role.ENTERPRISE and actor.enterprise_id != enterprise.pk:
            raise WorkflowError("只能为本企业登记诉求")
    existing = _existing(enterprise=enterprise, client=client, external_id=data.external_id)
    if existing is not None:
        return existing, False
    category, item, application = _validate(data, enterprise)
    if len(uploads) > MAX_ATTACHMENTS:
        raise FormErrors({"attachments": f"附件最多 {MAX_ATTACHMENTS} 个"})
    try:
        checked = [check_upload(u, label="诉求附件") for u in uploads]
    except FileRefused as e:
        raise FormErrors({"attachments": str(e)}) from None
    try:
        clock = _sign_clock(now, category, _calendar())
    except CalendarYearMissing as e:
        raise WorkflowError(str(e)) from None
    if client is not None:
        source = Ticket.Source.SYSTEM
    elif getattr(actor, "role", None) == Role.ENTERPRISE:
        source = Ticket.Source.ENTERPRISE
    else:
        source = Ticket.Source.OFFICER
    suggested = suggest_department(category=category, content=data.content, region=enterprise.region, item=item,
                                   application=application)
    stored: list[TicketAttachment] = []
    try:
        with transaction.atomic():
            ticket = Ticket.objects.create(
                enterprise=enterprise, category=category, title=data.title.strip(), content=data.content.strip(),
                contact_name=data.contact_name.strip()[:50], contact_phone=data.contact_phone.strip()[:30],
                related_item=item, related_application=application, region=enterprise.region, source=source,
                client=client, external_id=data.external_id.strip(), suggested_department=suggested,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
                created_at=now, updated_at=now, **clock)
            for upload, info in zip(uploads, checked, strict=True):
                attachment = TicketAttachment(ticket=ticket, original_name=info.original_name, size=info.size,
                                              kind=info.kind, uploaded_by=ticket.created_by)
                attachment.file.save(info.stored_name, upload, save=True)
                stored.append(attachment)
            who = client.name if client is not None else ""
            _event(ticket, kind="register", label=f"登记{category.name}（{ticket.get_source_display()}）", now=now,
                   actor=actor, actor_label=who,
                   detail=f"答复期限 {ticket.due_at}，签收期限 {timezone.localtime(ticket.due_time):%Y-%m-%d %H:%M}"
                   if ticket.due_time else "")
            audit_record(actor=actor if client is None else f"接口：{client.name}", action="ticket.register",
                         obj=ticket, after={"category": category.name, "source": source, "due_at": ticket.due_at,
                                            "external_id": ticket.external_id, "attachments": len(stored)})
            notify(recipients=dispatchers_for(ticket.region), category="ticket_task",
                   title=f"新诉求待分办：{ticket.title}（{enterprise.name}）",
                   body=f"{category.name}，签收期限 {timezone.localtime(ticket.due_time):%m-%d %H:%M}"
                   if ticket.due_time else category.name, link=_link(ticket), dedupe_key=f"ticket-new:{ticket.pk}")
    except IntegrityError:
        for attachment in stored:
            attachment.file.delete(save=False)
        existing = _existing(enterprise=enterprise, client=client, external_id=data.external_id)
        if existing is None:
            raise
        return existing, False
    except Exception:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return ticket, True


def _existing(*, enterprise: Enterprise, client: ApiClient | None, external_id: str) -> Ticket | None:
    external_id = external_id.strip()
    if not external_id:
        return None
    if client is not None:
        return Ticket.objects.filter(client=client, external_id=external_id).first()
    return Ticket.objects.filter(enterprise=enterprise, client__isnull=True, external_id=external_id).first()


# -- dispatch ------------------------------------------------------------------------------------


def ticket_assign(*, actor: Any, ticket: Ticket, lead: Department, co: Sequence[Department] = (),
                  now: datetime, note: str = "") -> Ticket:
    """分办: the dispatcher names the lead department (and co-departments)."""
    if not access_ticket_dispatch(actor, ticket):
        raise WorkflowError("只有本辖区的诉求分办员可以分办")
    if lead.pk in {d.pk for d in co}:
        raise FormErrors({"co": "协办部门不能与承办部门相同"})
    with transaction.atomic():
        workflow.move(ticket=ticket, name="assign", changes={"lead_department": lead, "updated_at": now})
        ticket.co_departments.set(co)
        co_text = f"，协办：{'、'.join(d.name for d in co)}" if co else ""
        _event(ticket, kind="assign", label=f"分办至{lead.name}{co_text}", now=now, actor=actor, detail=note)
        audit_record(actor=actor, action="ticket.assign", obj=ticket, before={"status": S.REGISTERED},
                     after={"status": S.ASSIGNED, "lead": lead.name, "co": [d.name for d in co]}, detail=note)
        _notify_department(ticket, lead, now)
    return ticket


def _notify_department(ticket: Ticket, dept: Department, now: datetime) -> None:
    due = f"签收期限 {timezone.localtime(ticket.due_time):%m-%d %H:%M}，" if ticket.due_time else ""
    notify(recipients=department_users(dept.pk), category="ticket_task",
           title=f"待签收诉求：{ticket.title}（{ticket.enterprise.name}）",
           body=f"{due}答复期限 {ticket.due_at}。", link=_link(ticket),
           dedupe_key=f"ticket-assigned:{ticket.pk}:{ticket.round}:{dept.pk}:{now:%Y%m%d%H%M%S}")


def ticket_transfer(*, actor: Any, ticket: Ticket, to: Department, reason: str, now: datetime) -> Ticket:
    """转办 to another department before 签收 (dispatcher or the lead department), with a reason."""
    if not (access_ticket_dispatch(actor, ticket) or access_ticket_handle(actor, ticket)):
        raise WorkflowError("只有分办员或承办部门可以转办")
    if not reason.strip():
        raise FormErrors({"reason": "转办须写明理由"})
    if ticket.transfers >= MAX_TRANSFERS:
        raise WorkflowError(f"该诉求已转办 {ticket.transfers} 次，达到上限；请分办员协调确定承办部门")
    if to.pk == ticket.lead_department_id:
        raise FormErrors({"to": "转办部门与当前承办部门相同"})
    before = ticket.lead_department.name if ticket.lead_department else ""
    with transaction.atomic():
        workflow.move(ticket=ticket, name="transfer", changes={
            "lead_department": to, "transfers": ticket.transfers + 1, "updated_at": now})
        _event(ticket, kind="transfer", label=f"由{before}转办至{to.name}", now=now, actor=actor, detail=reason)
        audit_record(actor=actor, action="ticket.transfer", obj=ticket, before={"lead": before},
                     after={"lead": to.name, "transfers": ticket.transfers}, detail=reason)
        _notify_department(ticket, to, now)
    return ticket


def ticket_return(*, actor: Any, ticket: Ticket, reason: str, now: datetime) -> Ticket:
    """退回: the lead department says it is not theirs; back to the dispatcher, with a reason."""
    if not access_ticket_handle(actor, ticket):
        raise WorkflowError("只有承办部门可以退回")
    if not reason.strip():
        raise FormErrors({"reason": "退回须写明理由"})
    if ticket.returns >= MAX_RETURNS:
        raise WorkflowError(f"该诉求已退回 {ticket.returns} 次，达到上限，不能再退回；请签收办理或申请转办")
    dept = ticket.lead_department
    with transaction.atomic():
        workflow.move(ticket=ticket, name="return", changes={
            "lead_department": None, "returns": ticket.returns + 1, "updated_at": now})
        _event(ticket, kind="return", label=f"{dept.name if dept else ''}退回分办", now=now, actor=actor,
               detail=reason)
        audit_record(actor=actor, action="ticket.return", obj=ticket, after={"returns": ticket.returns},
                     detail=reason)
        notify(recipients=dispatchers_for(ticket.region), category="ticket_task",
               title=f"诉求被退回，请重新分办：{ticket.title}", body=reason, link=_link(ticket),
               dedupe_key=f"ticket-returned:{ticket.pk}:{ticket.returns}")
    return ticket


# -- handling ------------------------------------------------------------------------------------


def _handler(actor: Any, ticket: Ticket, what: str) -> None:
    if not access_ticket_handle(actor, ticket):
        raise WorkflowError(f"只有承办部门可以{what}")


def ticket_sign(*, actor: Any, ticket: Ticket, now: datetime) -> Ticket:
    """签收: the hour clock stops; the answer clock (working days) continues."""
    _handler(actor, ticket, "签收")
    late = ticket.due_time is not None and now > ticket.due_time
    assert ticket.due_at is not None
    colour = colour_for(due_at=ticket.due_at, warn_days=ticket.warn_days, today=_local(now), calendar=_calendar())
    with transaction.atomic():
        workflow.move(ticket=ticket, name="sign", changes={
            "due_time": None, "colour": colour, "colour_changed_at": now, "updated_at": now})
        _event(ticket, kind="sign", label="签收" + ("（超过签收时限）" if late else ""), now=now, actor=actor)
        audit_record(actor=actor, action="ticket.sign", obj=ticket, after={"late": late, "due_at": ticket.due_at})
    return ticket


def ticket_ask_info(*, actor: Any, ticket: Ticket, question: str, now: datetime) -> Ticket:
    """Ask the enterprise for 补充说明: the answer clock pauses from tomorrow until it replies."""
    _handler(actor, ticket, "请企业补充说明")
    if not question.strip():
        raise FormErrors({"question": "请写明需要企业补充说明的内容"})
    with transaction.atomic():
        workflow.move(ticket=ticket, name="ask_info", changes={**deadline_pause(today=_local(now), now=now),
                                                               "updated_at": now})
        _event(ticket, kind="ask_info", label="请企业补充说明（暂停计时）", now=now, actor=actor, detail=question)
        audit_record(actor=actor, action="ticket.ask_info", obj=ticket, detail=question)
        notify(recipients=enterprise_users(ticket), category="ticket_info",
               title=f"请补充说明：{ticket.title}", body=question, link=_link(ticket),
               dedupe_key=f"ticket-ask:{ticket.pk}:{now:%Y%m%d%H%M%S}")
    return ticket


def ticket_supplement(*, actor: Any, ticket: Ticket, text: str, now: datetime, client: ApiClient | None = None) -> Ticket:
    """The enterprise's 补充说明 (or relayed by the system that registered it): the clock resumes,
    the due date moves on by the paused working days."""
    if client is None and not access_ticket_enterprise(actor, ticket):
        raise WorkflowError("只能由提出诉求的企业补充说明")
    if not text.strip():
        raise FormErrors({"text": "请填写补充说明"})
    try:
        resumed = deadline_resume(ticket, today=_local(now), calendar=_calendar(), now=now)
    except CalendarYearMissing as e:
        raise WorkflowError(str(e)) from None
    with transaction.atomic():
        workflow.move(ticket=ticket, name="supplement", changes={**resumed, "updated_at": now})
        _event(ticket, kind="supplement", label=f"企业补充说明，恢复计时，答复期限 {ticket.due_at}", now=now,
               actor=actor, actor_label=client.name if client else "", detail=text)
        audit_record(actor=actor if client is None else f"接口：{client.name}", action="ticket.supplement",
                     obj=ticket, after={"due_at": ticket.due_at, "pauses": ticket.pauses})
        notify(recipients=department_users(ticket.lead_department_id), category="ticket_task",
               title=f"企业已补充说明：{ticket.title}", body=text[:200], link=_link(ticket),
               dedupe_key=f"ticket-supplement:{ticket.pk}:{now:%Y%m%d%H%M%S}")
    return ticket


def ticket_answer(*, actor: Any, ticket: Ticket, answer: str, now: datetime) -> Ticket:
    """答复: on time when answered on or before the due date."""
    _handler(actor, ticket, "答复")
    text = answer.strip()
    if not text:
        raise FormErrors({"answer": "请填写答复内容"})
    if len(text) > MAX_CONTENT:
        raise FormErrors({"answer": f"答复最多 {MAX_CONTENT} 字"})
    assert ticket.due_at is not None
    on_time = _local(now) <= ticket.due_at
    with transaction.atomic():
        workflow.move(ticket=ticket, name="answer", changes={
            "answer": text, "answered_at": now, "answered_on_time": on_time, "colour": Colour.DONE,
            "colour_changed_at": now, "updated_at": now})
        _event(ticket, kind="answer", label="答复企业" + ("" if on_time else "（超期答复）"), now=now, actor=actor,
               detail=text)
        audit_record(actor=actor, action="ticket.answer", obj=ticket, after={"on_time": on_time, "round": ticket.round})
        notify(recipients=enterprise_users(ticket), category="ticket_answer", title=f"诉求已答复：{ticket.title}",
               body="请查看答复并评价（满意、基本满意、不满意）。", link=_link(ticket),
               dedupe_key=f"ticket-answer:{ticket.pk}:{ticket.round}")
    return ticket


def ticket_rate(*, actor: Any, ticket: Ticket, rating: str, comment: str = "", now: datetime) -> Ticket:
    """评价. 满意 / 基本满意 close the request. The first 不满意 sends it back to the lead
    department (二次交办) with a new clock; the second closes it as escalated (转督办)."""
    if not access_ticket_enterprise(actor, ticket):
        raise WorkflowError("只能由提出诉求的企业评价")
    if rating not in Ticket.Rating.values:
        raise FormErrors({"rating": "请选择满意、基本满意或不满意"})
    label = Ticket.Rating(rating).label
    with transaction.atomic():
        if rating != Ticket.Rating.UNSATISFIED:
            workflow.move(ticket=ticket, name="rate_ok", changes={
                "rating": rating, "closed_at": now, "updated_at": now})
            _event(ticket, kind="rate", label=f"企业评价：{label}，办结", now=now, actor=actor, detail=comment)
        elif ticket.unsatisfied == 0:
            try:
                clock = _sign_clock(now, ticket.category, _calendar())
            except CalendarYearMissing as e:
                raise WorkflowError(str(e)) from None
            workflow.move(ticket=ticket, name="rate_bad", changes={
                **clock, "rating": rating, "unsatisfied": 1, "round": ticket.round + 1, "answered_at": None,
                "answered_on_time": None, "updated_at": now})
            _event(ticket, kind="rate", label=f"企业评价：不满意，二次交办{ticket.lead_department.name if ticket.lead_department else ''}，"
                   f"答复期限 {ticket.due_at}", now=now, actor=actor, detail=comment)
            if ticket.lead_department is not None:
                _notify_department(ticket, ticket.lead_department, now)
            notify(recipients=dispatchers_for(ticket.region), category="ticket_task",
                   title=f"诉求二次交办：{ticket.title}", body=comment or "企业对答复不满意", link=_link(ticket),
                   dedupe_key=f"ticket-again:{ticket.pk}")
        else:
            reason = f"企业两次评价不满意：{comment}".rstrip("：")[:300]
            workflow.move(ticket=ticket, name="escalate", changes={
                "rating": rating, "unsatisfied": ticket.unsatisfied + 1, "closed_at": now, "escalated_at": now,
                "escalation_reason": reason, "updated_at": now})
            _event(ticket, kind="escalate", label="企业再次评价不满意，转督办", now=now, actor=actor, detail=comment)
            notify(recipients=supervisors_for(ticket.region) + dispatchers_for(ticket.region),
                   category="ticket_escalated", title=f"诉求两次不满意，转督办：{ticket.title}（{ticket.enterprise.name}）",
                   body=reason, link=_link(ticket), dedupe_key=f"ticket-escalated:{ticket.pk}")
            for hook in ESCALATION_HOOKS:
                transaction.on_commit(partial(hook, ticket))
        audit_record(actor=actor, action="ticket.rate", obj=ticket,
                     after={"rating": rating, "status": ticket.status, "round": ticket.round,
                            "escalated": ticket.escalated_at is not None}, detail=comment[:500])
    return ticket


# -- 延期 ----------------------------------------------------------------------------------------


def extension_ask(*, actor: Any, ticket: Ticket, days: int, reason: str, now: datetime) -> TicketExtension:
    """Ask for 延期, at least one working day before the due date."""
    _handler(actor, ticket, "申请延期")
    if ticket.status not in (S.ASSIGNED, S.HANDLING):
        raise WorkflowError(f"诉求当前为“{ticket.get_status_display()}”，不能申请延期")
    if not 1 <= days <= 20:
        raise FormErrors({"days": "延长天数应为 1–20 个工作日"})
    if not reason.strip():
        raise FormErrors({"reason": "申请延期须写明理由"})
    assert ticket.due_at is not None
    if _calendar().workdays_between(_local(now), ticket.due_at) < 1:
        raise WorkflowError(f"延期须在答复期限（{ticket.due_at}）前至少一个工作日申请")
    try:
        with transaction.atomic():
            ext = TicketExtension.objects.create(ticket=ticket, days=days, reason=reason.strip()[:500],
                                                 asked_by=actor, asked_at=now)
            _event(ticket, kind="extension_ask", label=f"申请延期 {days} 个工作日", now=now, actor=actor,
                   detail=reason)
            audit_record(actor=actor, action="ticket.extension_ask", obj=ticket, after={"days": days}, detail=reason)
            notify(recipients=dispatchers_for(ticket.region), category="ticket_task",
                   title=f"延期申请待审批：{ticket.title}", body=reason, link=_link(ticket),
                   dedupe_key=f"ticket-extension:{ext.pk}")
    except IntegrityError:
        raise WorkflowError("已有待审批的延期申请") from None
    return ext


def extension_decide(*, actor: Any, extension: TicketExtension, approve: bool, now: datetime,
                     note: str = "") -> TicketExtension:
    """The dispatcher approves (the due date moves on by the days asked) or refuses."""
    ticket = Ticket.objects.select_related("category").get(pk=extension.ticket_id)
    if not access_ticket_dispatch(actor, ticket):
        raise WorkflowError("只有本辖区的分办员可以审批延期")
    with transaction.atomic():
        if TicketExtension.objects.filter(pk=extension.pk, approved__isnull=True).update(
                approved=approve, decided_by=actor, decided_at=now) != 1:
            raise WorkflowConflict("该延期申请已被处理")
        if approve:
            days = ticket.days + extension.days
            due = due_date(start=ticket.started_on, days=days, calendar=_calendar(),
                           pauses=ticket.pause_intervals())
            colour = Colour.PAUSED if ticket.paused_since is not None else colour_for(
                due_at=due, warn_days=ticket.warn_days, today=_local(now), calendar=_calendar())
            fields: dict[str, Any] = {"days": days, "due_at": due, "colour": colour, "colour_changed_at": now}
            if Ticket.objects.filter(pk=ticket.pk, status__in=[S.ASSIGNED, S.HANDLING, S.WAITING],
                                     days=ticket.days, round=ticket.round).update(**fields) != 1:
                raise WorkflowConflict("诉求状态已变化，请刷新后重新审批")
            label = f"延期获批，答复期限延至 {fields['due_at']}"
        else:
            label = "延期申请未获批准"
        _event(ticket, kind="extension_decide", label=label, now=now, actor=actor, detail=note)
        audit_record(actor=actor, action="ticket.extension_decide", obj=ticket,
                     after={"approved": approve, "days": extension.days}, detail=note)
        notify(recipients=department_users(ticket.lead_department_id), category="ticket_task",
               title=f"{label}：{ticket.title}", body=note, link=_link(ticket),
               dedupe_key=f"ticket-extension-decided:{extension.pk}")
    extension.approved = approve
    return extension


# -- 企业问题库 ------------------------------------------------------------------------------------


def faq_propose(*, actor: Any, ticket: Ticket, question: str, answer: str, now: datetime) -> Ticket:
    """The lead department proposes an answered 咨询 for the public 企业问题库 (names removed by hand)."""
    _handler(actor, ticket, "申请公开")
    if not ticket.category.publishable or ticket.status not in (S.ANSWERED, S.CLOSED):
        raise WorkflowError("只有已答复的咨询类诉求可以申请公开到企业问题库")
    if not question.strip() or not answer.strip():
        raise FormErrors({"faq": "请填写公开的问题和答复（去掉企业名称、联系方式等信息）"})
    with transaction.atomic():
        if Ticket.objects.filter(pk=ticket.pk).exclude(faq=Ticket.Faq.PUBLISHED).update(
                faq=Ticket.Faq.PENDING, faq_question=question.strip()[:200], faq_answer=answer.strip()) != 1:
            raise WorkflowConflict("该问答已公开")
        _event(ticket, kind="faq_propose", label="申请公开到企业问题库", now=now, actor=actor)
        audit_record(actor=actor, action="ticket.faq_propose", obj=ticket, after={"question": question[:200]})
    ticket.refresh_from_db()
    return ticket


def faq_review(*, actor: Any, ticket: Ticket, publish: bool, now: datetime) -> Ticket:
    if not access_faq_review(actor, ticket):
        raise WorkflowError("只有分办员可以审核公开")
    target = Ticket.Faq.PUBLISHED if publish else Ticket.Faq.REFUSED
    with transaction.atomic():
        if Ticket.objects.filter(pk=ticket.pk, faq=Ticket.Faq.PENDING).update(
                faq=target, faq_published_at=now if publish else None) != 1:
            raise WorkflowConflict("该问答不在待审核状态")
        _event(ticket, kind="faq_review", label="已公开到企业问题库" if publish else "不予公开", now=now, actor=actor)
        audit_record(actor=actor, action="ticket.faq_review", obj=ticket, after={"faq": target})
    ticket.refresh_from_db()
    return ticket


# -- API events ----------------------------------------------------------------------------------


def ticket_event_push(*, client: ApiClient, ticket: Ticket, kind: str, text: str, now: datetime) -> Ticket:
    """An external system pushes what happened on its side: ``progress`` (a timeline note) or
    ``supplement`` (the enterprise's 补充说明 taken by the hotline; resumes the clock)."""
    if kind == "supplement":
        return ticket_supplement(actor=None, ticket=ticket, text=text, now=now, client=client)
    if kind != "progress":
        raise FormErrors({"kind": "事件类型应为 progress（办理进展）或 supplement（企业补充说明）"})
    if not text.strip() or len(text) > MAX_CONTENT:
        raise FormErrors({"text": f"请填写进展说明（最多 {MAX_CONTENT} 字）"})
    with transaction.atomic():
        _event(ticket, kind="progress", label=f"{client.name}回传办理进展", now=now, actor_label=client.name,
               detail=text.strip())
        audit_record(actor=f"接口：{client.name}", action="ticket.event_push", obj=ticket, after={"kind": kind})
    return ticket


# -- API keys ------------------------------------------------------------------------------------


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_client_create(*, actor: Any, name: str, scopes: Sequence[str], region: str = "") -> tuple[ApiClient, str]:
    """A new system key: returns (client, key); the key is shown once and only its hash is kept."""
    if not access_api_keys(actor):
        raise WorkflowError("只有系统管理员可以管理接口密钥")
    bad = [s for s in scopes if s not in ApiClient.Scope.values]
    if not name.strip():
        raise FormErrors({"name": "请填写系统名称"})
    if bad or not scopes:
        raise FormErrors({"scopes": "请选择有效的权限范围"})
    key = "hq_" + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            client = ApiClient.objects.create(name=name.strip()[:60], scopes=sorted(set(scopes)), key_prefix=key[:10],
                                              key_hash=_hash(key), region=region, created_by=actor)
            audit_record(actor=actor, action="api_client.create", obj=client,
                         after={"scopes": client.scopes, "prefix": client.key_prefix})
    except IntegrityError:
        raise FormErrors({"name": f"系统“{name}”已有密钥"}) from None
    return client, key


def api_client_revoke(*, actor: Any, client: ApiClient, now: datetime) -> ApiClient:
    if not access_api_keys(actor):
        raise WorkflowError("只有系统管理员可以管理接口密钥")
    with transaction.atomic():
        ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(revoked_at=now)
        audit_record(actor=actor, action="api_client.revoke", obj=client)
    client.refresh_from_db()
    return client


class KeyRefused(Exception):
    """The API key is unknown or revoked (Chinese message)."""


def api_client_for_key(key: str, *, now: datetime) -> ApiClient:
    client = ApiClient.objects.filter(key_hash=_hash(key.strip())).first()
    if client is None:
        raise KeyRefused("接口密钥无效")
    if client.revoked_at is not None:
        raise KeyRefused("接口密钥已被吊销，请联系平台管理员")
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


# -- the sweep -----------------------------------------------------------------------------------


def _alert(ticket: Ticket, colour: str) -> Alert:
    word = "已超期（红灯）" if colour == Colour.RED else "即将到期（黄灯）"
    stage = "签收" if ticket.status in (S.REGISTERED, S.ASSIGNED) and ticket.due_time else "答复"
    _event(ticket, kind=f"warn_{colour}", label=f"{stage}{word}", now=timezone.now())
    return Alert(recipients=department_users(ticket.lead_department_id) + dispatchers_for(ticket.region)
                 + supervisors_for(ticket.region),
                 title=f"诉求{stage}{word}：{ticket.title}（{ticket.enterprise.name}）",
                 body=f"答复期限 {ticket.due_at}。", link=_link(ticket))


def ticket_sweep(*, now: datetime) -> SweepReport:
    """Red/yellow lights of open requests through the kernel's sweep (hourly: 签收 is an hour clock)."""
    open_tickets = Ticket.objects.filter(status__in=[S.REGISTERED, S.ASSIGNED, S.HANDLING]).select_related(
        "enterprise", "category")
    return sweep(open_tickets, now=now, calendar=_calendar(), dedupe_prefix="ticket-deadline",
                 audit_action="ticket.colour", alert=_alert)


def open_q() -> Q:
    return Q(status__in=Ticket.OPEN_STATUSES)


# -- categories ----------------------------------------------------------------------------------


def category_save(*, actor: Any, pk: int | None, fields: dict[str, str]) -> TicketCategory:
    """Create or edit a category and its clocks (administrators)."""
    if not access_api_keys(actor):
        raise WorkflowError("只有系统管理员可以维护诉求类别")
    errors: dict[str, str] = {}
    numbers: dict[str, int] = {}
    for key, label, low, high in (("days", "答复时限", 1, 60), ("warn_days", "预警天数", 0, 10),
                                  ("sign_hours", "签收时限", 1, 240)):
        text = (fields.get(key) or "").strip()
        if not text.isdigit() or not low <= int(text) <= high:
            errors[key] = f"{label}应为 {low}–{high} 的整数"
        else:
            numbers[key] = int(text)
    name = (fields.get("name") or "").strip()
    if not name or len(name) > 20:
        errors["name"] = "类别名称应为 1–20 字"
    if errors:
        raise FormErrors(errors)
    values: dict[str, Any] = {**numbers, "name": name, "keywords": (fields.get("keywords") or "").strip()[:300],
                              "department_kind": (fields.get("department_kind") or "").strip()[:30],
                              "publishable": bool(fields.get("publishable")), "active": bool(fields.get("active"))}
    try:
        with transaction.atomic():
            if pk is None:
                category = TicketCategory.objects.create(**values)
                before: dict[str, Any] = {}
            else:
                category = TicketCategory.objects.select_for_update().get(pk=pk)
                before = {k: getattr(category, k) for k in values}
                for k, v in values.items():
                    setattr(category, k, v)
                category.save()
            audit_record(actor=actor, action="ticket_category.save", obj=category, before=before, after=values)
    except IntegrityError:
        raise FormErrors({"name": f"类别“{name}”已存在"}) from None
    return category
