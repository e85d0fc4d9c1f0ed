"""The identity-code rules at their edges: where test codes start, letter check characters,
letters and non-ASCII digits where digits belong, and what the search takes for a code.

Codes are computed by hand: check character = "0123456789ABCDEFHJKLMNPRSTUVWXY"[DDMMYYZZZ % 31].
"""

from __future__ import annotations

import datetime as dt

import pytest

from silta.clients.identity_codes import (
    birth_date_of,
    is_test_code,
    looks_like_identity_code,
    masked,
    validate_identity_code,
)
from silta.core.errors import Invalid

PERSON_899 = "010594-899X"  # the last individual number of a person
TEST_900 = "010594-900Y"  # the first test code, with a letter check character
TEST_900_Y = "010594Y900Y"  # the same with a 2023 century sign
TEST_911 = "010594-911A"
TEST_999 = "010594-9995"


def error_code(value: str, *, allow_test_codes: bool) -> str:
    with pytest.raises(Invalid) as excinfo:
        validate_identity_code(value, allow_test_codes=allow_test_codes)
    return excinfo.value.code


def test_test_codes_start_exactly_at_individual_number_900_and_899_is_a_person() -> None:
    assert not is_test_code(PERSON_899)
    assert is_test_code(TEST_900) and is_test_code(TEST_999)
    assert validate_identity_code(PERSON_899, allow_test_codes=False) == PERSON_899
    assert error_code(TEST_900, allow_test_codes=False) == "identity_code_test_not_allowed"
    assert validate_identity_code(TEST_900, allow_test_codes=True) == TEST_900


@pytest.mark.parametrize("code", [TEST_900, TEST_900_Y, TEST_911])
def test_test_code_with_a_letter_check_character_is_recognised_as_a_test_code(code: str) -> None:
    assert is_test_code(code)
    assert error_code(code, allow_test_codes=False) == "identity_code_test_not_allowed"


@pytest.mark.parametrize("code", ["010594-0020", "131052-308T", "010594Y0020"])
def test_ordinary_person_codes_are_not_test_codes(code: str) -> None:
    assert not is_test_code(code)


@pytest.mark.parametrize("code", ["010594-900", "010594-900YX", "010594-9000Y", ""])
def test_only_an_eleven_character_code_can_be_a_test_code(code: str) -> None:
    assert not is_test_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "010594Y9A32",  # a letter inside the individual number
        "010594YA032",
        "010594Y90A2",  # the last digit of the individual number
        "010594Y9²32",  # "²" passes str.isdigit but is no digit
        "010594Y９０３2",  # full-width digits
    ],
)
def test_letter_or_foreign_digit_in_the_individual_number_is_invalid_not_a_crash(
    code: str,
) -> None:
    assert not is_test_code(code)
    for allowed in (True, False):
        assert error_code(code, allow_test_codes=allowed) == "identity_code_invalid"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("320594Y9032", "identity_code_invalid"),  # day 32
        ("011394Y9032", "identity_code_invalid"),  # month 13
        ("010594G9032", "identity_code_invalid"),  # no such century sign
        ("010594Y90", "identity_code_invalid"),
        ("010594Y9033", "identity_code_checksum"),
        ("131052-308A", "identity_code_checksum"),
    ],
)
def test_each_malformed_code_gives_its_own_translated_error(code: str, expected: str) -> None:
    assert error_code(code, allow_test_codes=True) == expected


def test_missing_code_is_its_own_error_not_invalid() -> None:
    assert error_code(" \t ", allow_test_codes=True) == "identity_code_missing"


@pytest.mark.parametrize("term", ["010594Y9032", " 010594y9032 ", "131052-308T", "01059412345"])
def test_search_takes_eleven_characters_starting_with_six_digits_for_an_identity_code(
    term: str,
) -> None:
    assert looks_like_identity_code(term)


@pytest.mark.parametrize(
    "term",
    [
        "Virtanenaho",  # any eleven letters: a name
        "010594",  # a bare date
        "010594Y903",  # ten characters
        "010594Y90322",  # twelve
        "A10594Y9032",
        "01059AY9032",  # five digits, then a letter
        "0105９4Y9032",  # a full-width digit among the six
        "",
    ],
)
def test_search_treats_anything_else_as_a_name(term: str) -> None:
    assert not looks_like_identity_code(term)


@pytest.mark.parametrize(
    ("sign", "century"),
    [("+", 1800), *((s, 1900) for s in "-YXWVU"), *((s, 2000) for s in "ABCDEF")],
)
def test_century_sign_gives_the_century_of_the_birth_date(sign: str, century: int) -> None:
    assert birth_date_of(f"010594{sign}9032") == dt.date(century + 94, 5, 1)


@pytest.mark.parametrize(
    "code",
    ["010594G9032", "010594Y", "010594Y90321", "01059AY9032", "01059９Y9032", "310294Y9032", ""],
)
def test_birth_date_of_a_malformed_code_is_unknown_not_a_crash(code: str) -> None:
    assert birth_date_of(code) is None


def test_masking_hides_the_individual_number_and_check_character_and_adds_nothing() -> None:
    assert masked(" 010594y9032 ") == "010594Y****"
    assert masked("010594Y") == "010594Y"
    assert masked("") == ""
