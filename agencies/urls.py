from django.urls import path

from . import views

app_name = "agencies"

urlpatterns = [
    path("", views.agency_list, name="list"),
    path("<str:code>/", views.agency_detail, name="detail"),
    path("<str:code>/unit/", views.ict_unit_edit, name="unit_edit"),
    path("<str:code>/establishment/", views.establishment_edit, name="establishment_edit"),
]
