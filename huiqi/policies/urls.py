from django.urls import path

from . import views

app_name = "policies"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("manage/", views.policy_manage, name="manage"),
    path("<slug:code>/", views.policy_detail, name="detail"),
    path("<slug:code>/transition/<slug:name>/", views.policy_transition, name="transition"),
]
