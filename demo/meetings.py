"""Demo meetings for `seed_demo`: five years of quarterly ICT Heads' meetings, biennial ICT
conferences with 100+ invitees, review committee and experts' group meetings, orientation of new
professionals, realistic answers and attendance, minutes, and action items in every state (some
overdue). Everything goes in with bulk_create: the services (one row at a time, with emails) would
be far too slow for the benchmark data set, and these rows are consistent by construction.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from agencies.models import ICTUnit
from competencies.models import ExpertPoolMembership
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
    Minutes,
    MinutesStatus,
    Rsvp,
)
from placements.models import Placement
from professionals.models import IN_SERVICE_STATUSES

VENUES = [
    "GovTech conference hall, Thimphu",
    "Royal Institute of Management, Semtokha",
    "Tashi Namgay Resort, Paro",
    "Hotel Norbuling, Thimphu",
]
HEADS_AGENDA = [
    ("Opening remarks and adoption of the agenda", "Director, ICT Management Division"),
    ("Follow-up on the action items of the last meeting", "ICT Management Division"),
    ("Transfers and placements planned for the next half year", "HR section"),
    ("Government data centre and cloud migration", "Infrastructure team"),
    ("Cybersecurity incidents and the national CIRT", "BtCIRT"),
    ("e-Government master plan: progress by agency", "Enterprise architecture team"),
    ("Capacity development and training nominations", "Competency section"),
    ("Any other business", ""),
]
ACTION_TEMPLATES = [
    "Submit the agency's ICT staffing plan for the next plan period",
    "Nominate two officers for the cybersecurity certification course",
    "Share the inventory of information systems and their owners",
    "Complete the migration of the agency website to the government data centre",
    "Report security incidents of the quarter to the national CIRT",
    "Review the draft ICT service standards and send comments",
    "Update the ICT unit's terms of reference to the new template",
    "Confirm the list of critical information infrastructure",
    "Prepare the backup and disaster-recovery test report",
    "Register the agency's domains under the .gov.bt policy",
]
MINUTES_TEXT = (
    "{n}. {title}\n\n{presenter} presented the item. The heads discussed the progress across agencies and "
    "the constraints reported by the dzongkhags. It was decided that the agencies concerned follow up as "
    "recorded in the action items below."
)


@dataclass
class DemoMeetings:
    events: int = 0
    invitations: int = 0
    action_items: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:  # meetings fall on working days
        day += dt.timedelta(days=1)
    return day


@dataclass
class _Plan:
    kind: str
    title: str
    day: dt.date
    days: int
    invitees: list[tuple[int, int | None, str]]  # (professional id, agency id, source)
    capacity: int | None = None
    status: str = EventStatus.PLANNED
    guests: list[tuple[str, str, str]] = field(default_factory=list)


def _people(today: dt.date):
    """(id, first appointment, track id, current agency id) of everyone in service: one query."""
    return list(
        Placement.objects.filter(end_date__isnull=True, professional__status__in=IN_SERVICE_STATUSES).values_list(
            "professional_id", "professional__first_appointment_date", "professional__track_id", "agency_id"
        )
    )


def _postings():
    """(professional id, agency id, start, end) of every placement, past ones included: one query.
    A conference years ago invited those serving then, some of whom have left since."""
    return list(Placement.objects.values_list("professional_id", "agency_id", "start_date", "end_date"))


def _serving_on(postings, day: dt.date) -> dict[int, int]:
    """Who was placed where on `day`: professional id -> agency id."""
    return {pid: agency_id for pid, agency_id, start, end in postings if start <= day and (end is None or end >= day)}


def _expert_pools(rng: random.Random, people) -> dict[str, list[int]]:
    """The current members in service of each expert pool (demo/competencies.py seeds the pools)."""
    in_service = {pid for pid, _, _, _ in people}
    members: dict[str, list[int]] = {}
    rows = ExpertPoolMembership.objects.current().values_list("pool__name", "professional_id")
    for name, pid in rows.order_by("pool__name", "professional_id"):
        if pid in in_service:
            members.setdefault(name, []).append(pid)
    return members


def _plans(rng: random.Random, today: dt.date, years: int, people, heads, pools, postings) -> list[_Plan]:
    agency_of = {pid: agency_id for pid, _, _, agency_id in people}
    appointed = {pid: day for pid, day, _, _ in people}
    plans: list[_Plan] = []

    def heads_on(day):
        return [(pid, agency_id, InvitationSource.ICT_HEADS) for pid, agency_id in heads if appointed[pid] <= day]

    head_ids = {pid for pid, _ in heads}
    first_year = today.year - years + 1
    for year in range(first_year, today.year + 2):  # and the next half year's, still planned
        for quarter, month in enumerate((2, 5, 8, 11), start=1):
            day = _weekday(dt.date(year, month, 12 + rng.randrange(8)))
            if day > today + dt.timedelta(days=200):
                continue
            plans.append(_Plan("ict-heads-meeting", f"ICT Heads' meeting, Q{quarter} {year}", day, 1, heads_on(day)))
        if (today.year - year) % 2 == 0 and year <= today.year:
            day = _weekday(dt.date(year, 10, 20 + rng.randrange(6)))
            serving = _serving_on(postings, day)
            others = sorted(pid for pid in serving if pid not in head_ids)
            sample = rng.sample(others, min(110, len(others)))
            invitees = heads_on(day) + [(pid, serving[pid], InvitationSource.BY_HAND) for pid in sample]
            guests = [
                ("Dr Anjali Rao", "anjali.rao@example.org", "Asian Development Bank"),
                ("Mr Kenji Sato", "k.sato@example.jp", "JICA Bhutan office"),
            ]
            plans.append(
                _Plan(
                    "ict-conference", f"National ICT conference {year}", day, 2, invitees, capacity=250, guests=guests
                )
            )
    for year in range(max(first_year, today.year - 1), today.year + 1):
        for month in (3, 9):
            day = _weekday(dt.date(year, month, 5 + rng.randrange(10)))
            if day > today + dt.timedelta(days=120):
                continue
            members = rng.sample(heads, min(8, len(heads)))
            invitees = [(pid, agency_id, InvitationSource.BY_HAND) for pid, agency_id in members]
            plans.append(_Plan("review-committee", f"ICT review committee, {day:%B %Y}", day, 1, invitees))
        day = _weekday(dt.date(year, 1, 25))
        if day <= today:
            newcomers = [
                (pid, agency_of[pid], InvitationSource.APPOINTED_SINCE)
                for pid, appointed_on, _, _ in people
                if dt.date(year - 1, 1, 1) <= appointed_on <= day
            ][:150]
            plans.append(_Plan("orientation", f"Orientation of new ICT professionals {year}", day, 2, newcomers))
    for offset, name in zip(
        (400, 180, -25), ("Infocomm security", "ICT strategic planning", "Networking"), strict=True
    ):
        day = _weekday(today - dt.timedelta(days=offset))
        invitees = [(pid, agency_of.get(pid), InvitationSource.EXPERT_POOL) for pid in pools.get(name, [])]
        plans.append(_Plan("experts-group", f"Experts' group: {name}", day, 1, invitees))
    cancelled = _Plan(
        "senior-user-management",
        "Senior user management meeting",
        _weekday(today - dt.timedelta(days=75)),
        1,
        heads_on(today)[:12],
    )
    cancelled.status = EventStatus.CANCELLED
    plans.append(cancelled)
    for plan in plans:
        if plan.status != EventStatus.CANCELLED:
            plan.status = EventStatus.HELD if plan.day < today else EventStatus.PLANNED
    return plans


def create_demo_meetings(rng: random.Random, *, today: dt.date, years: int = 5) -> DemoMeetings:
    """Create the demo meetings from what is in the database (people, units, logins)."""
    years = max(1, min(years, 5))
    kinds = dict(EventKind.objects.values_list("code", "id"))
    organiser = User.objects.filter(username="division").values_list("id", flat=True).first()
    people = _people(today)
    in_service = {pid for pid, _, _, _ in people}
    heads = sorted(
        (head_id, agency_id)
        for head_id, agency_id in ICTUnit.objects.filter(
            agency__dissolved_on__isnull=True, head__isnull=False
        ).values_list("head_id", "agency_id")
        if head_id in in_service
    )
    heads = list(dict(heads).items())  # one invitation per person
    pools = _expert_pools(rng, people)
    plans = _plans(rng, today, years, people, heads, pools, _postings())
    now = timezone.now()

    events = [
        Event(
            kind_id=kinds[plan.kind],
            title=plan.title,
            starts_at=_at(plan.day, 9, 30),
            ends_at=_at(plan.day + dt.timedelta(days=plan.days - 1), 17 if plan.days > 1 else 13),
            venue=rng.choice(VENUES),
            online_url="https://meet.gov.bt/ict-heads" if plan.kind == "ict-heads-meeting" else "",
            organiser_id=organiser,
            description=f"{plan.title}, convened by the ICT Management Division.",
            status=plan.status,
            capacity=plan.capacity,
        )
        for plan in plans
    ]
    # With the initial "+" history row the services would have written.
    bulk_create_with_history(events, Event, default_change_reason="Demo data")

    # Some agencies turn up more reliably than others: attendance rates per agency differ.
    reliability: dict[int | None, float] = {}
    agenda, invitations, minutes, items = [], [], [], []
    for plan, event in zip(plans, events, strict=True):
        for position, (title, presenter) in enumerate(HEADS_AGENDA[: 4 + rng.randrange(4)], start=1):
            agenda.append(
                AgendaItem(event=event, position=position, title=title, presenter=presenter, duration_minutes=30)
            )
        seen = set()
        for pid, agency_id, source in plan.invitees:
            if pid in seen:
                continue
            seen.add(pid)
            rsvp, attended = _answer(rng, plan, reliability.setdefault(agency_id, rng.uniform(0.55, 0.98)))
            emailed, answered = _mail_and_answer(rng, event.starts_at, now)
            invitations.append(
                Invitation(
                    event=event,
                    professional_id=pid,
                    agency_id=agency_id,
                    source=source,
                    rsvp=rsvp,
                    rsvp_at=answered if rsvp != Rsvp.PENDING else None,
                    attended=attended,
                    attendance_recorded_at=event.starts_at if attended is not None else None,
                    emailed_at=emailed,
                )
            )
        for name, email, organisation in plan.guests:
            came = plan.status == EventStatus.HELD
            invitations.append(
                Invitation(
                    event=event,
                    guest_name=name,
                    guest_email=email,
                    guest_organisation=organisation,
                    source=InvitationSource.GUEST,
                    rsvp=Rsvp.ACCEPTED,
                    attended=True if came else None,
                )
            )
        if plan.status == EventStatus.HELD and plan.kind in ("ict-heads-meeting", "ict-conference", "review-committee"):
            text = "\n\n".join(
                MINUTES_TEXT.format(n=n, title=title, presenter=presenter or "The chair")
                for n, (title, presenter) in enumerate(HEADS_AGENDA[:5], start=1)
            )
            recent = plan.day >= today - dt.timedelta(days=45)
            minutes.append(
                Minutes(
                    event=event,
                    text=text,
                    status=MinutesStatus.DRAFT if recent else MinutesStatus.APPROVED,
                    approved_by_id=None if recent else organiser,
                    approved_at=None if recent else _at(plan.day + dt.timedelta(days=10), 10),
                )
            )
            items += _action_items(rng, plan, event, today, organiser)
    AgendaItem.objects.bulk_create(agenda, batch_size=2000)
    Invitation.objects.bulk_create(invitations, batch_size=2000)
    Minutes.objects.bulk_create(minutes)
    bulk_create_with_history(
        [item for item, _ in items], ActionItem, batch_size=2000, default_change_reason="Demo data"
    )
    notes = [
        ActionItemNote(action_item=item, author_id=organiser, text=text, status_from=src, status_to=dst)
        for item, history in items
        for text, src, dst in history
    ]
    ActionItemNote.objects.bulk_create(notes, batch_size=2000)
    by_status: dict[str, int] = {}
    for item, _ in items:
        by_status[item.status] = by_status.get(item.status, 0) + 1
    return DemoMeetings(events=len(events), invitations=len(invitations), action_items=len(items), by_status=by_status)


def _mail_and_answer(rng: random.Random, starts_at: dt.datetime, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """When the invitation went out (a month ahead, or a few days ago for a meeting further off)
    and when an answer came: between the two, and never after today."""
    emailed = min(starts_at - dt.timedelta(days=30), now - dt.timedelta(days=rng.randint(3, 10)))
    latest = min(starts_at - dt.timedelta(days=1), now)
    window = max(0, int((latest - emailed).total_seconds()))
    return emailed, emailed + dt.timedelta(seconds=rng.randint(min(window, 3600), window) if window else 0)


def _answer(rng: random.Random, plan: _Plan, reliability: float) -> tuple[str, bool | None]:
    roll = rng.random()
    if plan.status == EventStatus.CANCELLED:
        return (Rsvp.ACCEPTED if roll < 0.5 else Rsvp.PENDING), None
    if plan.status == EventStatus.PLANNED:
        answer = (
            Rsvp.ACCEPTED
            if roll < 0.45
            else Rsvp.DECLINED
            if roll < 0.55
            else Rsvp.TENTATIVE
            if roll < 0.62
            else Rsvp.PENDING
        )
        return answer, None
    answer = Rsvp.ACCEPTED if roll < 0.72 else Rsvp.DECLINED if roll < 0.84 else Rsvp.PENDING
    came_chance = {Rsvp.ACCEPTED: 0.95, Rsvp.DECLINED: 0.03, Rsvp.PENDING: 0.45}[answer] * reliability
    return answer, rng.random() < came_chance


def _action_items(rng: random.Random, plan: _Plan, event: Event, today: dt.date, organiser):
    agencies = sorted({agency_id for _, agency_id, _ in plan.invitees if agency_id})
    owners = {agency_id: pid for pid, agency_id, _ in plan.invitees if agency_id}
    result = []
    for title in rng.sample(ACTION_TEMPLATES, 2 + rng.randrange(3)):
        if not agencies:
            break
        agency_id = rng.choice(agencies)
        due = plan.day + dt.timedelta(days=rng.choice((30, 45, 60, 90, 120)))
        age = (today - due).days
        roll = rng.random()
        if age > 60:
            status = (
                ActionStatus.DONE
                if roll < 0.7
                else ActionStatus.DROPPED
                if roll < 0.8
                else ActionStatus.IN_PROGRESS
                if roll < 0.9
                else ActionStatus.OPEN
            )
        elif age > 0:
            status = ActionStatus.DONE if roll < 0.4 else ActionStatus.IN_PROGRESS if roll < 0.7 else ActionStatus.OPEN
        else:
            status = ActionStatus.OPEN if roll < 0.55 else ActionStatus.IN_PROGRESS if roll < 0.9 else ActionStatus.DONE
        closed = (
            min(today, due + dt.timedelta(days=rng.randint(-20, 25)))
            if status in (ActionStatus.DONE, ActionStatus.DROPPED)
            else None
        )
        item = ActionItem(
            event=event,
            title=title,
            owner_agency_id=agency_id,
            owner_professional_id=owners[agency_id] if rng.random() < 0.4 else None,
            due_date=due,
            status=status,
            created_by_id=organiser,
            closed_on=closed,
        )
        history = []
        if status != ActionStatus.OPEN:
            history.append(("Work has started.", ActionStatus.OPEN, ActionStatus.IN_PROGRESS))
        if status == ActionStatus.DONE:
            history.append(("Completed and reported to the division.", ActionStatus.IN_PROGRESS, ActionStatus.DONE))
        if status == ActionStatus.DROPPED:
            history.append(("Overtaken by the new national policy.", ActionStatus.IN_PROGRESS, ActionStatus.DROPPED))
        result.append((item, history))
    return result


def delete_demo_meetings() -> None:
    """Remove all meetings rows (for seed_demo --reset), children first."""
    for model in (ActionItemNote, ActionItem, Minutes, Invitation, AgendaItem, Event):
        if hasattr(model, "history"):
            model.history.all().delete()
        model.objects.all().delete()
