from django.urls import path

from . import views

app_name = "ingest"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("codes/", views.codes, name="codes"),
    path("qualifications/", views.qualification_add, name="qualification_add"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/meta/", views.batch_meta, name="meta"),
    path("<int:pk>/confirm/", views.batch_confirm, name="confirm_all"),
    path("<int:pk>/discard/", views.batch_discard, name="discard_all"),
    path("<int:pk>/items/<int:item>/", views.draft_save, name="save"),
    path("<int:pk>/items/<int:item>/validate/", views.draft_validate, name="validate"),
    path("<int:pk>/items/<int:item>/confirm/", views.draft_confirm, name="confirm"),
    path("<int:pk>/items/<int:item>/discard/", views.draft_discard, name="discard"),
    path("<int:pk>/items/<int:item>/suggest/", views.draft_suggest, name="suggest"),
    path("<int:pk>/items/<int:item>/suggestion/<slug:decision>/", views.draft_suggestion, name="suggestion"),
]
