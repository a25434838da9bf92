from django.urls import path

from . import calculator_views, views

app_name = "portal"
urlpatterns = [
    path("quick-match/", views.quick_match_page, name="quick_match"),
    path("my/", views.my_page, name="my"),
    path("my/supplement/", views.supplement_page, name="supplement"),
    path("my/subscriptions/", views.subscriptions_page, name="subscriptions"),
    path("my/subscriptions/<int:pk>/cancel/", views.subscription_cancel_view, name="subscription_cancel"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("calculator/", calculator_views.calculator_page, name="calculator"),
    path("calculator/result/", calculator_views.calculator_result, name="calculator_result"),
    path("portal/missed/", views.missed_page, name="missed"),
]
