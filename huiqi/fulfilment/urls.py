from django.urls import path

from . import views

app_name = "fulfilment"
urlpatterns = [
    path("apply/<slug:code>/", views.apply_start, name="apply"),
    path("applications/", views.application_list, name="list"),
    path("applications/<int:pk>/", views.application_detail, name="detail"),
    path("applications/<int:pk>/quote/", views.application_quote, name="quote"),
    path("applications/<int:pk>/edit/", views.application_edit, name="edit"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/urge/", views.application_urge, name="urge"),
    path("applications/<int:pk>/decide/", views.application_decide, name="decide"),
    path("materials/<int:pk>/", views.material_download, name="material"),
    path("materials/<int:pk>/delete/", views.material_delete, name="material_delete"),
    path("queue/", views.queue, name="queue"),
    path("items/<slug:code>/verify/", views.verify, name="verify"),
]
