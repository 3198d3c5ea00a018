from django.urls import path

from . import views

app_name = "competencies"

urlpatterns = [
    path("competencies/", views.heatmap_page, name="heatmap"),
    path("competencies/gaps.csv", views.heatmap_csv, name="heatmap_csv"),
    path("competencies/framework/", views.framework_page, name="framework"),
    path("competencies/professional/<int:pk>/", views.professional_competencies_page, name="professional"),
    path("competencies/assessments/", views.assessment_list_page, name="assessments"),
    path("competencies/assessments/new/", views.assessment_create, name="assessment_create"),
    path("competencies/assessments/<int:pk>/confirm/", views.assessment_confirm, name="assessment_confirm"),
    path("training/", views.training_request_list_page, name="requests"),
    path("training/new/", views.training_request_create, name="request_create"),
    path("training/<int:pk>/", views.training_request_page, name="request"),
    path("training/<int:pk>/<slug:action>/", views.training_request_action, name="request_action"),
    path("training/programmes/", views.programme_list_page, name="programmes"),
    path("training/programmes/new/", views.programme_create, name="programme_create"),
    path("training/certifications/", views.certification_list_page, name="certifications"),
    path("training/certifications/new/", views.certification_create, name="certification_create"),
    path("expert-pools/", views.pool_list_page, name="pools"),
    path("expert-pools/search/", views.expert_search_page, name="expert_search"),
    path("expert-pools/<int:pk>/", views.pool_page_view, name="pool"),
    path("expert-pools/<int:pk>/nominate/", views.pool_nominate, name="pool_nominate"),
    path("expert-pools/<int:pk>/deploy/", views.deployment_create, name="deployment_create"),
    path("expert-pools/memberships/<int:pk>/<slug:action>/", views.membership_action, name="membership_action"),
    path("expert-pools/deployments/<int:pk>/outcome/", views.deployment_outcome, name="deployment_outcome"),
]
