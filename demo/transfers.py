"""Transfer requests for the demo: a few in every state, with their timelines, rule checks,
overrides and numbered office orders.

Rows are written in bulk like the rest of the seed (the services would send emails and render PDFs
at commit). Office orders get their numbers here; their PDFs are rendered on first download, so
seeding 50,000 professionals costs only a few dozen extra rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import replace

from django.db.models import F
from simple_history.utils import bulk_create_with_history

from accounts.models import Role, User
from agencies.models import Agency, SiteSettings
from core.dates import add_months
from placements.models import (
    TRANSITIONS,
    OfficeOrder,
    OfficeOrderEntry,
    Placement,
    RequesterSide,
    TransferAction,
    TransferRequest,
    TransferRequestEvent,
    TransferRuleOverride,
    TransferState,
)
from placements.office_orders import office_order_number
from placements.rules import Proposal, rules_check
from professionals.models import Professional

from .people import ACTIVE, TRANSFER, Person

# How many requests the demo shows in each open or closed state.
PLAN = [
    (TransferState.DRAFT, 3),
    (TransferState.SUBMITTED, 4),
    (TransferState.CONCURRED, 3),
    (TransferState.APPROVED, 3),
    (TransferState.REJECTED, 2),
    (TransferState.WITHDRAWN, 2),
    (TransferState.CANCELLED, 1),
]
EFFECTED = 5
# The moves that lead to each state, after "create".
SUBMIT, CONCUR, APPROVE = TransferAction.SUBMIT, TransferAction.CONCUR, TransferAction.APPROVE
PATH = {
    TransferState.DRAFT: [],
    TransferState.SUBMITTED: [SUBMIT],
    TransferState.CONCURRED: [SUBMIT, CONCUR],
    TransferState.APPROVED: [SUBMIT, CONCUR, APPROVE],
    TransferState.EFFECTED: [SUBMIT, CONCUR, APPROVE, TransferAction.EFFECT],
    TransferState.REJECTED: [SUBMIT, TransferAction.REJECT],
    TransferState.WITHDRAWN: [SUBMIT, TransferAction.WITHDRAW],
    TransferState.CANCELLED: [SUBMIT, CONCUR, APPROVE, TransferAction.CANCEL],
}
REASONS = [
    "The receiving agency's ICT unit is short of staff for its new digital services.",
    "Rotation after long service in one workplace.",
    "Spouse posted to the same dzongkhag; request on compassionate grounds.",
    "Skills in networking needed for the agency's data-centre migration.",
    "Strengthening the ICT unit before the next five-year plan.",
]
NOTES = {
    TransferAction.REJECT: "No vacant post this financial year; please ask again after the establishment review.",
    TransferAction.WITHDRAW: "The agency has found a local solution.",
    TransferAction.CANCEL: "The receiving agency's new project was deferred.",
    TransferAction.CONCUR: "We agree and will receive the officer.",
}
OVERRIDE_REASON = "Approved by the ICT Management Division's HR committee (demo data)."


def _eligible(person: Person, today: dt.date) -> bool:
    if not person.in_service or person.status != ACTIVE or person.contract or not person.title:
        return False
    since = person.placements[-1][1]
    far = add_months(today, 30)
    return (
        add_months(person.appointed, 36) <= today
        and add_months(since, 36) <= today
        and (person.superannuation is None or person.superannuation > far)
    )


def create_transfer_requests(rng: random.Random, *, people: list[Person], today: dt.date, reason: str) -> int:
    """Write the demo's requests; returns how many."""
    heads = dict(User.objects.filter(role=Role.AGENCY_HEAD).values_list("agency_id", "id"))
    division_id = User.objects.filter(username="division").values_list("id", flat=True).first()
    receiving_ids = sorted(Agency.objects.filter(id__in=heads, dissolved_on__isnull=True).values_list("id", flat=True))
    codes = dict(Agency.objects.values_list("code", "id"))
    # Chosen from the simulation's own records first; only the few chosen are read back.
    eligible = [p for p in people if _eligible(p, today) and codes.get(p.placements[-1][0]) in heads]
    eligible.sort(key=lambda p: p.employee_id)
    wanted = sum(n for _, n in PLAN)
    chosen = rng.sample(eligible, min(wanted, len(eligible)))
    recent = [
        p
        for p in people
        if p.in_service
        and len(p.placements) > 1
        and p.placements[-1][3] == TRANSFER
        and p.placements[-1][1] > today - dt.timedelta(days=540)
    ]
    recent.sort(key=lambda p: p.employee_id)
    effected = rng.sample(recent, min(EFFECTED, len(recent)))
    current = {
        p.professional_id: p
        for p in Placement.objects.filter(
            end_date__isnull=True, professional_id__in=[x.pk for x in chosen + effected]
        ).select_related("agency", "position_title")
    }

    professionals = Professional.objects.in_bulk([p.pk for p in chosen + effected])
    agencies = Agency.objects.in_bulk(receiving_ids + [current[p.pk].agency_id for p in chosen + effected])
    prefix = SiteSettings.load().office_order_prefix
    plans: list[dict] = []
    states = [state for state, n in PLAN for _ in range(n)]
    for person, state in zip(chosen, states, strict=False):
        placement = current[person.pk]
        to_id = rng.choice([pk for pk in receiving_ids if pk != placement.agency_id])
        day = today + dt.timedelta(days=rng.randint(20, 90))
        made = dt.datetime.combine(today - dt.timedelta(days=rng.randint(5, 120)), dt.time(10), dt.UTC)
        plans.append({"person": person, "state": state, "from": placement, "to_id": to_id, "day": day, "made": made})
    for person in effected:
        placement = current[person.pk]
        previous = person.placements[-2]
        made = dt.datetime.combine(placement.start_date - dt.timedelta(days=60), dt.time(10), dt.UTC)
        plans.append(
            {
                "person": person,
                "state": TransferState.EFFECTED,
                "from_id": codes.get(previous[0]),
                "to_id": placement.agency_id,
                "day": placement.start_date,
                "made": made,
                "placement": placement,
            }
        )

    requests, orders, entries, events, overrides = [], [], [], [], []
    for plan in plans:
        person, state = plan["person"], plan["state"]
        professional = professionals[person.pk]
        from_id = plan.get("from_id", plan["from"].agency_id if "from" in plan else None)
        title_id = professional.position_title_id
        results = []
        if state != TransferState.DRAFT and "from" in plan:
            proposal = Proposal(
                kind="transfer",
                professional=professional,
                current=plan["from"],
                receiving_agency=agencies[plan["to_id"]],
                position_title=professional.position_title,
                effective_date=plan["day"],
            )
            # Every failing rule is overridden by the division, as rules_check would mark it.
            checked = [
                r if r.passed else replace(r, overridden=True, override_reason=OVERRIDE_REASON)
                for r in rules_check(proposal)
            ]
            results = [r.as_dict() for r in checked]
        request = TransferRequest(
            kind="transfer",
            professional_id=person.pk,
            releasing_agency_id=from_id,
            receiving_agency_id=plan["to_id"],
            position_title_id=title_id,
            reason=rng.choice(REASONS),
            proposed_effective_date=plan["day"],
            effective_date=plan["day"]
            if state in (TransferState.APPROVED, TransferState.EFFECTED, TransferState.CANCELLED)
            else None,
            requested_by_id=heads.get(from_id),
            requester_side=RequesterSide.RELEASING,
            concurrence_from=RequesterSide.RECEIVING,
            state=state,
            rule_results=results,
            rules_checked_at=plan["made"] + dt.timedelta(hours=1) if results else None,
            submitted_at=plan["made"] + dt.timedelta(hours=1) if state != TransferState.DRAFT else None,
            created_at=plan["made"],
        )
        plan["request"] = request
        plan["overrides"] = [r["code"] for r in results if r["overridden"]]
        if TransferAction.APPROVE in PATH[state]:
            issued = plan["made"].date() + dt.timedelta(days=9)
            plan["order"] = OfficeOrder(
                year=issued.year,
                issued_on=issued,
                issued_by_id=division_id,
                subject=f"Transfer of {professional.full_name} ({professional.employee_id})",
                body=f"{professional.full_name} is hereby transferred to {agencies[plan['to_id']].name} with effect "
                f"from {plan['day']:%d %B %Y}.\n\nReason: {request.reason}",
            )
            orders.append(plan)
        requests.append(request)

    # Number the orders in the order they were issued, per year, as office_order_issue would have.
    per_year: dict[int, int] = defaultdict(int)
    for plan in sorted(orders, key=lambda p: (p["order"].issued_on, p["person"].employee_id)):
        order = plan["order"]
        per_year[order.year] += 1
        order.sequence = per_year[order.year]
        order.number = office_order_number(prefix, order.year, order.sequence)
    bulk_create_with_history([p["order"] for p in orders], OfficeOrder, default_change_reason=reason)
    for plan in orders:
        plan["request"].office_order = plan["order"]
        entries.append(
            OfficeOrderEntry(
                order=plan["order"],
                professional_id=plan["person"].pk,
                from_agency_id=plan["request"].releasing_agency_id,
                to_agency_id=plan["to_id"],
                position_title_id=plan["request"].position_title_id,
                effective_date=plan["day"],
            )
        )
        if "placement" in plan:
            plan["request"].effected_placement_id = plan["placement"].pk
            Placement.objects.filter(pk=plan["placement"].pk).update(office_order_number=plan["order"].number)
    OfficeOrderEntry.objects.bulk_create(entries)
    bulk_create_with_history(requests, TransferRequest, default_change_reason=reason)

    for plan in plans:
        request = plan["request"]
        at = plan["made"]
        actors = {
            TransferAction.SUBMIT: request.requested_by_id,
            TransferAction.WITHDRAW: request.requested_by_id,
            TransferAction.CONCUR: heads.get(request.receiving_agency_id),
            TransferAction.REJECT: heads.get(request.receiving_agency_id),
        }
        events.append(
            TransferRequestEvent(
                request=request, action=TransferAction.CREATE, to_state="draft", at=at, actor_id=request.requested_by_id
            )
        )
        from_state = TransferState.DRAFT
        for step, action in enumerate(PATH[plan["state"]], start=1):
            to_state = TRANSITIONS[action][1]
            when = (
                dt.datetime.combine(request.effective_date, dt.time(0, 30), dt.UTC)
                if action == TransferAction.EFFECT
                else at + dt.timedelta(days=3 * step, hours=1)
            )
            actor = actors.get(action, division_id if action != TransferAction.EFFECT else None)
            events.append(
                TransferRequestEvent(
                    request=request,
                    action=action,
                    from_state=from_state,
                    to_state=to_state,
                    at=when,
                    actor_id=actor,
                    note=NOTES.get(action, ""),
                )
            )
            from_state = to_state
        for code in plan["overrides"]:
            overrides.append(
                TransferRuleOverride(request=request, rule=code, reason=OVERRIDE_REASON, overridden_by_id=division_id)
            )
    TransferRequestEvent.objects.bulk_create(events)
    TransferRuleOverride.objects.bulk_create(overrides)
    # The decisions' times, from the timelines just written.
    TransferRequest.objects.filter(
        pk__in=[r.pk for r in requests],
        state__in=[TransferState.APPROVED, TransferState.EFFECTED, TransferState.REJECTED, TransferState.CANCELLED],
    ).update(decided_at=F("submitted_at") + dt.timedelta(days=6))
    return len(requests)
