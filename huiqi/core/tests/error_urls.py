"""A URLconf with one view that fails, for the 500-page test."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken)]
handler500 = "huiqi.core.views.server_error"
