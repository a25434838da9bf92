"""The API root alone: the load test must not depend on every page app of the tree importing."""

from django.urls import include, path

from config.api import api

urlpatterns = [path("api/", api.urls), path("", include("huiqi.portal.urls"))]
