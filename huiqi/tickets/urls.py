from django.urls import path

from . import views

app_name = "tickets"
urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_new, name="new"),
    path("faq/", views.faq, name="faq"),
    path("stats/", views.stats, name="stats"),
    path("categories/", views.categories, name="categories"),
    path("keys/", views.api_keys, name="keys"),
    path("<int:pk>/", views.ticket_detail, name="detail"),
    path("<int:pk>/act/", views.ticket_act, name="act"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
