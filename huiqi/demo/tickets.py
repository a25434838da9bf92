"""企呼我应 demo: requests of 泉州 enterprises in every state — 待分办, 待签收, 办理中 (green, yellow
and red), 待企业补充, 已答复待评价, 办结 (满意), one 二次交办, one escalated (两次不满意) and one
咨询 published to the 企业问题库. Made through the same services the people use (so every step
is validated and audited), on working days going back from ``today``."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone

from huiqi.accounts.models import Department, User
from huiqi.enterprises.models import Enterprise
from huiqi.tickets import services
from huiqi.tickets.defaults import ensure_categories
from huiqi.tickets.models import Dispatcher, TicketCategory

from .inflight import _applicant, _working_days_before

DISPATCHER = "fenban_qz"


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


# (category, title, content, working days ago, the steps to take)
SCENARIOS: tuple[tuple[str, str, str, int, tuple[str, ...]], ...] = (
    ("咨询", "研发费用加计扣除今年口径是否变化", "我司为制造业企业，想了解今年研发费用加计扣除比例和申报时间。", 0, ()),
    ("求助", "春节后缺工五十人", "鞋面车间春节后缺工约五十人，希望协助对接招工渠道。", 0, ("assign",)),
    ("建议", "建议政策兑现结果短信告知", "希望补助拨付到账后能短信告知财务人员。", 1, ("assign", "sign")),
    ("咨询", "专精特新申报需要哪些材料", "请问省级专精特新中小企业认定需要提交哪些材料？", 2, ("assign", "sign")),
    ("投诉", "技改补助审核通过后迟迟未拨付", "去年申报的技改设备补助已审核通过，至今资金未到账。", 12,
     ("assign", "sign")),
    ("政策兑现问题", "稳岗返还金额与测算不一致", "稳岗返还到账金额比平台测算少了三千余元，请核实。", 2,
     ("assign", "sign", "ask_info")),
    ("求助", "厂房用电增容审批进度", "新厂房用电增容申请已提交一个月，请协助了解进度。", 3,
     ("assign", "sign", "answer")),
    ("咨询", "获评省级企业技术中心后有哪些奖励", "我司今年获评省级企业技术中心，请问市里有哪些配套奖励？", 6,
     ("assign", "sign", "answer", "rate_ok", "faq")),
    ("投诉", "同一事项被要求重复提交营业执照", "申报时被多个部门要求重复提交营业执照复印件。", 8,
     ("assign", "sign", "answer", "rate_bad", "sign")),
    ("投诉", "设备补贴申请被退回三次", "设备补贴申请被退回三次，每次理由不同。", 9,
     ("assign", "sign", "answer", "rate_bad", "sign", "answer", "rate_bad")),
)


def seed_tickets(*, today: date, region: str = "350500") -> int:
    """Write the scenarios above; returns how many requests were made."""
    ensure_categories(TicketCategory)
    dispatcher = User.objects.get(username=DISPATCHER)
    Dispatcher.objects.get_or_create(user=dispatcher, defaults={"region": region})
    enterprises = list(Enterprise.objects.filter(region__startswith=region[:4]).order_by("pk")[:len(SCENARIOS)])
    departments = {d.kind: d for d in Department.objects.filter(region=region)}
    handlers = {kind: User.objects.filter(department=d, is_active=True).exclude(role="enterprise").order_by("pk")
                .first() for kind, d in departments.items()}
    made = 0
    for index, (category, title, content, ago, steps) in enumerate(SCENARIOS):
        if not enterprises:
            break
        enterprise = enterprises[index % len(enterprises)]
        user = _applicant(enterprise)
        day = _working_days_before(today, ago)
        ticket, _ = services.ticket_register(
            actor=user, enterprise=enterprise, now=_at(day, 9),
            data=services.TicketInput(category=category, title=title, content=content, contact_name=user.display_name,
                                      contact_phone=enterprise.contact_phone))
        made += 1
        # the city's department of the suggested kind, if the demo has a person there; else 工信
        kind = ticket.suggested_department.kind if ticket.suggested_department else "工信"
        lead = departments.get(kind) if handlers.get(kind) else departments.get("工信")
        handler = handlers.get(lead.kind) if lead is not None else None
        hour = 10
        for step in steps:
            now = _at(day, min(hour, 20))
            hour += 1
            actor: Any = handler
            if step == "assign" and lead is not None:
                services.ticket_assign(actor=dispatcher, ticket=ticket, lead=lead, now=now)
            elif handler is None:
                break
            elif step == "sign":
                services.ticket_sign(actor=actor, ticket=ticket, now=now)
            elif step == "ask_info":
                services.ticket_ask_info(actor=actor, ticket=ticket, question="请提供到账回单和测算截图。", now=now)
            elif step == "answer":
                services.ticket_answer(actor=actor, ticket=ticket, now=now,
                                       answer="经核实，已按政策规定办理，详见附件说明；如有疑问请致电承办部门。")
            elif step == "rate_ok":
                services.ticket_rate(actor=user, ticket=ticket, rating="satisfied", now=now)
            elif step == "rate_bad":
                services.ticket_rate(actor=user, ticket=ticket, rating="unsatisfied", comment="答复没有解决问题",
                                     now=now)
            elif step == "faq":
                services.faq_propose(actor=actor, ticket=ticket, question=title, answer=ticket.answer, now=now)
                services.faq_review(actor=dispatcher, ticket=ticket, publish=True, now=now)
    services.ticket_sweep(now=_at(today, 9))
    return made


__all__ = ["DISPATCHER", "seed_tickets"]
