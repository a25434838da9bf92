"""JSON API of 评与督: enterprises rate (POST /api/evaluations); supervisors read the index of the
regions in their scope and the 督办 orders; officers see their department's orders. Enterprise
users get 403, anonymous callers 401."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from huiqi.accounts.models import Role

from . import selectors, services
from .access import access_index_region, access_supervision_view
from .models import Rating, SupervisionOrder
from .schemas import ErrorOut, IndexRowOut, OrderOut, RatingIn, RatingOut

router = Router(tags=["评与督"])
MAX_PAGE = 200


def _viewer(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_authenticated:
        raise HttpError(401, "请先登录")
    if not access_supervision_view(user):
        raise HttpError(403, "只有督查人员和政策专员可以查看督查数据")
    return user


def _rating(r: Rating) -> dict[str, Any]:
    case = getattr(r, "case", None) if r.poor else None
    return {"id": r.pk, "subject": r.subject, "target_id": r.application_id or r.entitlement_id, "score": r.score,
            "poor": r.poor, "comment": r.comment, "tags": r.tags, "editable_until": r.editable_until,
            "answer_due": case.due_at if case else None}


@router.post("/evaluations", auth=django_auth, response={201: RatingOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                         409: ErrorOut},
             summary="企业评价：对已办结申报或免申即享兑现打分（1–5分），每项一次")
def evaluate(request: HttpRequest, payload: RatingIn) -> Status:
    try:
        rating = services.rating_create(actor=request.user, kind=payload.subject, pk=payload.id, score=payload.score,
                                        comment=payload.comment, tags=payload.tags)
    except services.RatingRefused as e:
        return Status(e.status, {"detail": str(e)})
    return Status(201, _rating(rating))


@router.get("/supervision/index", response={200: list[IndexRowOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
            summary="督查指数：某月某区划下各下级区划的力度、速度、便利度、满意度与总指数")
def index(request: HttpRequest, month: str = "", region: str = "") -> Any:
    user = _viewer(request)
    if user.role != Role.SUPERVISOR:
        raise HttpError(403, "区域指数仅督查人员可查看；政策专员请查看本部门的指数")
    region = region or selectors.scope_region(user)
    if not access_index_region(user, region):
        raise HttpError(403, "该区划不在您的督查范围内")
    if month:
        try:
            wanted = selectors.month_start(month)
        except ValueError as e:
            raise HttpError(400, str(e)) from None
        if wanted > timezone.localdate().replace(day=1):
            raise HttpError(400, "不能查询未来月份的指数")
    else:
        latest = selectors.latest_month()
        if latest is None:
            return []
        wanted = latest
    rows = selectors.child_snapshots(month=wanted, region=region)
    num = lambda v: None if v is None else float(v)  # noqa: E731
    return [{"region": s.region, "region_name": selectors.region_label(s.region), "strength": num(s.strength),
             "speed": num(s.speed), "convenience": num(s.convenience), "satisfaction": num(s.satisfaction),
             "score": num(s.score), "colour": s.colour} for s in rows if access_index_region(user, s.region)]


@router.get("/supervision/orders", response=list[OrderOut], summary="督办单：督查人员看辖区，政策专员看本部门")
def orders(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    user = _viewer(request)
    qs = selectors.orders_for(user)
    if status:
        qs = qs.filter(status=status)
    return [_order(o) for o in qs[:MAX_PAGE]]


def _order(o: SupervisionOrder) -> dict[str, Any]:
    return {"id": o.pk, "number": o.number, "target_region": o.target_region,
            "target_region_name": selectors.region_label(o.target_region),
            "target_department": o.target_department.name if o.target_department else None, "source": o.source,
            "source_label": o.get_source_display(), "reason": o.reason, "figures": o.figures, "status": o.status,
            "status_label": o.get_status_display(), "due_at": o.due_at, "colour": o.colour, "created_at": o.created_at}


__all__ = ["router", "services"]
