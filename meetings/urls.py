from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("events/", views.EventListView.as_view(), name="event_list"),
    path("events/new/", views.EventCreateView.as_view(), name="event_create"),
    path("events/attendance-rates/", views.AttendanceRatesView.as_view(), name="attendance_rates"),
    path("events/rsvp/<str:token>/", views.RsvpLinkView.as_view(), name="rsvp_link"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path("events/<int:pk>/edit/", views.EventUpdateView.as_view(), name="event_update"),
    path("events/<int:pk>/status/", views.event_status, name="event_status"),
    path("events/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("events/<int:pk>/agenda/<int:item_pk>/move/", views.agenda_move, name="agenda_move"),
    path("events/<int:pk>/agenda/<int:item_pk>/remove/", views.agenda_remove, name="agenda_remove"),
    path("events/<int:pk>/invite/", views.InviteView.as_view(), name="invite"),
    path("events/<int:pk>/invitations/<int:invitation_pk>/remove/", views.invitation_remove, name="invitation_remove"),
    path("events/<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("events/<int:pk>/calendar.ics", views.event_ics, name="event_ics"),
    path("events/<int:pk>/attendance/", views.AttendanceView.as_view(), name="attendance"),
    path("events/<int:pk>/attendance/<int:invitation_pk>/", views.attendance_mark, name="attendance_mark"),
    path("events/<int:pk>/minutes/", views.MinutesView.as_view(), name="minutes"),
    path("events/<int:pk>/minutes/approve/", views.minutes_approve, name="minutes_approve"),
    path("events/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("events/<int:pk>/action-items/new/", views.ActionItemCreateView.as_view(), name="action_item_create"),
    path("action-items/", views.ActionItemListView.as_view(), name="action_items"),
    path("action-items/<int:pk>/", views.ActionItemDetailView.as_view(), name="action_item_detail"),
    path("action-items/<int:pk>/status/", views.action_item_status, name="action_item_status"),
    path("action-items/<int:pk>/notes/", views.action_item_note, name="action_item_note"),
]
