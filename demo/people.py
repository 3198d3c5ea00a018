"""A year-by-year simulation of the ICT cadre, in plain Python objects (nothing touches the database).

The population starts `years` years ago (1 January) with staff appointed earlier, whose careers
before that day are simulated too (promotions and transfers only). Each year then brings, in this
order so that every person's history stays in date order: promotions on 1 January, leave
starting, leave ending (a return, or a resignation at the end of extraordinary leave),
retirements on the superannuation date, other exits, transfers, and recruitment up to the year's
headcount target. The last year runs up to today.

Exits are drawn to a yearly quota (a rate between 11.5% and 15.5% of the year's average
headcount), not person by person, so that the attrition report stays realistic even for a small
cadre. A few people are set up on purpose for the daily pending-status task: some on
extraordinary leave whose expected end has passed, some past their superannuation date.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections import Counter
from collections.abc import Sequence

from core.dates import date_at_age
from professionals.models import STATUS_AFTER_EVENT, GradeChange, Qualification, Status, StatusEventKind
from professionals.reference_data import GRADES, POSITION_TITLES
from professionals.retirement import AgeRule, superannuation_date

from . import names
from .agencies import DISSOLVED_CODE, PARENT_CODE, RESTRUCTURING_DATE, AgencySpec

ACTIVE = Status.ACTIVE.value
EOL = StatusEventKind.EOL.value
STUDY = StatusEventKind.STUDY_LEAVE.value
SECONDMENT = StatusEventKind.SECONDMENT.value
RETURN = StatusEventKind.RETURN.value
RESIGNATION = StatusEventKind.RESIGNATION.value
RETIREMENT = StatusEventKind.RETIREMENT.value
STATUS_AFTER = {kind.value: status.value for kind, status in STATUS_AFTER_EVENT.items()}
APPOINTMENT, TRANSFER, RESTRUCTURING = "appointment", "transfer", "restructuring"
PROMOTION = GradeChange.Reason.PROMOTION.value

GROWTH = 0.035  # a year: the cadre grows towards the 2030 target
ATTRITION = (0.115, 0.155)
EOL_RATE, STUDY_RATE, SECONDMENT_RATE, TRANSFER_RATE = 0.03, 0.012, 0.004, 0.09
# Non-retirement exits: resignations dominate; dismissals and deaths are rare.
EXIT_KINDS = [
    RESIGNATION,
    StatusEventKind.LEFT_CADRE.value,
    StatusEventKind.TERMINATION.value,
    StatusEventKind.DEATH.value,
]
EXIT_WEIGHTS = [840, 110, 35, 15]  # deaths in service are about 0.2% of staff a year

CATEGORY = {code: category for code, category, _ in GRADES}
RANK = {code: rank for code, _, rank in GRADES}
# Promotion ladder within the bands: S5..S1 then the senior supervisory SS4..SS1; P5..P1, then
# (rarely) the specialist grades. EX posts are political-executive and not part of the cadre.
NEXT_GRADE = {
    "S5": "S4", "S4": "S3", "S3": "S2", "S2": "S1", "S1": "SS4", "SS4": "SS3", "SS3": "SS2", "SS2": "SS1",
    "P5": "P4", "P4": "P3", "P3": "P2", "P2": "P1", "P1": "ES3", "ES3": "ES2", "ES2": "ES1",
}  # fmt: skip
MIN_YEARS_IN_GRADE = {"P2": 5, "P1": 6, "ES3": 5, "ES2": 5, "SS2": 5}  # otherwise 4
MERITORIOUS = 0.4
PROMOTION_CHANCE = {
    "S5": 0.75, "S4": 0.60, "S3": 0.50, "S2": 0.40, "S1": 0.20, "SS4": 0.40, "SS3": 0.35, "SS2": 0.25,
    "P5": 0.75, "P4": 0.55, "P3": 0.35, "P2": 0.15, "P1": 0.04, "ES3": 0.10, "ES2": 0.05,
}  # fmt: skip
TRACKS = [
    "application-development", "infrastructure-networks", "cybersecurity", "data-analytics",
    "service-desk-support", "enterprise-architecture", "telecom-space", "ict-management",
]  # fmt: skip
TRACK_WEIGHTS = {"S": [18, 28, 6, 4, 34, 2, 6, 2], "P": [24, 20, 9, 9, 8, 6, 5, 19]}


def _title_for(grade: str) -> str | None:
    """The default title whose band (within the same category) holds the grade."""
    for code, _, low, high in POSITION_TITLES:
        if CATEGORY[low] == CATEGORY[grade] and RANK[low] <= RANK[grade] <= RANK[high]:
            return code
    return None


TITLE_FOR_GRADE = {code: _title_for(code) for code in CATEGORY}


def minus_years(day: dt.date, years: int) -> dt.date:
    return date_at_age(day, -years)


def stochastic_round(rng: random.Random, value: float) -> int:
    """Round up with probability equal to the fraction, so that small expected counts still happen."""
    whole = int(value)
    return whole + (1 if rng.random() < value - whole else 0)


def weighted_sample(rng: random.Random, items: Sequence, weights: Sequence[float], k: int) -> list:
    """k items without replacement, each chosen with probability proportional to its weight
    (Efraimidis-Spirakis keys): O(n log k), fast enough for 50,000 people a year."""
    if k <= 0:
        return []
    keyed = [(rng.random() ** (1.0 / w), i) for i, w in enumerate(weights) if w > 0]
    return [items[i] for _, i in heapq.nlargest(k, keyed)]


class Person:
    __slots__ = (
        "employee_id", "national_id", "first_name", "middle_name", "last_name", "gender", "date_of_birth", "email",
        "phone", "appointed", "contract", "grade", "grade_since", "title", "track", "superannuation", "status",
        "agency", "placements", "events", "grades", "qualifications", "busy", "leave_end", "protected",
        "keep_past_superannuation", "overdue", "fixed_category", "exit_date", "entry_grade", "pk",
    )  # fmt: skip

    def __init__(self, **fields):
        self.status = ACTIVE
        self.agency = ""
        self.placements: list[list] = []  # [agency code, start, end or None, kind, title code]
        self.events: list[tuple] = []  # (kind, effective date, expected end or None)
        self.grades: list[tuple] = []  # (grade code, effective date, reason)
        self.qualifications: list[tuple] = []  # (level, field, institution, country, year)
        self.leave_end = None
        self.protected = self.keep_past_superannuation = self.overdue = self.fixed_category = False
        self.exit_date = None
        self.pk = None
        for name, value in fields.items():
            setattr(self, name, value)
        self.busy = self.appointed  # the latest date in this person's history so far

    @property
    def category(self) -> str:
        return CATEGORY[self.grade]

    @property
    def in_service(self) -> bool:
        return self.exit_date is None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.middle_name, self.last_name) if part)


class Simulation:
    def __init__(
        self,
        rng: random.Random,
        *,
        target: int,
        years: int,
        today: dt.date,
        rules: dict[str, list[AgeRule]],
        agencies: list[AgencySpec],
    ):
        self.rng = rng
        self.target = target
        self.years = years
        self.today = today
        self.rules = rules
        self.start = dt.date(today.year - years, 1, 1)
        self.employing = [spec for spec in agencies if spec.weight > 0]
        self.headcount: Counter = Counter()
        self.people: list[Person] = []
        self._employee_ids: set[str] = set()
        self._national_ids: set[str] = set()
        # The demo's oldest serving staff were born in (today's year - 60): P-grade officers retire at 60.
        self.dob_min = dt.date(today.year - 60, 1, 1)
        self.dob_max = dt.date(today.year - 24, 12, 31)
        self.overdue_needed = max(2, round(0.006 * target))

    # -- the run -------------------------------------------------------------------------------

    def run(self) -> list[Person]:
        today, start = self.today, self.start
        elapsed = ((today - dt.date(today.year, 1, 1)).days + 1) / 365
        initial_size = max(1, round(self.target / (1 + GROWTH) ** (self.years + elapsed)))
        joining = sorted(self._initial_population(initial_size), key=lambda p: (p.appointed, p.employee_id))
        pool: list[Person] = []
        next_join = 0
        for year in range(joining[0].appointed.year, today.year + 1):
            jan1, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
            scale = elapsed if year == today.year else 1.0
            self._promote(pool, jan1)
            if year >= start.year:
                headcount_jan1 = len(pool)
                if year == today.year:
                    target_end = self.target
                else:
                    target_end = min(self.target, round(initial_size * (1 + GROWTH) ** (year - start.year + 1)))
                self._start_leaves(pool, year, jan1, end, scale)
                forced = self._end_leaves(pool, end)
                forced += self._retire(pool, end)
                pool = [p for p in pool if p.in_service]
                rate = self.rng.uniform(*ATTRITION)
                quota = round(rate * (headcount_jan1 + target_end) / 2 * scale)
                self._exit_some(pool, quota - forced, year, jan1, end)
                pool = [p for p in pool if p.in_service]
            self._transfer(pool, jan1, end, scale)
            while next_join < len(joining) and joining[next_join].appointed.year == year:
                self._join(joining[next_join])
                pool.append(joining[next_join])
                next_join += 1
            if year >= start.year:
                for person in self._recruit(target_end - len(pool), year, end):
                    self._join(person)
                    pool.append(person)
        self._finish()
        return self.people

    # -- who is there at the start -------------------------------------------------------------

    def _initial_population(self, size: int) -> list[Person]:
        rng, today, start = self.rng, self.today, self.start
        people = []
        # Set up on purpose: retirements spread over the history, some in the next 12 months, and a
        # few whose superannuation date has just passed while they are still in service.
        cohorts = [
            ("retiring", stochastic_round(rng, 0.009 * size * self.years), start + dt.timedelta(days=1),
             today - dt.timedelta(days=121)),
            ("next-year", max(2, round(0.008 * self.target)), today + dt.timedelta(days=1),
             today + dt.timedelta(days=365)),
            ("past-due", max(2, round(0.005 * self.target)), today - dt.timedelta(days=120),
             today - dt.timedelta(days=3)),
        ]  # fmt: skip
        for name, count, low, high in cohorts:
            for _ in range(min(count, size - len(people))):
                person = self._senior(low, high)
                if person is None:
                    continue
                # Kept from resigning (people this close to a pension rarely do), so that the
                # history shows retirements even for a small cadre.
                person.protected = True
                person.keep_past_superannuation = name == "past-due"
                people.append(person)
        # Anyone appointed before the start must not reach 56 (the lowest retirement age) before it.
        dob_min = max(self.dob_min, minus_years(start, 56) + dt.timedelta(days=1))
        while len(people) < size:
            entry = rng.choices(["S5", "P5", "P4"], [36, 61, 3])[0]
            low_age, high_age = {"S5": (21, 24), "P5": (22, 27), "P4": (25, 28)}[entry]
            for _ in range(30):
                service = rng.expovariate(1 / 8) if rng.random() < 0.65 else rng.uniform(0, 26)
                appointed = start - dt.timedelta(days=int(min(service, 30) * 365.25) + 1)
                age = rng.randint(low_age, high_age)
                born = minus_years(appointed, age) - dt.timedelta(days=rng.randint(0, 364))
                if born >= dob_min:
                    break
            else:
                born = dob_min + dt.timedelta(days=rng.randint(0, 364))
                appointed = min(date_at_age(born, high_age), start - dt.timedelta(days=30))
            people.append(self._new_person(appointed, entry, born, contract_rate=0.02))
        return people

    def _senior(self, low: dt.date, high: dt.date) -> Person | None:
        """Someone appointed long ago whose superannuation date falls between low and high."""
        rng = self.rng
        if high < low:
            return None
        category = rng.choices(["P", "S"], [6, 4])[0]
        born = self._born_to_retire_between(category, low, high)
        if born is None:
            category = "S" if category == "P" else "P"
            born = self._born_to_retire_between(category, low, high)
            if born is None:
                return None
        appointed = date_at_age(born, rng.randint(21, 28)) + dt.timedelta(days=rng.randint(0, 200))
        appointed = min(appointed, self.start - dt.timedelta(days=400))
        person = self._new_person(appointed, "P5" if category == "P" else "S5", born, contract_rate=0)
        person.fixed_category = True  # a category change would move the superannuation date
        return person

    def _born_to_retire_between(self, category: str, low: dt.date, high: dt.date) -> dt.date | None:
        rules = self.rules[category]
        ages = sorted({rule.age for rule in rules})
        for _ in range(60):
            day = low + dt.timedelta(days=self.rng.randint(0, (high - low).days))
            for age in ages:
                born = minus_years(day, age)
                if low <= superannuation_date(born, rules) <= high:
                    return born
        return None

    def _new_person(self, appointed: dt.date, entry_grade: str, born: dt.date, *, contract_rate: float) -> Person:
        rng = self.rng
        gender = "M" if rng.random() < 0.6 else "F"
        first, middle, last = self._name(gender)
        employee_id = self._unique(self._employee_ids, lambda: f"{appointed.year}{rng.randint(1, 999999):06d}")
        national_id = self._unique(
            self._national_ids,
            lambda: f"1{rng.randint(1, 20):02d}{rng.randint(1, 15):02d}{rng.randint(0, 999999):06d}",
        )
        local = ".".join(part.lower() for part in (first, last or middle) if part)
        category = "S" if CATEGORY[entry_grade] in ("S", "SS") else "P"
        person = Person(
            employee_id=employee_id,
            national_id=national_id,
            first_name=first,
            middle_name=middle,
            last_name=last,
            gender=gender,
            date_of_birth=born,
            email=f"{local}{employee_id[-3:]}@gov.bt",
            phone=f"{rng.choices(['17', '77'], [7, 3])[0]}{rng.randint(0, 999999):06d}",
            appointed=appointed,
            contract=rng.random() < contract_rate,
            grade=entry_grade,
            entry_grade=entry_grade,
            grade_since=appointed,
            title=TITLE_FOR_GRADE[entry_grade],
            track=rng.choices(TRACKS, TRACK_WEIGHTS[category])[0],
            superannuation=None,
        )
        person.superannuation = superannuation_date(born, self.rules[person.category])
        self.people.append(person)
        return person

    def _name(self, gender: str) -> tuple[str, str, str]:
        rng = self.rng
        if rng.random() < 0.14:
            male = gender == "M"
            first = rng.choice(names.LHOTSHAMPA_MALE_FIRST if male else names.LHOTSHAMPA_FEMALE_FIRST)
            middle = rng.choice(names.LHOTSHAMPA_MALE_MIDDLE if male else names.LHOTSHAMPA_FEMALE_MIDDLE)
            return first, middle, rng.choice(names.LHOTSHAMPA_FAMILY)
        first = rng.choice(names.SHARED_FIRST)
        if rng.random() < 0.04:
            return first, "", ""
        seconds = [n for n in (names.MALE_SECOND if gender == "M" else names.FEMALE_SECOND) if n != first]
        middle = ""
        if rng.random() < 0.1:
            middle = rng.choice([n for n in names.MIDDLE if n != first])
            seconds = [n for n in seconds if n != middle]
        return first, middle, rng.choice(seconds)

    @staticmethod
    def _unique(seen: set[str], draw) -> str:
        value = draw()
        while value in seen:
            value = draw()
        seen.add(value)
        return value

    # -- placements -------------------------------------------------------------------------------

    def _agency_weights(self, exclude: str = "") -> tuple[list[str], list[float]]:
        """Agencies by their share of the cadre; an agency with nobody gets a boost, since the
        parent agency fills empty ICT units first."""
        codes, cumulative, total = [], [], 0.0
        for spec in self.employing:
            if spec.code == exclude:
                continue
            total += spec.weight * (3 if self.headcount[spec.code] == 0 else 1)
            codes.append(spec.code)
            cumulative.append(total)
        return codes, cumulative

    def _join(self, person: Person) -> None:
        codes, cumulative = self._agency_weights()
        agency = self.rng.choices(codes, cum_weights=cumulative)[0]
        person.placements.append([agency, person.appointed, None, APPOINTMENT, None])
        person.agency = agency
        person.grades.append((person.grade, person.appointed, GradeChange.Reason.APPOINTMENT.value))
        self.headcount[agency] += 1

    def _close_placement(self, person: Person, day: dt.date) -> None:
        current = person.placements[-1]
        current[2], current[4] = day, person.title
        self.headcount[person.agency] -= 1

    def _transfer(self, pool: list[Person], jan1: dt.date, end: dt.date, scale: float) -> None:
        """About 8% a year, never within 3 years of appointment or a year of superannuation, never
        contract staff; long-serving staff in one place are the likeliest to move."""
        rng = self.rng
        candidates, weights = [], []
        for p in pool:
            if p.status != ACTIVE or p.contract or p.superannuation <= end + dt.timedelta(days=365):
                continue
            earliest = max(p.busy + dt.timedelta(days=1), p.placements[-1][1] + dt.timedelta(days=365), jan1)
            earliest = max(earliest, date_at_age(p.appointed, 3))
            if earliest <= end:
                candidates.append((p, earliest))
                weights.append(1 + (end - p.placements[-1][1]).days / 1100)
        count = stochastic_round(rng, TRANSFER_RATE * len(pool) * scale)
        for person, earliest in weighted_sample(rng, candidates, weights, count):
            day = earliest + dt.timedelta(days=rng.randint(0, (end - earliest).days))
            codes, cumulative = self._agency_weights(exclude=person.agency)
            agency = rng.choices(codes, cum_weights=cumulative)[0]
            self._close_placement(person, day)
            person.placements.append([agency, day, None, TRANSFER, None])
            person.agency = agency
            person.busy = day
            self.headcount[agency] += 1

    # -- grades -----------------------------------------------------------------------------------

    def _promote(self, pool: list[Person], jan1: dt.date) -> None:
        """Promotions take effect on 1 January after the minimum years in grade (a year fewer, less
        often, for a meritorious promotion); none on leave, on probation or on contract."""
        rng = self.rng
        probation_end = minus_years(jan1, 1)
        for p in pool:
            if p.status != ACTIVE or p.contract or p.appointed > probation_end:
                continue
            nxt = NEXT_GRADE.get(p.grade)
            if nxt is None or (p.fixed_category and CATEGORY[nxt] != p.category):
                continue
            years_needed = MIN_YEARS_IN_GRADE.get(p.grade, 4)
            if minus_years(jan1, years_needed - 1) < p.grade_since:
                continue
            chance = PROMOTION_CHANCE[p.grade]
            if minus_years(jan1, years_needed) < p.grade_since:
                chance *= MERITORIOUS  # a year early, for an outstanding performance rating
            if rng.random() >= chance:
                continue
            changes_category = CATEGORY[nxt] != p.category
            p.grade, p.grade_since, p.title = nxt, jan1, TITLE_FOR_GRADE[nxt]
            p.grades.append((nxt, jan1, PROMOTION))
            if changes_category:
                p.superannuation = superannuation_date(p.date_of_birth, self.rules[p.category])

    # -- leave --------------------------------------------------------------------------------------

    def _start_leaves(self, pool: list[Person], year: int, jan1: dt.date, end: dt.date, scale: float) -> None:
        rng = self.rng
        two_years_ago = minus_years(jan1, 2)
        candidates = [
            p
            for p in pool
            if p.status == ACTIVE
            and not p.contract
            and not p.protected
            and p.appointed <= two_years_ago
            and p.busy < end
        ]
        rng.shuffle(candidates)
        eol_count = stochastic_round(rng, EOL_RATE * len(pool) * scale)
        overdue_year = year == self.today.year - 1
        if overdue_year:
            eol_count += self.overdue_needed
        wanted = [
            (EOL, eol_count, 180, 730),
            (STUDY, stochastic_round(rng, STUDY_RATE * len(pool) * scale), 330, 730),
            (SECONDMENT, stochastic_round(rng, SECONDMENT_RATE * len(pool) * scale), 365, 1095),
        ]
        for kind, count, shortest, longest in wanted:
            while count > 0 and candidates:
                person = candidates.pop()
                earliest = max(person.busy + dt.timedelta(days=1), jan1)
                start = earliest + dt.timedelta(days=rng.randint(0, (end - earliest).days))
                expected = start + dt.timedelta(days=rng.randint(shortest, longest))
                overdue = None
                if kind == EOL and self.overdue_needed and overdue_year:
                    overdue = self._overdue_leave(person, earliest, end)
                    if overdue:
                        start, expected = overdue
                # Nobody starts leave they could not finish before superannuation.
                if expected + dt.timedelta(days=60) >= person.superannuation:
                    continue
                if overdue:
                    person.overdue = person.protected = True
                    self.overdue_needed -= 1
                person.events.append((kind, start, expected))
                person.status = STATUS_AFTER[kind]
                person.leave_end = expected
                person.busy = start
                count -= 1

    def _overdue_leave(self, person: Person, earliest: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
        """An extraordinary leave that should have ended a little before today, with no return
        recorded. Started last year, so a start 6 to 24 months before its end always fits."""
        if person.superannuation <= self.today + dt.timedelta(days=365):
            return None
        expected = self.today - dt.timedelta(days=self.rng.randint(7, 100))
        low, high = max(earliest, expected - dt.timedelta(days=730)), min(end, expected - dt.timedelta(days=180))
        if high < low:
            return None
        return low + dt.timedelta(days=self.rng.randint(0, (high - low).days)), expected

    def _end_leaves(self, pool: list[Person], end: dt.date) -> int:
        """Leave whose expected end has come: most return (some early); about a third of those on
        extraordinary leave resign instead. Returns the number of exits."""
        rng = self.rng
        exits = 0
        for p in pool:
            if p.leave_end is None or p.leave_end > end or p.overdue:
                continue
            kind, due = p.events[-1][0], p.leave_end
            if (kind == EOL and rng.random() < 0.32) or (kind == STUDY and rng.random() < 0.04):
                self._exit(p, RESIGNATION, due)
                exits += 1
                continue
            day = due
            if rng.random() < 0.15:
                day = max(p.busy + dt.timedelta(days=1), due - dt.timedelta(days=rng.randint(1, 60)))
            p.events.append((RETURN, day, None))
            p.status, p.leave_end, p.busy = ACTIVE, None, day
            if kind == STUDY:
                level, field = Qualification.Level.MASTER.value, rng.choice(names.MASTER_FIELDS)
                institution, country = rng.choice(names.MASTER_SCHOOLS)
                p.qualifications.append((level, field, institution, country, day.year))
        return exits

    # -- exits --------------------------------------------------------------------------------------

    def _exit(self, person: Person, kind: str, day: dt.date) -> None:
        person.events.append((kind, day, None))
        person.status = STATUS_AFTER[kind]
        self._close_placement(person, day)
        person.exit_date = person.busy = day
        person.leave_end = None

    def _retire(self, pool: list[Person], end: dt.date) -> int:
        retired = 0
        for p in pool:
            if p.superannuation <= end and not p.keep_past_superannuation:
                self._exit(p, RETIREMENT, max(p.superannuation, p.busy + dt.timedelta(days=1)))
                retired += 1
        return retired

    def _exit_some(self, pool: list[Person], count: int, year: int, jan1: dt.date, end: dt.date) -> None:
        """Fill the year's exit quota, weighted towards those who really leave: contract staff,
        young officers, people already on extraordinary leave."""
        rng = self.rng
        candidates, weights = [], []
        for p in pool:
            if p.protected or p.appointed.year >= year or max(p.busy, jan1) >= end:
                continue
            weight = 1.0
            if p.contract:
                weight *= 2.5
            if p.grade in ("P5", "P4", "S5", "S4", "S3"):
                weight *= 1.5
            elif p.grade in ("P1", "ES3", "ES2", "ES1", "SS1"):
                weight *= 0.4
            if p.status == Status.EOL:
                weight *= 3
            candidates.append(p)
            weights.append(weight)
        for person in weighted_sample(rng, candidates, weights, count):
            earliest = max(person.busy, jan1) + dt.timedelta(days=1)
            kind = rng.choices(EXIT_KINDS, EXIT_WEIGHTS)[0]
            self._exit(person, kind, earliest + dt.timedelta(days=rng.randint(0, (end - earliest).days)))

    # -- recruitment --------------------------------------------------------------------------------

    def _recruit(self, count: int, year: int, end: dt.date) -> list[Person]:
        """New staff, most of them in the first quarter (after the civil-service examination)."""
        rng = self.rng
        first = dt.date(year, 1, 2) if end > dt.date(year, 1, 1) else end
        spring = min(end, dt.date(year, 3, 31))
        recruits = []
        for _ in range(max(0, count)):
            last = spring if rng.random() < 0.5 else end
            appointed = first + dt.timedelta(days=rng.randint(0, (last - first).days))
            entry = rng.choices(["S5", "P5", "P4"], [35, 62, 3])[0]
            low_age, high_age = {"S5": (21, 24), "P5": (22, 27), "P4": (25, 28)}[entry]
            born = minus_years(appointed, rng.randint(low_age, high_age)) - dt.timedelta(days=rng.randint(0, 364))
            if born > self.dob_max:
                born = self.dob_max - dt.timedelta(days=rng.randint(0, 364))
            recruits.append(self._new_person(appointed, entry, born, contract_rate=0.04))
        return recruits

    # -- after the last year ------------------------------------------------------------------------

    def _finish(self) -> None:
        """Titles on open placements, the 2022 restructuring, and qualifications."""
        for person in self.people:
            if person.in_service:
                person.placements[-1][4] = person.title
            person.placements = self._restructured(person.placements)
            self._qualify(person)

    @staticmethod
    def _restructured(placements: list[list]) -> list[list]:
        """Staff of the parent agency before 1 December 2022 served in the Ministry of Information
        and Communications; those still there that day moved to the new agency by restructuring."""
        result = []
        for agency, start, end, kind, title in placements:
            if agency != PARENT_CODE or start >= RESTRUCTURING_DATE:
                result.append([agency, start, end, kind, title])
            elif end is not None and end <= RESTRUCTURING_DATE:
                result.append([DISSOLVED_CODE, start, end, kind, title])
            else:
                result.append([DISSOLVED_CODE, start, RESTRUCTURING_DATE, kind, title])
                result.append([PARENT_CODE, RESTRUCTURING_DATE, end, RESTRUCTURING, title])
        return result

    def _qualify(self, person: Person) -> None:
        """The entry qualification (missing for some records) and perhaps one more, up to two."""
        rng = self.rng
        last_year = (person.exit_date or self.today).year
        earned = list(person.qualifications)  # a master's from study leave
        diploma_entry = person.entry_grade == "S5"
        if rng.random() < 0.9:
            year = person.appointed.year - rng.randint(0, 1)
            if diploma_entry:
                entry = ("diploma", rng.choice(names.DIPLOMA_FIELDS), *rng.choice(names.DIPLOMA_SCHOOLS), year)
            else:
                entry = ("bachelor", rng.choice(names.BACHELOR_FIELDS), *rng.choice(names.BACHELOR_SCHOOLS), year)
            earned.insert(0, entry)
        if len(earned) < 2 and last_year - person.appointed.year >= 3 and rng.random() < 0.35:
            year = rng.randint(person.appointed.year + 2, last_year)
            if diploma_entry and rng.random() < 0.6:
                extra = ("bachelor", rng.choice(names.BACHELOR_FIELDS), *rng.choice(names.BACHELOR_SCHOOLS), year)
            elif not diploma_entry and rng.random() < 0.3:
                extra = ("pg_diploma", rng.choice(names.PG_DIPLOMA_FIELDS), *rng.choice(names.PG_DIPLOMA_SCHOOLS), year)
            else:
                extra = ("certificate", rng.choice(names.CERTIFICATES), "", "", year)
            earned.append(extra)
        person.qualifications = earned[:2]
