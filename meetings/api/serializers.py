from rest_framework import serializers

from agencies.api.serializers import AgencyBriefSerializer
from agencies.models import Agency
from competencies.models import ExpertPool, Track
from core.api_serializers import DateTimeInputField, StrictInputSerializer, text_or_empty
from meetings.models import (
    ActionItem,
    ActionItemNote,
    ActionStatus,
    AgendaItem,
    Event,
    EventKind,
    EventStatus,
    Invitation,
    InvitationSource,
    Rsvp,
)
from placements.api.serializers import ProfessionalBriefSerializer
from professionals.models import Professional

# ---------------------------------------------------------------------------------------------
# Output


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["position", "title", "presenter", "duration_minutes"]
        read_only_fields = fields


class InvitationSerializer(serializers.ModelSerializer):
    professional = ProfessionalBriefSerializer(read_only=True, allow_null=True)
    agency = AgencyBriefSerializer(read_only=True, allow_null=True)
    guest_email = text_or_empty("For external guests: their email address; else empty.")

    class Meta:
        model = Invitation
        fields = [
            "id",
            "professional",
            "guest_name",
            "guest_email",
            "guest_organisation",
            "agency",
            "source",
            "rsvp",
            "rsvp_at",
            "attended",
            "attendance_recorded_at",
        ]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The kind's code.")
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    invited_count = serializers.IntegerField(read_only=True)
    accepted_count = serializers.IntegerField(read_only=True)
    attended_count = serializers.IntegerField(read_only=True)
    online_url = text_or_empty("The video-conference link (a URL), or empty.")

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "kind_name",
            "title",
            "starts_at",
            "ends_at",
            "venue",
            "online_url",
            "status",
            "capacity",
            "invited_count",
            "accepted_count",
            "attended_count",
        ]
        read_only_fields = fields


class EventDetailSerializer(EventSerializer):
    """One event with its agenda and the invitations the account may see (with answers and attendance)."""

    organiser = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    invitations = InvitationSerializer(source="visible_invitations", many=True, read_only=True)
    minutes_status = serializers.SerializerMethodField()

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "description", "organiser", "agenda", "invitations", "minutes_status"]
        read_only_fields = fields

    def get_minutes_status(self, event) -> str | None:
        minutes = getattr(event, "minutes", None)
        return minutes.status if minutes is not None else None


class ActionItemNoteSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    status_from = serializers.CharField(
        read_only=True, help_text="For a change of status: the status before, else empty."
    )
    status_to = serializers.CharField(read_only=True, help_text="For a change of status: the new status, else empty.")

    class Meta:
        model = ActionItemNote
        fields = ["text", "status_from", "status_to", "author", "created_at"]
        read_only_fields = fields


class EventBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    starts_at = serializers.DateTimeField(read_only=True)


class ActionItemSerializer(serializers.ModelSerializer):
    event = EventBriefSerializer(read_only=True)
    owner_agency = AgencyBriefSerializer(read_only=True, allow_null=True)
    owner_professional = ProfessionalBriefSerializer(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "event",
            "title",
            "description",
            "owner_agency",
            "owner_professional",
            "due_date",
            "status",
            "overdue",
            "closed_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_overdue(self, item) -> bool:
        return item.is_overdue(self.context["today"])


class ActionItemDetailSerializer(ActionItemSerializer):
    notes = ActionItemNoteSerializer(many=True, read_only=True)

    class Meta(ActionItemSerializer.Meta):
        fields = [*ActionItemSerializer.Meta.fields, "notes"]
        read_only_fields = fields


# ---------------------------------------------------------------------------------------------
# Input


def _kind_field(**kwargs):
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=EventKind.objects.all(),
        error_messages={"does_not_exist": "There is no kind of event with the code {value}."},
        help_text="The kind's code, e.g. ict-heads-meeting.",
        **kwargs,
    )


class EventWriteSerializer(StrictInputSerializer):
    """Plan an event (all of kind, title, starts_at, ends_at required), or change some of its fields."""

    read_only_hints = {
        "status": "Change the status with POST .../status/.",
        "invitations": "Invite with POST .../invite/.",
    }

    kind = _kind_field()
    title = serializers.CharField(max_length=200)
    starts_at = DateTimeInputField(help_text="ISO 8601; without an offset it is read in the portal's time zone.")
    ends_at = DateTimeInputField()
    venue = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    online_url = serializers.URLField(required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)

    def validate(self, data):
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts is not None and ends is not None and ends <= starts:
            raise serializers.ValidationError(
                {"ends_at": "The event ends before it starts: the end must come after the start."}
            )
        return data


class EventStatusSerializer(StrictInputSerializer):
    status = serializers.ChoiceField(choices=EventStatus.choices)


class InviteSerializer(StrictInputSerializer):
    """Whom to invite: `source` and the one argument it needs."""

    source = serializers.ChoiceField(choices=InvitationSource.choices)
    agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        required=False,
        error_messages={"does_not_exist": "There is no agency with the code {value}."},
        help_text="source=agency: the agency's code.",
    )
    include_subagencies = serializers.BooleanField(required=False, default=False)
    track = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Track.objects.all(),
        required=False,
        error_messages={"does_not_exist": "There is no track with the code {value}."},
        help_text="source=track: the track's code.",
    )
    pool = serializers.PrimaryKeyRelatedField(
        queryset=ExpertPool.objects.all(), required=False, help_text="source=expert_pool: the pool's id."
    )
    professionals = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, help_text="source=by_hand: professional ids."
    )
    appointed_since = serializers.DateField(required=False, help_text="source=appointed_since: the first day.")
    guest_name = serializers.CharField(max_length=160, required=False, default="")
    guest_email = serializers.EmailField(required=False, default="")
    guest_organisation = serializers.CharField(max_length=200, required=False, default="")

    def selection(self):
        from meetings.services import InviteeSelection

        data = self.validated_data
        return InviteeSelection(
            source=data["source"],
            agency=data.get("agency"),
            include_subagencies=data["include_subagencies"],
            track_id=data["track"].pk if data.get("track") else None,
            pool_id=data["pool"].pk if data.get("pool") else None,
            professional_ids=tuple(data.get("professionals", ())),
            appointed_since=data.get("appointed_since"),
            guest_name=data["guest_name"],
            guest_email=data["guest_email"],
            guest_organisation=data["guest_organisation"],
        )


class AttendanceSerializer(StrictInputSerializer):
    """Tick one invitee: by `invitation` id or by `professional` id."""

    invitation = serializers.IntegerField(min_value=1, required=False)
    professional = serializers.IntegerField(min_value=1, required=False)
    attended = serializers.BooleanField()

    def validate(self, data):
        if ("invitation" in data) == ("professional" in data):
            raise serializers.ValidationError("Give either invitation or professional (one of them).")
        return data


class RsvpSerializer(StrictInputSerializer):
    invitation = serializers.IntegerField(min_value=1, help_text="The invitation's id (see the event's invitations).")
    answer = serializers.ChoiceField(choices=[(c, label) for c, label in Rsvp.choices if c != Rsvp.PENDING])


class ActionItemCreateSerializer(StrictInputSerializer):
    event = serializers.PrimaryKeyRelatedField(
        queryset=Event.objects.all(),
        error_messages={"does_not_exist": "There is no event with the id {pk_value}."},
        help_text="The event's id.",
    )
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    owner_agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": "There is no agency with the code {value}."},
        help_text="The owning agency's code.",
    )
    owner_professional = serializers.PrimaryKeyRelatedField(
        queryset=Professional.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        error_messages={"does_not_exist": "There is no professional with the id {pk_value}."},
        help_text="The owning professional's id.",
    )
    due_date = serializers.DateField()


class ActionItemStatusSerializer(StrictInputSerializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Required to drop an item.")


class ActionItemNoteCreateSerializer(StrictInputSerializer):
    text = serializers.CharField()
