"""The parameters of a report, checked before anything is queued: the portal's form and the API
call `report_parameters_clean`, which answers either the canonical parameters (codes, sorted,
defaults filled in) or a ValidationError whose messages say what to change.

At run time `selection_for` turns the stored codes back into the literal lists of ids that the
analytics filter on, within the requester's scope: an agency head never reaches beyond their
subtree, and an agency outside it is refused as unknown, exactly like one that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError

from accounts.access import scope_for
from agencies.models import Agency
from agencies.querysets import scope_agency_ids, subtree_ids

from .analytics import Selection
from .models import ReportFormat, ReportKind

MAX_YEARS = 30
EARLIEST_YEAR = 1950
DEFAULT_ATTRITION_YEARS = 10
DEFAULT_PLAN_YEARS = 5
ROSTER_PDF_LIMIT = 5000


def _codes(value) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, Iterable):
        raise ValidationError("Give a list of codes.")
    return sorted({str(code).strip() for code in value if str(code).strip()})


def _year(data: dict, name: str, default: int, errors: dict) -> int:
    value = data.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        errors[name] = f"Give a year as a number, e.g. {default}."
        return default


def _unknown(kind: str, codes: Iterable[str]) -> str:
    codes = sorted(codes)
    plural = "s" if len(codes) > 1 else ""
    return f"Unknown {kind}{plural}: {', '.join(codes)}. Use the codes shown in the list."


def report_parameters_clean(*, user, kind: str, format: str, data: dict, today: dt.date) -> dict:
    """The canonical parameters of a report `kind` in `format` asked by `user`, or a
    ValidationError naming each field to correct. Runs a handful of small queries (the codes,
    and whether the selection covers anybody)."""
    from competencies.models import Track
    from professionals.models import Grade

    errors: dict[str, str] = {}
    if kind not in ReportKind.values:
        raise ValidationError({"kind": f"Choose a report: {', '.join(ReportKind.values)}."})
    if format not in ReportFormat.values:
        raise ValidationError({"format": f"Choose a format: {', '.join(ReportFormat.values)}."})
    params: dict = {}
    try:
        agencies, tracks, grades = (_codes(data.get(name)) for name in ("agencies", "tracks", "grades"))
    except ValidationError as error:
        raise ValidationError({"agencies": error.messages[0]}) from error
    include_sub = data.get("include_sub_agencies", True)
    params["include_sub_agencies"] = include_sub not in (False, "false", "0", "off", "")

    visible = Agency.objects.visible_to(user)
    found = dict(visible.filter(code__in=agencies).values_list("code", "id")) if agencies else {}
    if set(agencies) - set(found):
        errors["agencies"] = _unknown("agency", set(agencies) - set(found))
    known_tracks = dict(Track.objects.filter(code__in=tracks).values_list("code", "id")) if tracks else {}
    if set(tracks) - set(known_tracks):
        errors["tracks"] = _unknown("track", set(tracks) - set(known_tracks))
    known_grades = dict(Grade.objects.filter(code__in=grades).values_list("code", "id")) if grades else {}
    if set(grades) - set(known_grades):
        errors["grades"] = _unknown("grade", set(grades) - set(known_grades))
    params.update(agencies=agencies, tracks=tracks, grades=grades)

    if kind == ReportKind.ATTRITION:
        end = _year(data, "end_year", today.year, errors)
        start = _year(data, "start_year", end - DEFAULT_ATTRITION_YEARS + 1, errors)
        if end > today.year:
            errors["end_year"] = (
                f"The period ends in {end}, in the future: attrition counts what happened, up to {today.year} "
                "(this year so far)."
            )
        elif start > end:
            errors["start_year"] = f"The period starts in {start}, after its end in {end}."
        elif end - start + 1 > MAX_YEARS:
            errors["start_year"] = (
                f"The period {start}-{end} is {end - start + 1} years long; a report covers at most {MAX_YEARS}."
            )
        elif start < EARLIEST_YEAR:
            errors["start_year"] = f"The period starts before {EARLIEST_YEAR}; the records do not go back so far."
        params.update(start_year=start, end_year=end)
    elif kind == ReportKind.PROJECTION:
        start = _year(data, "start_year", today.year, errors)
        years = _year(data, "years", DEFAULT_PLAN_YEARS, errors)
        if start < today.year:
            errors["start_year"] = f"A plan starts this year ({today.year}) or later, not in {start}."
        elif start > today.year + MAX_YEARS:
            errors["start_year"] = f"A plan starts within {MAX_YEARS} years from now."
        if not 1 <= years <= MAX_YEARS:
            errors["years"] = f"A plan lasts from 1 to {MAX_YEARS} years, not {years}."
        if grades:
            errors["grades"] = "The projection is by agency and track; leave grades empty."
        params.update(start_year=start, years=years, attrition_rates=_rates(data.get("attrition_rates"), errors))
        unknown = set(params["attrition_rates"]) - {"*"} - set(Track.objects.values_list("code", flat=True))
        if unknown:
            errors["attrition_rates"] = _unknown("track", unknown)
    if errors:
        raise ValidationError(errors)

    selection = selection_for(user, params)
    problem = _empty_selection(kind, format, selection, params, today)
    if problem:
        raise ValidationError({"__all__": problem})
    return params


def _rates(value, errors: dict) -> dict[str, float]:
    """{"track code" or "*": per cent a year}; "*" applies to every track without its own."""
    if value in (None, "", {}):
        return {}
    if not isinstance(value, dict):
        errors["attrition_rates"] = 'Give rates as {"track code": per cent}, e.g. {"*": 8.5}.'
        return {}
    rates = {}
    for code, rate in value.items():
        try:
            rate = float(rate)
        except (TypeError, ValueError):
            errors["attrition_rates"] = f"The rate for {code} is not a number."
            continue
        if not 0 <= rate <= 100:
            errors["attrition_rates"] = f"A rate is a percentage from 0 to 100; {rate:g} for {code} is not."
        rates[str(code)] = rate
    return dict(sorted(rates.items()))


def selection_for(user, params: dict) -> Selection:
    """The literal ids a run covers, within `user`'s scope (see the module's docstring)."""
    from competencies.models import Track
    from professionals.models import Grade

    scope = scope_for(user)
    visible = Agency.objects.visible_to(user)
    if params.get("agencies"):
        chosen = list(visible.filter(code__in=params["agencies"]).values_list("id", flat=True))
        ids = subtree_ids(chosen) if params.get("include_sub_agencies", True) else chosen
        if not scope.everything:
            # An agency head's scope is a whole subtree, so this keeps everything; for any other
            # scope (one agency without its children) it cuts what lies below.
            allowed = (
                set(scope_agency_ids(user, scope.agency_id))
                if scope.agency_id is not None
                else set(visible.values_list("id", flat=True))
            )
            ids = [i for i in ids if i in allowed]
        agency_ids = tuple(sorted(ids))
    elif scope.everything:
        agency_ids = None
    elif scope.agency_id is not None:
        agency_ids = tuple(scope_agency_ids(user, scope.agency_id))
    else:
        agency_ids = tuple(visible.values_list("id", flat=True).order_by("id"))
    track_ids = tuple(Track.objects.filter(code__in=params["tracks"]).values_list("id", flat=True)) or None
    grade_ids = tuple(Grade.objects.filter(code__in=params["grades"]).values_list("id", flat=True)) or None
    return Selection(agency_ids=agency_ids, track_ids=track_ids, grade_ids=grade_ids)


def _empty_selection(kind: str, format: str, selection: Selection, params: dict, today: dt.date) -> str | None:
    """A message when the selection covers nobody (nothing to report), or a roster PDF too long."""
    from placements.models import Placement
    from professionals.models import IN_SERVICE_STATUSES, Professional

    from .analytics import _year_end

    if kind == ReportKind.ATTRITION:
        placed = selection.placements_in(
            Placement.objects.filter(start_date__lte=_year_end(params["end_year"])).exclude(
                end_date__lt=_year_end(params["start_year"] - 1)
            )
        )
        if not placed.exists():
            return (
                f"Nobody in this selection was placed in {params['start_year']}-{params['end_year']}: "
                "choose other agencies, tracks or grades, or another period."
            )
        return None
    people = selection.professionals_in(Professional.objects.filter(status__in=IN_SERVICE_STATUSES))
    if kind == ReportKind.HEADCOUNT and selection.agency_ids == ():
        return "This selection holds no agency: choose at least one agency you may see."
    if kind == ReportKind.PROJECTION:
        has_posts = (
            selection.agency_ids is None
            or Agency.objects.filter(pk__in=selection.agency_ids, sanctioned_posts__isnull=False).exists()
        )
        if not people.exists() and not has_posts:
            return "Nobody is in service in this selection and it has no sanctioned posts: nothing to project."
        return None
    if kind == ReportKind.ROSTER:
        count = people.count()
        if not count:
            return "Nobody in service matches this selection: choose other agencies, tracks or grades."
        if format == ReportFormat.PDF and count > ROSTER_PDF_LIMIT:
            return (
                f"A roster PDF lists at most {ROSTER_PDF_LIMIT:,} people and this selection has {count:,}: "
                "choose Excel or CSV, or narrow the selection."
            )
    return None
