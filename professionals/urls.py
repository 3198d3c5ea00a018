from django.urls import path

from . import views

app_name = "professionals"

urlpatterns = [
    path("", views.ProfessionalListView.as_view(), name="list"),
    path("export.csv", views.ProfessionalExportView.as_view(file_format="csv"), name="export_csv"),
    path("export.xlsx", views.ProfessionalExportView.as_view(file_format="xlsx"), name="export_xlsx"),
    path("new/", views.ProfessionalCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ProfessionalDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ProfessionalUpdateView.as_view(), name="update"),
    path("<int:pk>/status/", views.StatusEventCreateView.as_view(), name="status_event"),
]
