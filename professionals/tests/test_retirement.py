"""Superannuation across Bhutan's 2023-04-22 change of retirement ages."""

import datetime as dt

import pytest

from core.dates import date_at_age
from professionals.factories import ProfessionalFactory
from professionals.models import RetirementAgeRule
from professionals.retirement import AgeRule, superannuation_date
from professionals.services import professional_create, superannuation_dates_recompute

CHANGE = dt.date(2023, 4, 22)
P_RULES = [AgeRule(58, dt.date(1990, 1, 1)), AgeRule(60, CHANGE)]


def test_someone_who_turned_58_before_the_change_retired_at_58():
    assert superannuation_date(dt.date(1965, 3, 1), P_RULES) == dt.date(2023, 3, 1)


def test_someone_turning_58_the_day_before_the_change_retired_that_day():
    assert superannuation_date(dt.date(1965, 4, 21), P_RULES) == dt.date(2023, 4, 21)


def test_someone_turning_58_on_the_day_of_the_change_works_on_to_60():
    assert superannuation_date(dt.date(1965, 4, 22), P_RULES) == dt.date(2025, 4, 22)


def test_someone_turning_58_after_the_change_works_on_to_60():
    assert superannuation_date(dt.date(1966, 1, 10), P_RULES) == dt.date(2026, 1, 10)


def test_a_rule_that_lowers_the_age_retires_older_staff_on_its_first_day():
    rules = [AgeRule(60, dt.date(1990, 1, 1)), AgeRule(58, dt.date(2023, 4, 22))]
    # Turns 59 in June 2023: past the new age when it comes in, short of the old one.
    assert superannuation_date(dt.date(1964, 6, 1), rules) == dt.date(2023, 4, 22)


def test_a_29_february_birthday_falls_on_28_february():
    assert date_at_age(dt.date(1968, 2, 29), 58) == dt.date(2026, 2, 28)


def test_no_rule_means_no_date():
    assert superannuation_date(dt.date(1970, 1, 1), []) is None


@pytest.mark.parametrize(
    ("grade", "born", "expected"),
    [
        ("P3", dt.date(1965, 3, 1), dt.date(2023, 3, 1)),  # P: 58 before the change
        ("P3", dt.date(1966, 5, 1), dt.date(2026, 5, 1)),  # P: 60 after
        ("EX2", dt.date(1963, 5, 1), dt.date(2026, 5, 1)),  # EX: 60 -> 63
        ("ES1", dt.date(1962, 1, 1), dt.date(2022, 1, 1)),  # ES: 60 reached before the change
        ("SS2", dt.date(1965, 6, 1), dt.date(2024, 6, 1)),  # SS: 58 -> 59
        ("S4", dt.date(1967, 6, 1), dt.date(2024, 6, 1)),  # S: 56 -> 57
        ("O2", dt.date(1966, 12, 1), dt.date(2022, 12, 1)),  # O: 56 reached before the change
        ("O2", dt.date(1967, 5, 1), dt.date(2024, 5, 1)),  # O: 57 after
    ],
)
def test_the_default_rules_give_each_category_its_date(ref, division_user, grade, born, expected):
    person = professional_create(
        actor=division_user,
        employee_id=f"E-{grade}-{born:%Y}",
        national_id=f"1{born:%Y%m%d}00",
        first_name="Sonam",
        gender="F",
        date_of_birth=born,
        first_appointment_date=born.replace(year=born.year + 24),
        grade=ref.grades[grade],
    )
    assert person.superannuation_date == expected


def test_changing_a_rule_recomputes_the_stored_dates(ref):
    person = ProfessionalFactory(grade=ref.grades["P4"], date_of_birth=dt.date(1980, 7, 1))
    assert superannuation_dates_recompute() >= 1
    person.refresh_from_db()
    assert person.superannuation_date == dt.date(2040, 7, 1)

    RetirementAgeRule.objects.create(category=ref.categories["P"], age=62, effective_from=dt.date(2030, 1, 1))
    assert superannuation_dates_recompute(category_ids=[ref.categories["P"].id]) >= 1
    person.refresh_from_db()
    assert person.superannuation_date == dt.date(2042, 7, 1)


def test_a_professional_is_checked_on_a_leap_day_too(ref, division_user):
    import time_machine

    with time_machine.travel(dt.datetime(2028, 2, 29, 4, tzinfo=dt.UTC), tick=False):
        person = professional_create(
            actor=division_user,
            employee_id="E-LEAP",
            national_id="10199999999",
            first_name="Leap",
            last_name="Day",
            gender="F",
            date_of_birth=dt.date(1990, 2, 28),
            first_appointment_date=dt.date(2014, 3, 1),
            grade=ref.grades["P4"],
        )
        assert person.pk
