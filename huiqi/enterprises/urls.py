from django.urls import path

from . import views

app_name = "enterprises"
urlpatterns = [
    path("enterprises/", views.enterprise_list, name="list"),
    path("enterprises/import/", views.import_page, name="import"),
    path("enterprises/import/template.xlsx", views.import_template, name="import_template"),
    path("enterprises/import/jobs/<int:pk>/", views.import_job, name="import_job"),
    path("enterprises/corrections/", views.corrections_queue, name="corrections"),
    path("enterprises/corrections/<int:pk>/decide/", views.correction_decide_view, name="correction_decide"),
    path("enterprises/<str:uscc>/", views.enterprise_detail, name="detail"),
    path("enterprises/<str:uscc>/uscc-override/", views.uscc_override, name="uscc_override"),
    path("my/profile/", views.my_profile, name="my_profile"),
    path("my/profile/correct/", views.my_profile_correct, name="my_profile_correct"),
]
