"""Dates and names as clerks write them."""

import datetime as dt

import pytest

from imports.values import CellError, Lookup, parse_date


@pytest.mark.parametrize(
    "text",
    ["2024-12-31", "2024/12/31", "31/12/2024", "31-12-2024", "31.12.2024", "31 Dec 2024", "31 December 2024",
     "31-Dec-2024", "Dec 31, 2024", "  31  dec  2024 ", "31st December 2024"],
)  # fmt: skip
def test_iso_and_day_first_dates_are_read(text):
    assert parse_date(text) == dt.date(2024, 12, 31)


def test_a_day_equal_to_its_month_is_not_ambiguous():
    assert parse_date("05/05/2024") == dt.date(2024, 5, 5)


def test_a_date_that_reads_two_ways_is_reported_not_guessed():
    with pytest.raises(CellError) as error:
        parse_date("03/04/2024")
    assert str(error.value) == (
        "“03/04/2024” could be 03 Apr 2024 or 04 Mar 2024. Write the month in words (03 Apr 2024) or as "
        "2024-04-03 so it cannot be misread."
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12/31/2024", "reads month first; dates are written day first. Write it as 31 Dec 2024 or 2024-12-31"),
        ("31/12/24", "two-digit year"),
        ("30 Feb 2024", "not a date in the calendar"),
        ("31 Decembre 2024", "“decembre” is not a month name"),
        ("next week", "is not a date"),
        ("45657", "spreadsheet date number"),
    ],
)
def test_bad_dates_say_what_to_write(text, message):
    with pytest.raises(CellError, match=message):
        parse_date(text)


def test_lookup_finds_by_code_or_exact_name_in_any_case_and_suggests_the_closest():
    lookup = Lookup("agency", [("moh", "MOH", "Ministry of Health"), ("mof", "MOF", "Ministry of Finance")])
    assert lookup.find("moh") == "moh"
    assert lookup.find("  ministry OF  health ") == "moh"
    with pytest.raises(
        CellError,
        match=r"No agency has the code or name “Ministry of Helth”\. Did you mean Ministry of Health \(MOH\)\?",
    ):
        lookup.find("Ministry of Helth")


def test_lookup_refuses_a_name_two_records_share():
    lookup = Lookup("agency", [(1, "A", "Same"), (2, "B", "Same")])
    with pytest.raises(CellError, match="2 agency records are named “Same”; write the code instead"):
        lookup.find("Same")
