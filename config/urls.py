from django.urls import include, path

urlpatterns = [
    path("", include("huiqi.core.urls")),
    path("accounts/", include("huiqi.accounts.urls")),
    path("audit/", include("huiqi.audit.urls")),
    path("calendar/", include("huiqi.workdays.urls")),
]
