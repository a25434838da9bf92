from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("departments/<int:pk>/", views.department, name="department"),
    path("items/<int:pk>/", views.item, name="item"),
    path("export.xlsx", views.export, name="export"),
    path("recompute/", views.recompute, name="recompute"),
    path("settings/", views.settings_edit, name="settings"),
    path("orders/", views.orders, name="orders"),
    path("orders/<int:pk>/", views.order, name="order"),
    path("results/", views.results, name="results"),
    path("ratings/", views.ratings, name="ratings"),
    path("rate/<str:kind>/<int:pk>/", views.rate, name="rate"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:pk>/", views.case, name="case"),
]
