from django.urls import path

from . import views

app_name = "commitments"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("mine/", views.mine, name="mine"),
    path("supervision/", views.supervision, name="supervision"),
    path("contracts/new/", views.contract_new, name="contract_new"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract"),
    path("c/<int:pk>/", views.commitment_detail, name="commitment"),
    path("c/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/decide/", views.evidence_decide, name="evidence_decide"),
    path("evidence/<int:pk>/file/", views.evidence_file, name="evidence_file"),
    path("c/<int:pk>/fail/", views.commitment_fail, name="fail"),
    path("c/<int:pk>/letter.docx", views.letter, name="letter"),
    path("enterprises/<int:pk>/hold/", views.hold, name="hold"),
]
