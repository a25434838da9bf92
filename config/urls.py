from django.urls import include, path

from .api import api

urlpatterns = [
    path("", include("huiqi.core.urls")),
    path("accounts/", include("huiqi.accounts.urls")),
    path("audit/", include("huiqi.audit.urls")),
    path("calendar/", include("huiqi.workdays.urls")),
    path("", include("huiqi.enterprises.urls")),
    path("policies/", include("huiqi.policies.urls")),
    path("matching/", include("huiqi.matching.urls")),
    path("api/", api.urls),
    path("inbox/", include("huiqi.notifications.urls")),
    path("fulfilment/", include("huiqi.fulfilment.urls")),
    path("disbursement/", include("huiqi.disbursement.urls")),
    path("ingest/", include("huiqi.ingest.urls")),
    path("tickets/", include("huiqi.tickets.urls")),
    path("commitments/", include("huiqi.commitments.urls")),
    path("supervision/", include("huiqi.supervision.urls")),
    path("ask/", include("huiqi.ask.urls")),
    path("", include("huiqi.portal.urls")),
]

# trust: the 500 page shows the request id that the error log carries
handler500 = "huiqi.core.views.server_error"
