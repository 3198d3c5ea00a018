from django.urls import path

from . import views

app_name = "transfers"

urlpatterns = [
    path("", views.TransferQueueView.as_view(), name="list"),
    path("new/", views.TransferCreateView.as_view(), name="create"),
    path("new/check/", views.rule_check, name="check"),
    path("restructure/", views.RestructureView.as_view(), name="restructure"),
    path("office-orders/<int:pk>.pdf", views.office_order_download, name="office_order"),
    path("<int:pk>/", views.TransferDetailView.as_view(), name="detail"),
    path("<int:pk>/<slug:action>/", views.transfer_action, name="action"),
]
