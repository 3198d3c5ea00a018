from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_index, name="index"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/commit/", views.import_commit, name="commit"),
    path("<int:pk>/file/", views.import_file_download, name="file"),
    path("templates/<slug:kind>.xlsx", views.import_template, name="template"),
    path("export/<slug:kind>.<str:file_format>", views.import_export, name="export"),
]
