from __future__ import annotations

import pytest

from silta.clients.identity_codes import (
    is_test_code,
    looks_like_identity_code,
    validate_identity_code,
)
from silta.core.errors import Invalid

VALID_TEST_CODES = [
    "010594Y9032",  # 1900s, 2023 sign Y
    "020594X903P",
    "030594W903B",
    "040594V9030",
    "050594U903M",
    "010516B903X",  # 2000s, 2023 sign B
    "020516C903K",
    "030516D9037",
    "010501E9032",
    "020503F9037",
    "020504A902E",  # 2000s, classic A
]


@pytest.mark.parametrize("code", VALID_TEST_CODES)
def test_fictitious_codes_with_all_century_signs_are_valid(code: str) -> None:
    assert validate_identity_code(code, allow_test_codes=True) == code


def test_normalises_case_and_spaces() -> None:
    assert validate_identity_code(" 010594y9032 ", allow_test_codes=True) == "010594Y9032"


def test_classic_minus_and_plus_signs() -> None:
    # 131052-308T is the classic documentation example (individual number 308, a person).
    assert validate_identity_code("131052-308T", allow_test_codes=False) == "131052-308T"
    assert validate_identity_code("131052+308T", allow_test_codes=False) == "131052+308T"


@pytest.mark.parametrize("code", ["010594Y9033", "131052-308A", "020594X903R"])
def test_wrong_checksum(code: str) -> None:
    with pytest.raises(Invalid) as excinfo:
        validate_identity_code(code, allow_test_codes=True)
    assert excinfo.value.code == "identity_code_checksum"


@pytest.mark.parametrize(
    "code", ["320594Y9032", "011394Y9032", "010594G9032", "0105949032", "abcdefghijk", "010594Y90"]
)
def test_malformed(code: str) -> None:
    with pytest.raises(Invalid) as excinfo:
        validate_identity_code(code, allow_test_codes=True)
    assert excinfo.value.code in {"identity_code_invalid", "identity_code_checksum"}


def test_empty() -> None:
    with pytest.raises(Invalid) as excinfo:
        validate_identity_code("  ")
    assert excinfo.value.code == "identity_code_missing"


def test_test_codes_refused_where_not_allowed() -> None:
    with pytest.raises(Invalid) as excinfo:
        validate_identity_code("010594Y9032", allow_test_codes=False)
    assert excinfo.value.code == "identity_code_test_not_allowed"


def test_setting_controls_test_codes(settings) -> None:
    settings.SILTA_ALLOW_TEST_IDENTITY_CODES = False
    with pytest.raises(Invalid):
        validate_identity_code("010594Y9032")
    settings.SILTA_ALLOW_TEST_IDENTITY_CODES = True
    assert validate_identity_code("010594Y9032") == "010594Y9032"


def test_error_message_never_contains_the_code() -> None:
    with pytest.raises(Invalid) as excinfo:
        validate_identity_code("010594Y9033", allow_test_codes=True)
    assert "010594" not in str(excinfo.value.message)


def test_helpers() -> None:
    assert is_test_code("010594Y9032") and not is_test_code("131052-308T")
    assert looks_like_identity_code("010594y9032") and not looks_like_identity_code("Virtanen")
