"""Demo competencies, training, certifications and expert pools for `seed_demo`.

Built in bulk from what is in the database (people, tracks, requirements): assessments for most
people in service (levels around what their title needs, weaker in the tracks where the seeds say
skills are scarce), two years of training programmes with requests in every state and their
records, certifications of which some expire within weeks, and the seeds' six expert pools with
members, nominations and a few deployments. `CompetencyLevel` rows are written with the
assessments they come from (the latest confirmed one per person and competency), as
`current_level_refresh` would have.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from accounts.models import User
from competencies.models import (
    Assessment,
    AssessmentKind,
    Certification,
    Competency,
    CompetencyLevel,
    Deployment,
    ExpertPool,
    ExpertPoolMembership,
    ProgrammeCompetency,
    Requirement,
    Track,
    TrainingProgramme,
    TrainingRecord,
    TrainingRequest,
)
from professionals.models import IN_SERVICE_STATUSES, Professional

BATCH = 5000

# The seeds' pools: (name, track, competencies, purpose).
POOLS = [
    ("Infocomm security", "cybersecurity", ["SCTY", "SCAD", "PENT"], "Security reviews, audits and incident support."),
    ("ICT strategic planning", "ict-management", ["ITSP", "GOVN"], "Sector ICT master plans and five-year plans."),
    ("Project management", "ict-management", ["PRMG", "PGMG"], "Rescue and review of government ICT projects."),
    ("Networking", "infrastructure-networks", ["NTDS", "NTAS"], "Network design for agencies and dzongkhags."),
    ("Systems analysis and design", "application-development", ["REQM", "ARCH"], "Requirements and design reviews."),
    ("Space technology", "telecom-space", ["SPAC", "RFEN"], "Satellite and earth-observation applications."),
]
# Tracks where skills are scarce: levels drawn lower (a visible gap on the heatmap).
SCARCE = {"cybersecurity": -1, "data-analytics": -1, "telecom-space": -1, "service-desk-support": 0}
PROGRAMMES = [
    ("Secure coding for government developers", ["PROG", "SCTY"], 3),
    ("Certified information security practice", ["SCTY", "SCAD"], 4),
    ("Penetration testing hands-on", ["PENT"], 3),
    ("Data engineering with open-source tools", ["DENG", "DTAN"], 3),
    ("Applied data science for policy", ["DATS"], 3),
    ("Project management professional preparation", ["PRMG"], 4),
    ("ICT strategic planning and governance", ["ITSP", "GOVN"], 5),
    ("Enterprise architecture foundation", ["STPL", "ARCH"], 3),
    ("Network design and routing", ["NTDS", "NTAS"], 3),
    ("Cloud and data-centre operations", ["ITOP"], 3),
    ("IT service management foundation", ["USUP"], 3),
    ("Satellite applications for public services", ["SPAC", "RFEN"], 3),
    ("Personal data protection for officers", ["PEDP"], 3),
    ("Requirements and business analysis", ["REQM", "BUSA"], 3),
]
PROVIDERS = ["Royal Institute of Management", "GovTech Academy", "Jigme Namgyel Engineering College", "ITU Academy"]
CERTIFICATES = {
    "cybersecurity": [("CISSP", "ISC2"), ("CEH", "EC-Council"), ("CompTIA Security+", "CompTIA")],
    "infrastructure-networks": [("CCNA", "Cisco"), ("CCNP Enterprise", "Cisco"), ("AWS Solutions Architect", "AWS")],
    "ict-management": [("PMP", "PMI"), ("PRINCE2 Practitioner", "PeopleCert"), ("COBIT Foundation", "ISACA")],
    "application-development": [("Oracle Java Professional", "Oracle"), ("Scrum Master", "Scrum Alliance")],
    "data-analytics": [("Data Analyst Associate", "Microsoft"), ("TensorFlow Developer", "Google")],
    "enterprise-architecture": [("TOGAF Enterprise Architecture", "The Open Group")],
    "service-desk-support": [("ITIL 4 Foundation", "PeopleCert")],
    "telecom-space": [("Certified Wireless Network Administrator", "CWNP")],
}
DEPLOYMENTS = [
    "Security audit of the electronic government procurement system",
    "ICT master plan for the dzongkhag administration",
    "Review of the delayed health information system project",
    "Campus network redesign after the office move",
    "Requirements for the land records system replacement",
    "Flood mapping with satellite imagery",
]
OUTCOMES = [
    "Findings report delivered; 12 of 15 recommendations adopted.",
    "Plan endorsed by the agency's management committee.",
    "Project re-baselined and back on schedule.",
    "Design handed over to the agency's ICT unit for procurement.",
]


@dataclass
class DemoCompetencies:
    assessments: int = 0
    programmes: int = 0
    requests: int = 0
    certifications: int = 0
    expiring_soon: int = 0
    memberships: int = 0
    deployments: int = 0


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def _bulk(model, rows) -> list:
    created = []
    for start in range(0, len(rows), BATCH):
        created += model.objects.bulk_create(rows[start : start + BATCH])
    return created


def _people():
    """(id, track id, title id, grade rank, agency id) of everyone in service: one query."""
    return list(
        Professional.objects.filter(status__in=IN_SERVICE_STATUSES)
        .order_by("pk")
        .values_list("pk", "track_id", "position_title_id", "grade__rank", "current_agency_id")
    )


def _requirements() -> dict[tuple[int, int], list[tuple[int, int, int, int]]]:
    found = defaultdict(list)
    rows = Requirement.objects.values_list(
        "track_id", "position_title_id", "min_grade__rank", "max_grade__rank", "competency_id", "level"
    )
    for track_id, title_id, low, high, competency_id, level in rows:
        found[(track_id, title_id)].append((low or -1, high or 10**6, competency_id, level))
    return found


def _assess(rng: random.Random, people, today: dt.date, assessor_id: int | None) -> tuple[int, dict]:
    """Assessments for about 85% of people: the current (latest confirmed) one per competency they
    need, an older lower one for some, an unconfirmed self-assessment for a few. Returns how many
    and each person's current levels."""
    requirements = _requirements()
    scarce = {pk: SCARCE.get(code, 0) for code, pk in ((t.code, t.pk) for t in Track.objects.all())}
    assessments: list[Assessment] = []
    current: list[tuple[int, int, int, dt.date]] = []  # (person, competency, level, day): the latest confirmed
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    for pk, track_id, title_id, rank, _agency in people:
        if rng.random() > 0.85:
            continue
        for low, high, competency_id, required in requirements.get((track_id, title_id), []):
            if not low <= rank <= high:
                continue
            level = max(1, min(7, required + scarce.get(track_id, 0) + rng.choice((-2, -1, -1, 0, 0, 0, 0, 1))))
            day = today - dt.timedelta(days=rng.randint(20, 700))
            kind = AssessmentKind.SUPERVISOR if rng.random() < 0.6 else AssessmentKind.DIVISION
            if rng.random() < 0.2 and level > 1:
                older = day - dt.timedelta(days=rng.randint(200, 700))
                assessments.append(_row(pk, competency_id, AssessmentKind.SUPERVISOR, level - 1, older, assessor_id))
            assessments.append(_row(pk, competency_id, kind, level, day, assessor_id))
            current.append((pk, competency_id, level, day))
            levels[pk][competency_id] = level
            if rng.random() < 0.05:
                own = min(7, level + 1)
                assessments.append(_row(pk, competency_id, AssessmentKind.SELF, own, today, None, confirmed=False))
    created = _bulk(Assessment, assessments)
    latest = {
        (a.professional_id, a.competency_id): a
        for a in created
        if a.confirmed_at is not None  # the later of two confirmed rows comes last in `created`
    }
    _bulk(
        CompetencyLevel,
        [
            CompetencyLevel(
                professional_id=pk, competency_id=cid, level=level, assessment=latest[(pk, cid)], assessed_on=day
            )
            for pk, cid, level, day in current
        ],
    )
    return len(created), levels


def _row(pk, competency_id, kind, level, day, assessor_id, confirmed=True) -> Assessment:
    stamp_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    return Assessment(
        professional_id=pk,
        competency_id=competency_id,
        kind=kind,
        level=level,
        assessed_on=day,
        evidence="Annual performance and skills review." if kind != AssessmentKind.SELF else "",
        assessed_by_id=assessor_id if kind != AssessmentKind.SELF else None,
        confirmed_at=stamp_at if confirmed else None,
        confirmed_by_id=assessor_id if confirmed else None,
    )


def _training(rng: random.Random, people, today: dt.date, division_id, heads, summary: DemoCompetencies) -> None:
    """Two years of programmes (and a few to come), requests in every state, records of the completed."""
    competencies = dict(Competency.objects.values_list("code", "pk"))
    by_track = defaultdict(list)
    for pk, track_id, _title, _rank, agency_id in people:
        by_track[track_id].append((pk, agency_id))
    competency_tracks = defaultdict(set)
    for track_id, code in Track.competencies.through.objects.values_list("track_id", "competency__code"):
        competency_tracks[code].add(track_id)
    now = timezone.now()
    programmes = []
    for offset in range(-24, 4):  # one or two a month from two years ago to three months ahead
        for _ in range(rng.choice((1, 1, 2))):
            title, codes, level = rng.choice(PROGRAMMES)
            start = today.replace(day=1) + dt.timedelta(days=30 * offset + rng.randint(0, 20))
            programme = TrainingProgramme(
                title=title,
                provider=rng.choice(PROVIDERS),
                mode=rng.choice(("classroom", "classroom", "online", "blended", "abroad")),
                start_date=start,
                end_date=start + dt.timedelta(days=rng.choice((2, 4, 4, 9, 20))),
                seats=rng.choice((15, 20, 25, 30)),
                description=f"Develops {', '.join(codes)} to level {level}.",
            )
            programmes.append((programme, codes, level))
    created = _bulk(TrainingProgramme, [p for p, _, _ in programmes])
    _bulk(
        ProgrammeCompetency,
        [
            ProgrammeCompetency(programme=p, competency_id=competencies[code], level=level)
            for p, (_, codes, level) in zip(created, programmes, strict=True)
            for code in codes
            if code in competencies
        ],
    )
    summary.programmes = len(created)
    requests, members, records = [], [], []
    through = TrainingRequest.professionals.through
    for programme, (_, codes, _level) in zip(created, programmes, strict=True):
        tracks = set().union(*(competency_tracks.get(code, set()) for code in codes))
        pool = [person for track_id in sorted(tracks) for person in by_track.get(track_id, [])]
        if not pool:
            continue
        taken = 0
        for _ in range(rng.randint(2, 5)):
            chosen = rng.sample(pool, min(len(pool), rng.randint(1, 4)))
            if taken + len(chosen) > programme.seats:
                break
            past = programme.end_date < today
            state = rng.choice(
                ("completed", "completed", "completed", "rejected", "withdrawn")
                if past
                else ("submitted", "submitted", "approved", "approved", "rejected")
            )
            if state in ("approved", "completed"):
                taken += len(chosen)
            agency_id = chosen[0][1]
            # Asked a month or two before the start (and never after today), decided within two
            # weeks, completed a few days after the end: no answer comes before its question.
            requested_at = min(
                _at(programme.start_date - dt.timedelta(days=rng.randint(20, 60))),
                now - dt.timedelta(days=rng.randint(1, 10)),
            )
            decided_at = min(requested_at + dt.timedelta(days=rng.randint(2, 15)), now - dt.timedelta(hours=2))
            request = TrainingRequest(
                programme=programme,
                agency_id=agency_id,
                requested_by_id=heads.get(agency_id),
                reason=f"To close the gap in {' and '.join(codes)} found in the last review.",
                state=state,
                decided_by_id=division_id if state in ("approved", "completed", "rejected") else None,
                decided_at=decided_at if state != "submitted" else None,
                decision_note="No seats left this round; ask again next year." if state == "rejected" else "",
                completed_at=(
                    min(_at(programme.end_date + dt.timedelta(days=rng.randint(1, 10))), now)
                    if state == "completed"
                    else None
                ),
            )
            requests.append((request, [pk for pk, _ in chosen], requested_at))
    made = _bulk(TrainingRequest, [r for r, _, _ in requests])
    for request, (_, _, requested_at) in zip(made, requests, strict=True):
        request.created_at = requested_at
    TrainingRequest.objects.bulk_update(made, ["created_at"], batch_size=2000)  # auto_now_add set it to now
    seen = set()
    for request, (_, people_ids, _) in zip(made, requests, strict=True):
        for pk in people_ids:
            if (request.programme_id, pk) in seen:
                continue
            seen.add((request.programme_id, pk))
            members.append(through(trainingrequest_id=request.pk, professional_id=pk))
            if request.state == "completed":
                result = rng.choice(("passed", "passed", "passed", "passed", "failed", "absent"))
                certificate = (
                    f"{request.programme.provider[:3].upper()}-{request.pk}-{pk}" if result == "passed" else ""
                )
                records.append(
                    TrainingRecord(
                        professional_id=pk,
                        programme_id=request.programme_id,
                        request=request,
                        attended=result != "absent",
                        result=result,
                        certificate=certificate,
                    )
                )
    _bulk(through, members)
    _bulk(TrainingRecord, records)
    summary.requests = len(made)


def _certifications(rng: random.Random, people, today: dt.date, summary: DemoCompetencies) -> None:
    track_code = dict(Track.objects.values_list("pk", "code"))
    rows = []
    for pk, track_id, *_ in people:
        options = CERTIFICATES.get(track_code.get(track_id))
        if not options or rng.random() > 0.3:
            continue
        name, issuer = rng.choice(options)
        roll = rng.random()
        if roll < 0.06:
            expires = today + dt.timedelta(days=rng.randint(1, 60))  # reminders due soon
        elif roll < 0.1:
            expires = today - dt.timedelta(days=rng.randint(1, 300))  # lapsed
        else:
            expires = today + dt.timedelta(days=rng.randint(61, 1060))
        issued = expires - dt.timedelta(days=3 * 365)  # valid three years: issued a month ago at the latest
        rows.append(Certification(professional_id=pk, name=name, issuer=issuer, issued_on=issued, expires_on=expires))
    _bulk(Certification, rows)
    summary.certifications = len(rows)
    summary.expiring_soon = sum(1 for c in rows if today <= c.expires_on <= today + dt.timedelta(days=60))


def _pools(rng: random.Random, people, levels, today: dt.date, division_id, summary: DemoCompetencies) -> None:
    """The seeds' six pools; members are the strongest of the pool's track in its competencies."""
    tracks = dict(Track.objects.values_list("code", "pk"))
    competencies = dict(Competency.objects.values_list("code", "pk"))
    memberships, busy_until = [], {}
    agency_ids = sorted({agency for *_, agency in people if agency})
    for name, track_code, codes, purpose in POOLS:
        pool, _ = ExpertPool.objects.update_or_create(
            name=name, defaults={"track_id": tracks.get(track_code), "purpose": purpose}
        )
        wanted = [competencies[c] for c in codes if c in competencies]
        pool.competencies.set(wanted)
        track_id = tracks.get(track_code)
        candidates = sorted(
            (
                (sum(levels.get(pk, {}).get(cid, 0) for cid in wanted), pk)
                for pk, person_track, *_ in people
                if person_track == track_id
            ),
            reverse=True,
        )[:14]
        chosen = [pk for _, pk in candidates]
        for index, pk in enumerate(chosen):
            state = "accepted" if index < 10 else "nominated" if index < 12 else "declined" if index == 12 else "ended"
            since = today - dt.timedelta(days=rng.randint(200, 1200)) if state in ("accepted", "ended") else None
            memberships.append(
                ExpertPoolMembership(
                    pool=pool,
                    professional_id=pk,
                    role="lead" if index == 0 else "member",
                    state=state,
                    since=since,
                    until=today - dt.timedelta(days=30) if state == "ended" else None,
                    note="Asked to lead an agency project this year instead."
                    if state == "declined"
                    else "Strong track record in the pool's field.",
                    nominated_by_id=division_id,
                    decided_by_id=division_id if state != "nominated" else None,
                )
            )
        deployable = [m for m in memberships[len(memberships) - len(chosen) :] if m.state == "accepted"]
        for number in range(rng.randint(1, 3) if deployable else 0):
            start = today - dt.timedelta(days=90 + 150 * number + rng.randint(0, 30))
            end = start + dt.timedelta(days=rng.choice((5, 10, 20)))
            experts = [
                m.professional_id
                for m in rng.sample(deployable, min(len(deployable), 2))
                if busy_until.get(m.professional_id, dt.date.min) < start and m.since <= start
            ]
            if not experts:
                continue
            for pk in experts:
                busy_until[pk] = end
            deployment = Deployment.objects.create(
                pool=pool,
                agency_id=rng.choice(agency_ids),
                request=rng.choice(DEPLOYMENTS),
                start_date=start,
                end_date=end,
                outcome=rng.choice(OUTCOMES) if end < today else "",
                created_by_id=division_id,
            )
            deployment.experts.set(experts)
            summary.deployments += 1
    ExpertPoolMembership.objects.bulk_create(memberships)
    summary.memberships = len(memberships)


def create_demo_competencies(rng: random.Random, *, today: dt.date) -> DemoCompetencies:
    """Everything above, for the people in the database. Call before the meetings (which invite the
    pools' members)."""
    summary = DemoCompetencies()
    people = _people()
    division_id = User.objects.filter(username="division").values_list("pk", flat=True).first()
    heads = dict(User.objects.filter(role="agency_head").values_list("agency_id", "pk"))
    summary.assessments, levels = _assess(rng, people, today, division_id)
    _training(rng, people, today, division_id, heads, summary)
    _certifications(rng, people, today, summary)
    _pools(rng, people, levels, today, division_id, summary)
    return summary


DEMO_MODELS = [
    CompetencyLevel,
    Assessment,
    TrainingRecord,
    TrainingRequest.professionals.through,
    TrainingRequest,
    ProgrammeCompetency,
    TrainingProgramme,
    Certification,
    Deployment.experts.through,
    Deployment,
    ExpertPoolMembership,
]


def delete_demo_competencies() -> None:
    """Empty the demo's competency rows and their audit rows with plain DELETEs, children first
    (the ORM would fetch every row to write a deletion audit row). Frameworks, tracks, requirements
    and pools (reference data) stay."""
    quote = connection.ops.quote_name
    tables = [model._meta.db_table for model in DEMO_MODELS]
    tables += [model.history.model._meta.db_table for model in DEMO_MODELS if hasattr(model, "history")]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {quote(table)}")
