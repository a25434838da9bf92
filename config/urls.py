from django.urls import include, path

from .api import api

urlpatterns = [
    path("", include("huiqi.core.urls")),
    path("accounts/", include("huiqi.accounts.urls")),
    path("audit/", include("huiqi.audit.urls")),
    path("calendar/", include("huiqi.workdays.urls")),
    path("matching/", include("huiqi.matching.urls")),
    path("api/", api.urls),
    path("inbox/", include("huiqi.notifications.urls")),
]
