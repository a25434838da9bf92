"""The JSON API root (django-ninja): OpenAPI at /api/docs, one router per app."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="惠企直达 API",
    version="1",
    description="政策库、政策找企、申报兑现与资金拨付的数据接口，供一网通办、财政、银行等系统调用。",
    urls_namespace="api",
)
api.add_router("/", "huiqi.portal.api.router")
api.add_router("/", "huiqi.fulfilment.api.router")
api.add_router("/", "huiqi.disbursement.api.router")
api.add_router("/", "huiqi.tickets.api.router")
api.add_router("/", "huiqi.commitments.api.router")
api.add_router("/", "huiqi.supervision.api.router")
