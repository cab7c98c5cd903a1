"""The second-factor forms: what they accept and the messages they give."""

from __future__ import annotations

import pytest

from provide.accounts.mfa_forms import (
    ERROR_APP_CODE,
    ERROR_CODE_MISSING,
    AuthenticatorConfirmForm,
    SecondFactorCodeForm,
)


@pytest.mark.parametrize(("typed", "cleaned"), [("123 456", "123456"), (" ABcd-EF23 ", "abcdef23")])
def test_a_sign_in_code_is_cleaned_of_spaces_dashes_and_capitals(typed: str, cleaned: str) -> None:
    form = SecondFactorCodeForm({"code": typed})
    assert form.is_valid() and form.cleaned_data["code"] == cleaned


@pytest.mark.parametrize("typed", ["", "   ", " - "])
def test_an_empty_sign_in_code_asks_for_one(typed: str) -> None:
    form = SecondFactorCodeForm({"code": typed})
    assert not form.is_valid() and form.errors["code"] == [ERROR_CODE_MISSING]


def test_the_app_confirmation_takes_six_digits() -> None:
    form = AuthenticatorConfirmForm({"code": "012 345"})
    assert form.is_valid() and form.cleaned_data["code"] == "012345"


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12a456", "abcdefgh"])
def test_the_app_confirmation_refuses_anything_but_six_digits(typed: str) -> None:
    form = AuthenticatorConfirmForm({"code": typed})
    assert not form.is_valid() and form.errors["code"] == [ERROR_APP_CODE]
