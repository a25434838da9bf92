"""承诺必践 for the demo: about 20 investment agreements in 泉州 with about 150 commitments in every
state (未到期, 临期, 逾期, 已兑现, 部分兑现, 无法兑现), made through the same services an officer and
an enterprise use: the contract text is uploaded and drafted, the officer confirms, evidence is
uploaded and confirmed, one is declared impossible."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from huiqi.accounts.models import User
from huiqi.commitments import services
from huiqi.commitments.models import Commitment
from huiqi.enterprises.models import Enterprise
from huiqi.workdays.selectors import work_calendar

from .inflight import _applicant

PROJECTS = ("新材料产业园", "智能装备制造基地", "高端纺织面料", "新能源电池配套", "食品精深加工", "数字经济产业园",
            "光电显示模组", "现代物流中心", "医疗器械研发生产", "石材智能加工", "运动鞋服研发总部", "半导体封测")
# The final state each clause is taken to, in turn (so every state appears across the contracts).
PLAN = ("pending", "due_soon", "overdue", "fulfilled", "partial", "failed", "pending", "fulfilled")


def _due_for(state: str, *, today: date, n: int) -> date:
    calendar = work_calendar()
    if state == "due_soon":
        return calendar.add_workdays(today, 1 + n % 3)
    if state in {"overdue", "failed"}:
        return today - timedelta(days=15 + (n * 7) % 150)
    if state in {"fulfilled", "partial"}:
        return today + timedelta(days=(n * 11) % 90) if n % 2 else today - timedelta(days=5 + n % 60)
    return today + timedelta(days=40 + (n * 13) % 300)


def _text(*, project: str, company: str, dues: list[date], seed: int) -> str:
    invest = 2 + seed % 9
    tax = 500 + (seed * 137) % 2500
    staff = 80 + (seed * 29) % 400
    d = [f"{x.year}年{x.month}月{x.day}日" for x in dues]
    return "\n".join([
        f"{project}项目投资协议书", "", "甲方：泉州市人民政府投资促进中心（代表泉州市工业和信息化局）", f"乙方：{company}", "",
        f"第一条 乙方承诺{project}项目固定资产投资不低于{invest}亿元，于{d[0]}前完成。",
        f"第二条 甲方负责于{d[1]}前完成项目用地交付。",
        f"第三条 乙方承诺项目建成投产，于{d[2]}前取得竣工验收备案。",
        f"第四条 甲方负责于{d[3]}前完成项目配套道路和供水供电设施建设。",
        f"第五条 乙方承诺从业人员不少于{staff}人，于{d[4]}前达到。",
        f"第六条 甲方应于{d[5]}前兑现设备购置补助。",
        f"第七条 乙方承诺年纳税不低于{tax}万元，于{d[6]}前报送完税证明。",
        f"第八条 甲方负责于{d[7]}前协调办理项目施工许可。",
    ])


def seed_commitments(*, today: date, officer: User, region: str = "3505", contracts: int = 20) -> int:
    """Record ``contracts`` contracts with 泉州 enterprises; returns the number of commitments."""
    enterprises = list(Enterprise.objects.filter(region__startswith=region).order_by("pk")[:contracts])
    for i, enterprise in enumerate(enterprises):
        states = [PLAN[(i + k) % len(PLAN)] for k in range(8)]
        dues = [_due_for(state, today=today, n=i * 8 + k) for k, state in enumerate(states)]
        signed = min(dues) - timedelta(days=30 + i * 3)
        project = PROJECTS[i % len(PROJECTS)]
        text = _text(project=project, company=enterprise.name, dues=dues, seed=i)
        contract = services.contract_draft(actor=officer, enterprise=enterprise, title=f"{project}项目",
                                           government_party="泉州市人民政府投资促进中心", signed_on=signed,
                                           filename=f"{project}项目投资协议.txt", data=text.encode("utf-8"),
                                           amount=None)
        services.contract_confirm(actor=officer, contract=contract, rows=[
            services.CommitmentInput(pk=c.pk, side=c.side, content=c.content, due_on=c.due_at,
                                     recurring=c.recurring, target_field=c.target_field, target_op=c.target_op,
                                     target_value=c.target_value, target_text=c.target_text, year_from=c.year_from,
                                     year_to=c.year_to)
            for c in contract.commitments.order_by("pk")])
        user = _applicant(enterprise)
        for c, state in zip(contract.commitments.order_by("pk"), states, strict=False):
            _drive(c, state, officer=officer, enterprise_user=user)
    return Commitment.objects.filter(contract__isnull=False).count()


def _drive(c: Commitment, state: str, *, officer: User, enterprise_user: User) -> None:
    if state not in {"fulfilled", "partial", "failed"}:
        return
    if state == "failed":
        services.commitment_fail(actor=officer, commitment=c, reason="项目规划调整，经双方协商该条款无法履行")
        return
    mine = c.side == Commitment.Side.ENTERPRISE
    uploader, confirmer = (enterprise_user, officer) if mine else (officer, enterprise_user)
    ev = services.evidence_upload(actor=uploader, commitment=c,
                                  upload=SimpleUploadedFile("践诺佐证.txt", "演示佐证材料".encode()),
                                  note="演示：履约证明材料", partial=state == "partial")
    services.evidence_decide(actor=confirmer, evidence=ev, confirm=True,
                             opinion="已核对" if state == "fulfilled" else "已完成部分，其余另行约定")
