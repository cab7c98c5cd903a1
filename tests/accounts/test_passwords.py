"""NCSC-style password rules: length, breached passwords, predictable patterns, own names."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.password_validation import (
    CommonPasswordValidator,
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError

from provide.accounts.models import User
from provide.accounts.passwords import (
    BreachedPasswordValidator,
    PredictablePasswordValidator,
    breached_passwords,
    is_repeated_pattern,
    is_sequence,
    read_as_letters,
)


def codes(password: str, user: Any = None) -> set[str]:
    """The codes of every rule (all configured validators) this password breaks."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {item.code for item in error.error_list if item.code}
    return set()


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "123456789012", "abcdefghijkl"])
def test_the_passwords_of_the_issue_are_refused(password: str) -> None:
    assert codes(password), f"{password!r} was accepted"


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("aaaaaaaaaaaa", "password_repeated"),
        ("abcabcabcabc", "password_repeated"),
        ("MyPassMyPass", "password_repeated"),
        ("aaaabbbbaaaab", "password_few_characters"),
        ("123456789012", "password_sequence"),
        ("abcdefghijkl", "password_sequence"),
        ("lkjihgfedcba", "password_sequence"),
        ("qwertyuiopas", "password_sequence"),
        ("abc123def456xyz", "password_sequence"),
        ("zyx987wvu654", "password_sequence"),
    ],
)
def test_predictable_passwords_are_refused_with_their_reason(password: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        PredictablePasswordValidator().validate(password)
    assert code in {item.code for item in refused.value.error_list}


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "Tuesday-lantern-orbit-97",
        "plum jam on a wet windowsill",
        "x" + "7Gq!tR2#vK9m" * 6,  # a password manager's output, 73 characters
    ],
)
def test_memorable_and_generated_passwords_pass_every_rule(password: str) -> None:
    assert codes(password) == set()


def test_no_maximum_below_64_characters() -> None:
    long_passphrase = "the quiet heron waits by the cold canal while barges drift past at dawn"
    assert len(long_passphrase) > 64
    validate_password(long_passphrase)
    validate_password("w" + "0rd-salad-" * 25)  # 251 characters


def test_short_passwords_are_refused_under_twelve_characters() -> None:
    assert "password_too_short" in codes("Tr1cky-Ok!x")  # 11 characters
    assert "password_too_short" not in codes("Tr1cky-Ok!xy")  # 12


def test_no_composition_rules_lower_case_words_alone_are_enough() -> None:
    assert codes("marmalade sunrise over leeds") == set()


def test_breached_passwords_are_refused_case_insensitively_and_with_look_alikes() -> None:
    validator = BreachedPasswordValidator()
    assert {"password1234", "qwertyuiop123", "iloveyou1234"} <= breached_passwords()
    assert "p@ssw0rd1234" not in breached_passwords()
    for password in (
        "password1234",
        "PASSWORD1234",
        "P@ssw0rd1234",
        "qwertyuiop123",
        "1L0veY0u1234",
    ):
        with pytest.raises(ValidationError) as refused:
            validator.validate(password)
        assert refused.value.error_list[0].code == "password_breached"
    validator.validate("heron canal barge dawn")


def test_the_breached_list_holds_the_long_breached_passwords() -> None:
    """The shipped list: every entry 12 characters or more, lower case; Django's own common
    passwords of that length are in it too, and it is several times larger than them."""
    known = breached_passwords()
    assert len(known) > 40_000
    assert all(len(entry) >= 12 and entry == entry.lower() for entry in known)
    django_long = {p for p in CommonPasswordValidator().passwords if len(p) >= 12}
    assert django_long <= known
    assert len(known) > 3 * len(django_long)


def test_passwords_containing_the_service_name_are_refused(settings: Any) -> None:
    settings.PROVIDE_SERVICE_NAME = "Provide"
    for password in ("myprovidelogin2024", "ILoveProvide!!99", "pr0v1de-is-great-x"):
        with pytest.raises(ValidationError) as refused:
            PredictablePasswordValidator().validate(password)
        assert "password_service_name" in {item.code for item in refused.value.error_list}
        assert "Provide" in str(
            refused.value.error_list[-1].message % refused.value.error_list[-1].params
        )


def test_passwords_containing_the_username_or_name_are_refused() -> None:
    user = User(
        username="jsmith",
        first_name="Jordan",
        last_name="Smithers",
        email="jordan.smithers@example.org",
    )
    validator = PredictablePasswordValidator()
    for password in (
        "jsmith-fantastic-9",
        "Jordan rides bikes",
        "waves at smithers",
        "hello jordan.smithers",
    ):
        with pytest.raises(ValidationError) as refused:
            validator.validate(password, user)
        assert "password_contains_name" in {item.code for item in refused.value.error_list}, (
            password
        )
    validator.validate("heron canal barge dawn", user)


def test_short_names_are_not_searched_for() -> None:
    user = User(username="al", first_name="Li")
    PredictablePasswordValidator().validate("alpine lilies in bloom", user)


def test_look_alikes_are_read_as_letters_only_between_letters() -> None:
    assert read_as_letters("P@ssw0rd1234") == "password1234"
    assert read_as_letters("Pr0v1de") == "provide"
    assert read_as_letters("1L0veY0u1234") == "iloveyou1234"
    assert read_as_letters("2024-07-31") == "2024-07-31"


def test_pattern_helpers() -> None:
    assert is_repeated_pattern("xyzxyz") and not is_repeated_pattern("xyzxy")
    assert is_sequence("123456789012") and is_sequence("09876")
    assert not is_sequence("12") and not is_sequence("123a456") and not is_sequence("")


def test_the_rules_are_explained_on_password_forms() -> None:
    help_text = " ".join(password_validators_help_texts())
    assert "at least 12 characters" in help_text
    assert "known from data breaches" in help_text
    assert "123456789012" in help_text


@pytest.mark.django_db
def test_the_admin_password_form_uses_the_rules(admin_client: Any, make_user: Any) -> None:
    """The configured validators apply to the admin's set-password form."""
    officer = make_user("response_officer")
    response = admin_client.post(
        f"/admin/accounts/user/{officer.pk}/password/",
        {"password1": "aaaaaaaaaaaa", "password2": "aaaaaaaaaaaa"},
    )
    assert response.status_code == 200
    assert "repeated pattern" in response.content.decode()
    officer.refresh_from_db()
    assert not officer.check_password("aaaaaaaaaaaa")
