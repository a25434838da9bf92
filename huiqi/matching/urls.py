from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/full/", views.job_full, name="job_full"),
    path("items/<slug:code>/", views.item_enterprises, name="item_enterprises"),
]
