"""The JSON API root (django-ninja): OpenAPI at /api/docs, one router per app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from huiqi.core.openapi import document_statuses


class HuiqiAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document lists every status an operation can return."""

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        operations = {self.get_openapi_operation_id(op): op for router in self._get_bound_routers()
                      for path_view in router.path_operations.values() for op in path_view.operations}
        document_statuses(schema, operations)
        return schema


api = HuiqiAPI(
    title="惠企直达 API",
    version="1",
    description="政策库、政策找企、申报兑现与资金拨付的数据接口，供一网通办、财政、银行等系统调用。",
    urls_namespace="api",
)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "未登录或登录已失效，请先登录"}, status=401)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields = "、".join(dict.fromkeys(str(e.get("loc", ["", "?"])[-1]) for e in exc.errors)) or "请求内容"
    return api.create_response(request, {"detail": f"参数不符合要求：{fields}", "errors": exc.errors}, status=422)


api.add_router("/", "huiqi.portal.api.router")
api.add_router("/", "huiqi.fulfilment.api.router")
api.add_router("/", "huiqi.disbursement.api.router")
api.add_router("/", "huiqi.tickets.api.router")
api.add_router("/", "huiqi.commitments.api.router")
api.add_router("/", "huiqi.supervision.api.router")
api.add_router("/", "huiqi.ask.api.router")
