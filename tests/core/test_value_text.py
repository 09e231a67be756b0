"""Numbers and dates as typed and shown, in a few locales' conventions."""

from __future__ import annotations

from datetime import date

import pytest

from segstudio.core.value_text import (
    NumberFormat,
    date_value,
    days_value,
    format_number,
    number_value,
    parse_date_text,
    parse_number_text,
)

EN = NumberFormat(",", ".")
DE = NumberFormat(".", ",")
FR = NumberFormat("\u202f", ",")
TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(("value", "fmt", "text"), [
    (1_000_000, EN, "1,000,000"), (5_000_000, DE, "5.000.000"), (1234.5, EN, "1,234.5"), (1234.5, DE, "1.234,5"),
    (0, EN, "0"), (-1500, EN, "-1,500"), (1_000_000, FR, "1\u202f000\u202f000"), (2.0, EN, "2"), (0.25, DE, "0,25"),
])
def test_format_number_groups_the_locale_way(value, fmt, text) -> None:
    assert format_number(value, fmt) == text


@pytest.mark.parametrize(("text", "fmt", "value"), [
    ("1,000,000", EN, 1_000_000), ("1000000", EN, 1_000_000), ("1.000.000", DE, 1_000_000), ("1.234,5", DE, 1234.5),
    ("1234.5", EN, 1234.5), ("12%", EN, 12), ("1 000 000", FR, 1_000_000), (" 5000000 ", EN, 5_000_000),
    ("-1,500", EN, -1500), ("1,5", DE, 1.5),
])
def test_parse_number_text_reads_grouped_and_plain(text, fmt, value) -> None:
    assert parse_number_text(text, fmt) == value


@pytest.mark.parametrize("text", ["12abc", "1,00,0", "", "abc", "1..2"])
def test_parse_number_text_refuses_what_is_not_a_number(text) -> None:
    assert parse_number_text(text, EN) is None


def test_format_then_parse_round_trips() -> None:
    for fmt in (EN, DE, FR):
        for value in (0, 7, 1_000_000, 5_000_000, 1234.75, -42):
            assert parse_number_text(format_number(value, fmt), fmt) == value


@pytest.mark.parametrize(("text", "pattern", "expected"), [
    ("1990-01-31", "M/d/yy", date(1990, 1, 31)), ("19900131", "", date(1990, 1, 31)),
    ("1/31/90", "M/d/yy", date(1990, 1, 31)), ("1/31/1990", "M/d/yy", date(1990, 1, 31)),
    ("31.01.1990", "dd.MM.yyyy", date(1990, 1, 31)), ("31/01/24", "dd/MM/yy", date(2024, 1, 31)),
    ("2024/3/5", "yyyy/M/d", date(2024, 3, 5)), ("3-5-2024", "M/d/yyyy", date(2024, 3, 5)),
])
def test_parse_date_text_reads_iso_compact_and_the_short_form(text, pattern, expected) -> None:
    assert parse_date_text(text, pattern, TODAY) == expected


@pytest.mark.parametrize(("text", "pattern"), [
    ("1990-02-30", "M/d/yy"), ("13/31/90", "M/d/yy"), ("Pick a date19900101", "M/d/yy"), ("31 Jan 1990", "d MMM yyyy"),
    ("", "M/d/yy"), ("1/31", "M/d/yy"),
])
def test_parse_date_text_refuses_what_is_not_a_date(text, pattern) -> None:
    assert parse_date_text(text, pattern, TODAY) is None


def test_two_digit_years_land_no_more_than_twenty_years_ahead() -> None:
    assert parse_date_text("1/1/46", "M/d/yy", TODAY) == date(2046, 1, 1)
    assert parse_date_text("1/1/47", "M/d/yy", TODAY) == date(1947, 1, 1)


def test_box_values_are_numbers_iso_dates_or_the_text_itself() -> None:
    assert number_value("1,000,000", EN) == 1_000_000
    assert number_value("12abc", EN) == "12abc"
    assert number_value("  ", EN) is None
    assert date_value("1/31/90", "M/d/yy", TODAY) == "1990-01-31"
    assert date_value("31/31/90", "M/d/yy", TODAY) == "31/31/90"
    assert date_value("", "M/d/yy", TODAY) is None
    assert days_value("30") == 30
    assert days_value("30 days") == 30
    assert days_value("3x") == "3x"
    assert days_value("") is None
