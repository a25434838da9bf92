"""URLs for the policy page tests until config/urls.py includes huiqi.policies.urls."""

from django.urls import include, path

urlpatterns = [
    path("", include("huiqi.core.urls")),
    path("accounts/", include("huiqi.accounts.urls")),
    path("policies/", include("huiqi.policies.urls")),
]
