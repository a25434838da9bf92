"""JSON API of 承诺必践. ``POST /api/contracts`` (multipart: the contract file and its facts) drafts
a contract and its commitments for an officer to confirm; ``GET /api/commitments`` lists the
commitments the viewer may see (an enterprise its own; an officer its department's in its
region; supervisors their region), filtered by ``status``.

Errors: 401 not logged in; 403 not allowed (e.g. an enterprise posting a contract); 404 unknown
enterprise; 422 bad input (a file with no text, an unknown status) with ``errors`` per field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import django_auth

from huiqi.enterprises.models import Enterprise

from . import selectors, services
from .models import Commitment, Contract
from .schemas import CommitmentOut, ContractOut, ErrorOut

router = Router(tags=["承诺必践"])
MAX_PAGE = 500


def _user(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_authenticated:
        raise HttpError(401, "请先登录")
    return user


def commitment_out(c: Commitment) -> dict[str, Any]:
    return {"id": c.pk, "contract_id": c.contract_id, "contract_title": c.contract.title if c.contract is not None else None,
            "application_id": c.application_id, "enterprise": c.enterprise.name, "side": c.side,
            "side_label": c.get_side_display(), "department": c.department.name if c.department is not None else None,
            "content": c.content, "clause_text": c.clause_text, "due_at": c.due_at, "status": c.status,
            "status_label": c.get_status_display(), "target": services.target_words(c), "reason": c.reason,
            "check_figure": c.check_figure, "check_source": c.check_source}


def contract_out(contract: Contract) -> dict[str, Any]:
    return {"id": contract.pk, "title": contract.title, "enterprise": contract.enterprise.name,
            "government_party": contract.government_party, "signed_on": contract.signed_on,
            "amount": None if contract.amount is None else f"{contract.amount:.2f}", "status": contract.status,
            "status_label": contract.get_status_display(),
            "commitments": [commitment_out(c) for c in contract.commitments.select_related("enterprise", "department")]}


@router.post("/contracts", response={201: ContractOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             auth=django_auth, summary="上传政企合同并起草承诺事项（政策专员；待确认）")
def contract_create(request: HttpRequest, file: File[UploadedFile], uscc: Form[str], title: Form[str],
                    signed_on: Form[date], government_party: Form[str] = "",
                    amount: Form[Decimal | None] = None) -> Any:
    user = _user(request)
    enterprise = Enterprise.objects.filter(uscc=uscc.strip().upper()).first()
    if enterprise is None:
        return Status(404, {"detail": "未找到该统一社会信用代码对应的企业"})
    try:
        contract = services.contract_draft(actor=user, enterprise=enterprise, title=title,
                                           government_party=government_party, signed_on=signed_on,
                                           filename=file.name or "", data=file.read(), amount=amount)
    except PermissionError as exc:
        return Status(403, {"detail": str(exc)})
    except services.CommitmentError as exc:
        return Status(422, {"detail": str(exc), "errors": exc.errors})
    return Status(201, contract_out(contract))


@router.get("/commitments", response={200: list[CommitmentOut], 401: ErrorOut, 422: ErrorOut},
            summary="承诺事项列表（按查看人范围；status=overdue 逾期、due_soon 临期、pending 未到期、fulfilled、partial、failed）")
def commitments(request: HttpRequest, status: str = "") -> Any:
    user = _user(request)
    qs = selectors.commitments_visible(viewer=user)
    if status:
        if status not in selectors.STATUS_PARAM:
            return Status(422, {"detail": f"未知的状态：{status}（可选 overdue、due_soon、pending、fulfilled、partial、failed）"})
        qs = qs.filter(status=selectors.STATUS_PARAM[status])
    return [commitment_out(c) for c in qs.order_by("due_at", "pk")[:MAX_PAGE]]
