from django.urls import path

from . import views

app_name = "disbursement"

urlpatterns = [
    path("", views.index, name="index"),
    path("items/<int:item_id>/runs/", views.run_create, name="run_create"),
    path("items/<int:item_id>/terms/", views.item_terms, name="item_terms"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/action/", views.run_action, name="run_action"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("budget/", views.budget_list, name="budget"),
    path("budget/<int:item_id>/", views.budget_item, name="budget_item"),
    path("budget/<int:item_id>/batch/", views.batch_create, name="batch_create"),
    path("batches/", views.batch_list, name="batches"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/export/", views.batch_export, name="batch_export"),
    path("batches/<int:pk>/action/", views.batch_action, name="batch_action"),
    path("promises/", views.promises, name="promises"),
    path("suspects/", views.suspects, name="suspects"),
    path("mine/", views.mine, name="mine"),
]
