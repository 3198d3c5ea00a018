import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from competencies.frameworks import HERE, framework_load
from competencies.gaps import person_gaps, requirements_for
from competencies.models import (
    Assessment,
    AssessmentKind,
    Competency,
    CompetencyLevel,
    Framework,
    ProficiencyLevel,
    Requirement,
    Track,
)
from competencies.services import (
    assessment_confirm,
    assessment_record,
    current_level_refresh,
    requirement_errors,
    requirement_save,
)

pytestmark = pytest.mark.django_db


def record(comp, who, person, code, level, day, kind=AssessmentKind.DIVISION):
    return assessment_record(
        actor=comp.users[who],
        professional_id=comp.people[person].pk,
        competency_id=comp.c[code].pk,
        kind=kind,
        level=level,
        assessed_on=day,
        evidence="Observed on the e-payment project.",
    )


def test_the_default_framework_has_seven_ordered_levels_and_our_own_descriptions(ref):
    framework = Framework.default()
    names = list(framework.levels.values_list("number", "name"))
    assert names[0] == (1, "Follow") and names[-1] == (7, "Set strategy, inspire, mobilise") and len(names) == 7
    prog = Competency.objects.get(framework=framework, code="PROG")
    assert prog.name == "Programming/software development" and prog.description
    assert Track.objects.get(code="cybersecurity").competencies.filter(code="SCTY").exists()


def test_a_second_framework_loads_from_its_file_without_code(ref, capsys):
    call_command("load_framework", str(HERE / "ecf-like.json"))
    ecf = Framework.objects.get(code="ecf-like")
    assert list(ecf.levels.values_list("code", flat=True)) == ["e-1", "e-2", "e-3", "e-4", "e-5"]
    assert ecf.competencies.count() == 5 and not ecf.is_default
    assert Framework.default().code == "ict-seven-levels"
    assert "5 levels, 5 competencies" in capsys.readouterr().out


def test_a_framework_file_with_gaps_in_its_levels_is_refused(ref):
    levels = [{"number": 1, "name": "One"}, {"number": 3, "name": "Three"}]
    with pytest.raises(ValidationError, match="numbered 1, 2, 3"):
        framework_load({"code": "bad", "name": "Bad", "levels": levels})
    assert not Framework.objects.filter(code="bad").exists()


def test_requirements_match_the_title_and_the_grade_band(comp):
    levels = {p: {r.competency.code: r.level for r in requirements_for(comp.people[p])} for p in "ABC"}
    assert levels["A"] == {"PROG": 3, "TEST": 2}  # ICT Officer at P5: the lower band
    assert levels["B"] == {"PROG": 4, "TEST": 3}  # ICT Officer at P4: the upper band
    assert levels["C"] == {"PROG": 5}  # Senior ICT Officer: any grade
    other_title = comp.people["A"]
    other_title.position_title = comp.ref.titles["chief-ict-officer"]
    assert requirements_for(other_title) == []


def test_an_overlapping_grade_band_is_refused(comp, division_user):
    overlapping = Requirement(
        track=comp.track,
        position_title=comp.ref.titles["ict-officer"],
        min_grade=comp.ref.grades["P5"],
        max_grade=comp.ref.grades["P3"],
        competency=comp.c["PROG"],
        level=3,
    )
    with pytest.raises(ValidationError, match="overlaps the requirement"):
        requirement_save(actor=division_user, requirement=overlapping)


def test_a_requirement_level_outside_the_framework_is_refused(comp):
    requirement = Requirement(
        track=comp.track, position_title=comp.ref.titles["chief-ict-officer"], competency=comp.c["PROG"], level=8
    )
    assert requirement_errors(requirement)["level"] == (
        "Level 8 is not a level of ICT competency framework (seven levels) (its levels: 1 to 7)."
    )


def test_the_admin_checks_a_requirement_with_the_values_typed(comp):
    from competencies.admin import RequirementForm

    def form(**values):
        data = {"track": comp.track.pk, "position_title": comp.ref.titles["chief-ict-officer"].pk}
        return RequirementForm(data={**data, "competency": comp.c["PROG"].pk, **values})

    assert form(level=3).is_valid()
    refused = form(level=8)
    assert not refused.is_valid()
    assert refused.errors["level"] == [
        "Level 8 is not a level of ICT competency framework (seven levels) (its levels: 1 to 7)."
    ]
    existing = Requirement.objects.filter(level__lt=7).first()
    edited = RequirementForm(
        instance=existing,
        data={
            "track": existing.track_id,
            "position_title": existing.position_title_id or "",
            "min_grade": existing.min_grade_id or "",
            "max_grade": existing.max_grade_id or "",
            "competency": existing.competency_id,
            "level": 9,
        },
    )
    assert not edited.is_valid() and "level" in edited.errors


def test_the_current_level_is_the_latest_confirmed_assessment_even_when_lower(comp):
    record(comp, "division", "D", "PROG", 4, dt.date(2024, 1, 1))
    record(comp, "head_mof", "D", "PROG", 1, dt.date(2025, 1, 1), kind=AssessmentKind.SUPERVISOR)
    record(comp, "division", "D", "PROG", 5, dt.date(2023, 6, 1))  # recorded later, but older
    assert CompetencyLevel.objects.get(professional=comp.people["D"], competency=comp.c["PROG"]).level == 1


def test_an_unconfirmed_self_assessment_does_not_count_until_confirmed(comp):
    record(comp, "division", "A", "PROG", 2, dt.date(2024, 1, 1))
    own = record(comp, "pro", "A", "PROG", 4, dt.date(2025, 1, 1), kind=AssessmentKind.SELF)
    assert not own.confirmed
    assert current_level_refresh(professional_id=comp.people["A"].pk, competency_id=comp.c["PROG"].pk) == 2
    assessment_confirm(actor=comp.users["head"], assessment_id=own.pk)
    assert CompetencyLevel.objects.get(professional=comp.people["A"], competency=comp.c["PROG"]).level == 4
    with pytest.raises(ValidationError, match="already confirmed"):
        assessment_confirm(actor=comp.users["division"], assessment_id=own.pk)


def test_same_day_assessments_are_ordered_by_when_they_were_recorded(comp):
    record(comp, "division", "A", "TEST", 3, dt.date(2025, 1, 1))
    record(comp, "head", "A", "TEST", 2, dt.date(2025, 1, 1), kind=AssessmentKind.SUPERVISOR)
    assert [g.current for g in person_gaps(comp.people["A"]) if g.competency.code == "TEST"] == [2]


def test_a_level_outside_the_framework_is_refused_with_the_levels_it_has(comp):
    with pytest.raises(ValidationError) as error:
        record(comp, "division", "A", "PROG", 9, dt.date(2025, 1, 1))
    assert error.value.message_dict["level"] == [
        "Level 9 is not a level of ICT competency framework (seven levels) (its levels: 1 to 7)."
    ]
    assert not Assessment.objects.exists()


def test_a_competency_outside_the_professionals_framework_is_refused(comp):
    other = Framework.objects.create(code="other", name="Other framework")
    ProficiencyLevel.objects.create(framework=other, number=1, code="1", name="One")
    foreign = Competency.objects.create(framework=other, code="X.1", name="Foreign")
    with pytest.raises(ValidationError) as error:
        assessment_record(
            actor=comp.users["division"],
            professional_id=comp.people["A"].pk,
            competency_id=foreign.pk,
            kind=AssessmentKind.DIVISION,
            level=1,
        )
    assert "X.1 Foreign is not in Asha" in error.value.message_dict["competency"][0]


def test_a_track_on_another_framework_assesses_on_that_framework(comp):
    other = Framework.objects.create(code="five", name="Five levels")
    for n in range(1, 6):
        ProficiencyLevel.objects.create(framework=other, number=n, code=f"e-{n}", name=f"e-{n}")
    own = Competency.objects.create(framework=other, code="B.1", name="Application development")
    comp.track.framework = other
    comp.track.save()
    person = comp.people["A"]
    person.refresh_from_db()
    kwargs = {"actor": comp.users["division"], "professional_id": person.pk, "kind": AssessmentKind.DIVISION}
    assert assessment_record(competency_id=own.pk, level=5, **kwargs).level == 5
    with pytest.raises(ValidationError, match="not a level of Five levels"):
        assessment_record(competency_id=own.pk, level=6, **kwargs)
    with pytest.raises(ValidationError, match="PROG"):
        assessment_record(competency_id=comp.c["PROG"].pk, level=3, **kwargs)


@pytest.mark.parametrize(
    "who, person, kind",
    [
        ("pro", "D", AssessmentKind.SELF),  # someone else's self-assessment
        ("head", "A", AssessmentKind.SELF),
        ("pro", "A", AssessmentKind.SUPERVISOR),
        ("division", "A", AssessmentKind.SUPERVISOR),
        ("head", "A", AssessmentKind.DIVISION),
        ("hr", "A", AssessmentKind.DIVISION),
    ],
)
def test_each_kind_of_assessment_is_recorded_by_its_role_only(comp, who, person, kind):
    with pytest.raises((PermissionDenied, ValidationError)):
        record(comp, who, person, "PROG", 3, dt.date(2025, 1, 1), kind=kind)
    assert not Assessment.objects.exists()


def test_an_agency_head_cannot_assess_someone_outside_their_agencies(comp):
    with pytest.raises(ValidationError, match="no professional with the id"):
        record(comp, "head", "D", "PROG", 3, dt.date(2025, 1, 1), kind=AssessmentKind.SUPERVISOR)


def test_an_assessment_leaves_an_audit_entry_naming_who_and_what(comp):
    assessment = record(comp, "head", "A", "PROG", 3, dt.date(2025, 1, 1), kind=AssessmentKind.SUPERVISOR)
    entry = assessment.history.get()
    assert entry.history_user == comp.users["head"]
    assert entry.history_change_reason == "Supervisor (agency ICT head): PROG at 3"
