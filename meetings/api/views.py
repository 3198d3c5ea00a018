"""API v1 `events` and `action-items`: the same selectors and services as the portal."""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from meetings import services
from meetings.models import ActionItem, ActionItemNote, AgendaItem, Event, Invitation
from meetings.selectors import event_counts, may_answer_invitations

from .filters import ActionItemFilter, EventFilter
from .permissions import MeetingAccess
from .serializers import (
    ActionItemCreateSerializer,
    ActionItemDetailSerializer,
    ActionItemNoteCreateSerializer,
    ActionItemSerializer,
    ActionItemStatusSerializer,
    AttendanceSerializer,
    EventDetailSerializer,
    EventSerializer,
    EventStatusSerializer,
    EventWriteSerializer,
    InvitationSerializer,
    InviteSerializer,
    RsvpSerializer,
)


def _input(serializer_class, request, **kwargs):
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer


@extend_schema_view(
    list=extend_schema(summary="Events the account may see, with counts of invited, attending and attended"),
    retrieve=extend_schema(summary="One event with its agenda and the invitations the account may see"),
    create=extend_schema(summary="Plan an event", request=EventWriteSerializer, responses={201: EventDetailSerializer}),
    partial_update=extend_schema(
        summary="Change an event (invitees are emailed the new details)",
        request=EventWriteSerializer,
        responses={200: EventDetailSerializer},
    ),
)
@extend_schema(tags=["events"])
class EventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Meetings and conferences. Division staff see all; an agency head the events their agencies
    are invited to; a professional those they are invited to."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [MeetingAccess]
    filterset_class = EventFilter
    search_fields = ["title", "venue"]
    ordering_fields = {"starts_at": "starts_at", "title": "title"}
    ordering = ["-starts_at"]

    def get_queryset(self):
        user = self.request.user
        events = Event.objects.visible_to(user).select_related("kind")
        if self.action == "list":
            return event_counts(events)
        invitations = Invitation.objects.visible_to(user).select_related("professional", "agency").order_by("id")
        return (
            event_counts(events)
            .select_related("organiser", "minutes")
            .prefetch_related(
                Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position")),
                Prefetch("invitations", queryset=invitations, to_attr="visible_invitations"),
            )
        )

    def get_serializer_class(self):
        return EventSerializer if self.action == "list" else EventDetailSerializer

    def _detail(self, event_id: int, code=status.HTTP_200_OK):
        event = self.get_queryset().get(pk=event_id)
        return Response(EventDetailSerializer(event, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        data = _input(EventWriteSerializer, request).validated_data
        event = services.event_create(actor=request.user, **data)
        return self._detail(event.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        event = self.get_object()
        data = _input(EventWriteSerializer, request, partial=True).validated_data
        services.event_update(event_id=event.pk, actor=request.user, **data)
        return self._detail(event.pk)

    @extend_schema(summary="Mark the event planned, held or cancelled", request=EventStatusSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        event = self.get_object()
        data = _input(EventStatusSerializer, request).validated_data
        services.event_set_status(event_id=event.pk, status=data["status"], actor=request.user)
        return self._detail(event.pk)

    @extend_schema(
        summary="Invite by role (all ICT heads), agency, track, expert pool, appointment date, by hand or a guest",
        request=InviteSerializer,
        responses={201: InvitationSerializer(many=True)},
    )
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        event = self.get_object()
        selection = _input(InviteSerializer, request).selection()
        ids = services.invitations_add(event_id=event.pk, actor=request.user, selection=selection)
        added = Invitation.objects.filter(pk__in=ids).select_related("professional", "agency").order_by("id")
        return Response(InvitationSerializer(added, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record one invitee's attendance", request=AttendanceSerializer, responses=InvitationSerializer
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        event = self.get_object()
        data = _input(AttendanceSerializer, request).validated_data
        invitation = services.attendance_record(
            event_id=event.pk,
            actor=request.user,
            attended=data["attended"],
            invitation_id=data.get("invitation"),
            professional_id=data.get("professional"),
        )
        return Response(InvitationSerializer(invitation).data)

    @extend_schema(
        summary="Answer an invitation: one's own, or (agency heads) one of their agencies' invitees",
        request=RsvpSerializer,
        responses=InvitationSerializer,
    )
    @action(detail=True, methods=["post"])
    def rsvp(self, request, pk=None):
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        event = self.get_object()
        data = _input(RsvpSerializer, request).validated_data
        if not may_answer_invitations(request.user):
            raise PermissionDenied("Your account may not answer invitations.")
        if not Invitation.objects.visible_to(request.user).filter(event=event, pk=data["invitation"]).exists():
            raise Http404("No such invitation among those this account may answer.")
        invitation = services.invitation_rsvp(
            invitation_id=data["invitation"], answer=data["answer"], actor=request.user
        )
        return Response(InvitationSerializer(invitation).data)


@extend_schema_view(
    list=extend_schema(summary="Action items the account may see, overdue first"),
    retrieve=extend_schema(summary="One action item with its progress notes"),
    create=extend_schema(
        summary="Record an action item from an event",
        request=ActionItemCreateSerializer,
        responses={201: ActionItemDetailSerializer},
    ),
)
@extend_schema(tags=["action-items"])
class ActionItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Follow-ups from meetings. Division staff see all; an agency head those their agency subtree
    owns (and updates them); a professional those they own."""

    http_method_names = ["get", "post", "head", "options"]
    permission_classes = [MeetingAccess]
    filterset_class = ActionItemFilter
    search_fields = ["title"]
    ordering_fields = {"urgency": ("urgency", "due_date"), "due_date": "due_date", "updated_at": "updated_at"}
    ordering = ["urgency"]

    def get_queryset(self):
        items = (
            ActionItem.objects.visible_to(self.request.user)
            .select_related("event", "owner_agency", "owner_professional")
            .overdue_first(timezone.localdate())
        )
        if self.action != "list":
            items = items.prefetch_related(
                Prefetch("notes", queryset=ActionItemNote.objects.select_related("author").order_by("created_at", "id"))
            )
        return items

    def get_serializer_class(self):
        return ActionItemSerializer if self.action == "list" else ActionItemDetailSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _detail(self, item_id: int, code=status.HTTP_200_OK):
        item = self.get_queryset().get(pk=item_id)
        return Response(ActionItemDetailSerializer(item, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        data = dict(_input(ActionItemCreateSerializer, request).validated_data)
        event = data.pop("event")
        item = services.action_item_create(event_id=event.pk, actor=request.user, **data)
        return self._detail(item.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Move the item: open, in_progress, done or dropped (dropping needs a note)",
        request=ActionItemStatusSerializer,
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        item = self.get_object()
        data = _input(ActionItemStatusSerializer, request).validated_data
        services.action_item_set_status(item_id=item.pk, actor=request.user, status=data["status"], note=data["note"])
        return self._detail(item.pk)

    @extend_schema(
        summary="Add a progress note (answers the item with its notes)",
        request=ActionItemNoteCreateSerializer,
        responses={201: ActionItemDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        item = self.get_object()
        data = _input(ActionItemNoteCreateSerializer, request).validated_data
        services.action_item_note_add(item_id=item.pk, actor=request.user, text=data["text"])
        return self._detail(item.pk, status.HTTP_201_CREATED)
