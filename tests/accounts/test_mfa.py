"""The second factor's rules: who needs one, enrolment, codes, recovery codes, removal and reset."""

from __future__ import annotations

import datetime as dt
import io
import re
from base64 import b32decode
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from provide.accounts.mfa import (
    DEMO_DEVICE_NAME,
    ERROR_LAST_SECOND_FACTOR,
    ERROR_NO_SECOND_FACTOR,
    ERROR_NO_SUCH_DEVICE,
    ERROR_RESET_NOT_ALLOWED,
    METHOD_RECOVERY_CODE,
    METHOD_TOTP,
    RECOVERY_CODE_COUNT,
    SecondFactorError,
    has_second_factor,
    normalise_code,
    passkey_enrolment_record,
    passkey_failure_record,
    passkey_verification_record,
    recovery_codes_left,
    recovery_codes_regenerate,
    second_factor_demo_keys,
    second_factor_devices,
    second_factor_remove,
    second_factor_required,
    second_factor_reset,
    second_factor_verify,
    totp_enrol,
    totp_enrol_unattended,
    totp_key_base32,
    totp_key_new,
    totp_qr_svg,
)
from provide.accounts.models import User
from provide.accounts.roles import ALL_ROLES
from provide.accounts.services import CommandLineOperator
from provide.audit.models import AuditEvent
from tests.audit_assertions import assert_audited

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, 5, tzinfo=dt.UTC)
STEP = dt.timedelta(seconds=30)
REQUIRED_BY_DEFAULT = {"administrator", "health_idva", "idva_manager"}


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def app_code(key_hex: str) -> str:
    """The code an authenticator app shows now for this key."""
    return f"{totp(bytes.fromhex(key_hex)):06d}"


def enrol(user: User) -> tuple[Any, list[str]]:
    key = totp_key_new()
    enrolment = totp_enrol(user=user, key_hex=key, code=app_code(key))
    assert enrolment is not None
    return enrolment.device, enrolment.recovery_codes


def make_passkey(user: User, name: str = "Work laptop") -> Any:
    return WebAuthnCredential.objects.create(
        user=user,
        name=name,
        confirmed=True,
        credential_id=name.encode(),
        public_key=b"not-a-real-key",
    )


@pytest.mark.parametrize("role", ALL_ROLES, ids=lambda role: role.slug)
def test_second_factor_is_required_by_default_for_the_administrator_and_health_roles(
    role: Any, make_user: Callable[..., User]
) -> None:
    user = make_user(role.slug)
    assert second_factor_required(user) is (role.slug in REQUIRED_BY_DEFAULT)
    assert (role.slug in REQUIRED_BY_DEFAULT) is (role.is_health or role.slug == "administrator")


def test_second_factor_requirement_follows_the_settings(make_user: Callable[..., User]) -> None:
    analyst, idva = make_user("analyst"), make_user("health_idva")
    with override_settings(PROVIDE_MFA_REQUIRED_ROLES=["analyst"]):
        assert second_factor_required(analyst) and not second_factor_required(idva)
    with override_settings(PROVIDE_MFA_REQUIRED_FOR_ALL=True, PROVIDE_MFA_REQUIRED_ROLES=[]):
        assert second_factor_required(analyst) and second_factor_required(idva)


def test_a_superuser_always_needs_a_second_factor(make_user: Callable[..., User]) -> None:
    user = make_user("analyst")
    user.is_superuser = True
    with override_settings(PROVIDE_MFA_REQUIRED_ROLES=[]):
        assert second_factor_required(user)


def test_totp_enrol_with_the_apps_code_adds_a_device_and_ten_recovery_codes(
    clock: Any, make_user: Callable[..., User]
) -> None:
    idva = make_user("health_idva")
    device, codes = enrol(idva)
    assert device.confirmed and has_second_factor(idva)
    assert len(set(codes)) == RECOVERY_CODE_COUNT == recovery_codes_left(idva)
    assert all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    event = assert_audited(
        "accounts.second_factor_enrolled", action="update", actor=idva, subject=idva
    )
    assert event.changes == {
        "method": METHOD_TOTP,
        "device": "Authenticator app",
        "recovery_codes_issued": True,
    }


def test_totp_enrol_refuses_a_code_from_another_key(
    clock: Any, make_user: Callable[..., User]
) -> None:
    idva = make_user("health_idva")
    key, other = totp_key_new(), totp_key_new()
    assert totp_enrol(user=idva, key_hex=key, code=app_code(other)) is None
    assert not has_second_factor(idva) and recovery_codes_left(idva) == 0


def test_a_second_app_keeps_the_recovery_codes_and_gets_its_own_name(
    clock: Any, make_user: Callable[..., User]
) -> None:
    idva = make_user("health_idva")
    _, codes = enrol(idva)
    second, more = enrol(idva)
    assert more == [] and second.name == "Authenticator app 2"
    assert set(
        StaticToken.objects.filter(device__user=idva).values_list("token", flat=True)
    ) == set(codes)


def test_an_app_code_verifies_once_and_not_again(
    clock: Any, make_user: Callable[..., User]
) -> None:
    idva = make_user("health_idva")
    device, _ = enrol(idva)
    clock.shift(STEP)
    code = app_code(device.key)
    result = second_factor_verify(user=idva, code=code, ip_address="192.0.2.1")
    assert result.device == device and result.method == METHOD_TOTP
    event = assert_audited(
        "accounts.second_factor_verified", action="sign_in", actor=idva, subject=idva
    )
    assert event.ip_address == "192.0.2.1" and not event.flagged
    clock.shift(dt.timedelta(seconds=5))  # the same code, still on screen, is refused
    assert second_factor_verify(user=idva, code=code).device is None
    assert_audited(
        "accounts.second_factor_failed",
        action="sign_in_failed",
        actor=idva,
        subject=idva,
        flagged=True,
    )


def test_the_code_set_up_with_cannot_be_used_to_sign_in(
    clock: Any, make_user: Callable[..., User]
) -> None:
    idva = make_user("health_idva")
    key = totp_key_new()
    code = app_code(key)
    assert totp_enrol(user=idva, key_hex=key, code=code) is not None
    assert second_factor_verify(user=idva, code=code).device is None


def test_wrong_codes_are_throttled_even_when_the_next_one_is_right(
    clock: Any, make_user: Callable[..., User]
) -> None:
    idva = make_user("health_idva")
    device, _ = enrol(idva)
    clock.shift(STEP)
    wrong = f"{(int(app_code(device.key)) + 1) % 1_000_000:06d}"
    assert second_factor_verify(user=idva, code=wrong).device is None
    result = second_factor_verify(user=idva, code=app_code(device.key))
    assert result.device is None and result.throttled
    clock.shift(dt.timedelta(seconds=2))  # the first wait is one second (OTP_TOTP_THROTTLE_FACTOR)
    assert second_factor_verify(user=idva, code=app_code(device.key)).device == device


def test_a_recovery_code_works_once(clock: Any, make_user: Callable[..., User]) -> None:
    idva = make_user("health_idva")
    _, codes = enrol(idva)
    result = second_factor_verify(user=idva, code=f" {codes[3].upper()[:4]}-{codes[3][4:]} ")
    assert result.method == METHOD_RECOVERY_CODE and result.device is not None
    assert result.recovery_codes_left == RECOVERY_CODE_COUNT - 1
    event = assert_audited(
        "accounts.second_factor_recovery_code_used",
        action="sign_in",
        actor=idva,
        subject=idva,
        flagged=True,
    )
    assert event.changes["recovery_codes_left"] == RECOVERY_CODE_COUNT - 1
    clock.shift(dt.timedelta(minutes=5))
    again = second_factor_verify(user=idva, code=codes[3])
    assert again.device is None and again.method == METHOD_RECOVERY_CODE
    assert_audited(
        "accounts.second_factor_failed", action="sign_in_failed", actor=idva, subject=idva
    )


def test_a_user_without_devices_never_verifies(make_user: Callable[..., User]) -> None:
    analyst = make_user("analyst")
    result = second_factor_verify(user=analyst, code="123456")
    assert result.device is None and not result.throttled


def test_normalise_code_drops_spaces_and_dashes_and_lowers() -> None:
    assert normalise_code(" AB2C-d3 ef ") == "ab2cd3ef"


def test_recovery_codes_regenerate_replaces_every_old_code(
    clock: Any, make_user: Callable[..., User]
) -> None:
    idva = make_user("health_idva")
    _, old = enrol(idva)
    new = recovery_codes_regenerate(user=idva, ip_address="192.0.2.9")
    assert len(new) == RECOVERY_CODE_COUNT and not set(new) & set(old)
    assert second_factor_verify(user=idva, code=old[0]).device is None
    clock.shift(dt.timedelta(minutes=5))
    assert second_factor_verify(user=idva, code=new[0]).device is not None
    event = assert_audited(
        "accounts.second_factor_recovery_codes_generated", action="update", actor=idva, subject=idva
    )
    assert event.changes == {"count": RECOVERY_CODE_COUNT}


def test_recovery_codes_need_a_second_factor_first(make_user: Callable[..., User]) -> None:
    analyst = make_user("analyst")
    with pytest.raises(SecondFactorError, match=ERROR_NO_SECOND_FACTOR):
        recovery_codes_regenerate(user=analyst)
    assert recovery_codes_left(analyst) == 0


def test_second_factor_devices_lists_apps_and_passkeys_oldest_first(
    clock: Any, make_user: Callable[..., User]
) -> None:
    idva = make_user("health_idva")
    enrol(idva)
    clock.shift(dt.timedelta(days=1))
    make_passkey(idva)
    listed = second_factor_devices(idva)
    assert [(device.kind, device.name) for device in listed] == [
        ("Authenticator app", "Authenticator app"),
        ("Passkey", "Work laptop"),
    ]
    assert listed[0].reference.startswith("otp_totp.totpdevice/")


def test_a_user_whose_role_needs_one_cannot_remove_their_last_second_factor(
    clock: Any, make_user: Callable[..., User]
) -> None:
    idva = make_user("health_idva")
    device, _ = enrol(idva)
    with pytest.raises(SecondFactorError, match=ERROR_LAST_SECOND_FACTOR):
        second_factor_remove(user=idva, reference=device.persistent_id)
    assert has_second_factor(idva)
    passkey = make_passkey(idva)
    assert second_factor_remove(user=idva, reference=device.persistent_id) == "Authenticator app"
    assert [d.name for d in second_factor_devices(idva)] == [passkey.name]
    assert recovery_codes_left(idva) == RECOVERY_CODE_COUNT
    event = assert_audited(
        "accounts.second_factor_removed", action="update", actor=idva, subject=idva
    )
    assert event.changes == {
        "method": METHOD_TOTP,
        "device": "Authenticator app",
        "recovery_codes_removed": False,
    }


def test_removing_the_last_optional_second_factor_removes_the_recovery_codes(
    clock: Any, make_user: Callable[..., User]
) -> None:
    analyst = make_user("analyst")
    device, _ = enrol(analyst)
    second_factor_remove(user=analyst, reference=device.persistent_id)
    assert not has_second_factor(analyst) and not StaticDevice.objects.filter(user=analyst).exists()
    event = assert_audited(
        "accounts.second_factor_removed", action="update", actor=analyst, subject=analyst
    )
    assert event.changes["recovery_codes_removed"] is True


@pytest.mark.parametrize(
    "reference",
    [
        "otp_totp.totpdevice/{pk}",
        "otp_static.staticdevice/{static}",
        "otp_totp.totpdevice/x",
        "nonsense",
    ],
)
def test_a_user_cannot_remove_a_device_that_is_not_one_of_their_second_factors(
    reference: str, clock: Any, make_user: Callable[..., User]
) -> None:
    idva, analyst = make_user("health_idva"), make_user("analyst")
    device, _ = enrol(idva)
    enrol(analyst)
    static = StaticDevice.objects.get(user=analyst)
    with pytest.raises(SecondFactorError, match=ERROR_NO_SUCH_DEVICE):
        second_factor_remove(
            user=analyst, reference=reference.format(pk=device.pk, static=static.pk)
        )
    assert (
        TOTPDevice.objects.filter(pk=device.pk).exists()
        and StaticDevice.objects.filter(pk=static.pk).exists()
    )


def test_second_factor_reset_by_the_administrator_removes_everything_and_is_audited(
    clock: Any, make_user: Callable[..., User]
) -> None:
    administrator, idva = make_user("administrator"), make_user("health_idva")
    enrol(idva)
    make_passkey(idva)
    assert second_factor_reset(actor=administrator, user=idva) == 2
    assert not has_second_factor(idva) and recovery_codes_left(idva) == 0
    assert not WebAuthnCredential.objects.filter(user=idva).exists()
    event = assert_audited(
        "accounts.second_factor_reset",
        action="update",
        actor=administrator,
        subject=idva,
        flagged=True,
    )
    assert event.changes == {"removed": ["Authenticator app", "Work laptop"]}
    assert event.actor_username == "administrator" and event.object_id == str(idva.public_id)


def test_second_factor_reset_is_refused_to_other_roles_and_changes_nothing(
    clock: Any, make_user: Callable[..., User]
) -> None:
    manager, idva = make_user("idva_manager"), make_user("health_idva")
    enrol(idva)
    with pytest.raises(PermissionDenied, match=ERROR_RESET_NOT_ALLOWED):
        second_factor_reset(actor=manager, user=idva)
    assert has_second_factor(idva) and recovery_codes_left(idva) == RECOVERY_CODE_COUNT
    assert AuditEvent.objects.filter(event="accounts.second_factor_reset").count() == 0


def test_second_factor_reset_by_a_command_names_the_command(make_user: Callable[..., User]) -> None:
    idva = make_user("health_idva")
    assert second_factor_reset(actor=CommandLineOperator("reset-second-factor"), user=idva) == 0
    assert_audited(
        "accounts.second_factor_reset",
        action="update",
        actor_username="provide reset-second-factor",
        subject=idva,
    )


def test_passkey_records_issue_codes_once_and_audit_each_use(
    make_user: Callable[..., User],
) -> None:
    idva = make_user("health_idva")
    first = make_passkey(idva, "Phone")
    assert len(passkey_enrolment_record(user=idva, device=first)) == RECOVERY_CODE_COUNT
    assert passkey_enrolment_record(user=idva, device=make_passkey(idva, "Key")) == []
    assert_audited(
        "accounts.second_factor_enrolled", action="update", actor=idva, subject=idva, count=2
    )
    enrolments = AuditEvent.objects.filter(event="accounts.second_factor_enrolled").order_by("id")
    assert [event.changes["recovery_codes_issued"] for event in enrolments] == [True, False]
    passkey_verification_record(user=idva, device=first, ip_address="192.0.2.3")
    assert assert_audited(
        "accounts.second_factor_verified", action="sign_in", actor=idva, subject=idva
    ).changes == {"method": "passkey", "device": "Phone"}
    passkey_failure_record(user=idva, reason="credential_user_mismatch")
    assert (
        assert_audited(
            "accounts.second_factor_failed",
            action="sign_in_failed",
            actor=idva,
            subject=idva,
            flagged=True,
        ).changes["reason"]
        == "credential_user_mismatch"
    )


def test_totp_key_and_qr_code_carry_the_same_secret(make_user: Callable[..., User]) -> None:
    idva = make_user("health_idva")
    key = totp_key_new()
    assert bytes.fromhex(key) == b32decode(totp_key_base32(key))
    svg = totp_qr_svg(user=idva, key_hex=key)
    assert svg.startswith("<svg") and "<title>QR code for your authenticator app</title>" in svg
    assert "style=" not in svg and "<script" not in svg


def test_unattended_enrolment_keeps_its_key_on_every_run(
    clock: Any, make_user: Callable[..., User]
) -> None:
    idva = make_user("health_idva")
    operator = CommandLineOperator("demo-data")
    key = totp_enrol_unattended(actor=operator, user=idva, name=DEMO_DEVICE_NAME)
    assert totp_enrol_unattended(actor=operator, user=idva, name=DEMO_DEVICE_NAME) == key
    assert TOTPDevice.objects.filter(user=idva).count() == 1
    assert_audited(
        "accounts.second_factor_enrolled",
        action="update",
        actor_username="provide demo-data",
        subject=idva,
    )
    clock.shift(STEP)
    assert second_factor_verify(user=idva, code=f"{totp(b32decode(key)):06d}").device is not None


def test_demo_keys_go_only_to_users_whose_role_needs_a_second_factor(
    personas: dict[str, User],
) -> None:
    keys = second_factor_demo_keys(usernames=[user.username for user in personas.values()])
    assert set(keys) == {personas[slug].username for slug in REQUIRED_BY_DEFAULT}


def test_the_demo_sign_in_sheet_prints_a_working_key_next_to_each_user_who_needs_one(
    tmp_path: Any,
) -> None:
    sheet = tmp_path / "sign-in.txt"
    call_command(
        "demo_data",
        "--days",
        "2",
        "--bcu",
        "West",
        "--sign-in-file",
        str(sheet),
        stdout=io.StringIO(),
    )
    # Each row: role, user name, password, then the key for those who need a second factor.
    keyed = dict(re.findall(r"(\S+) +\S+ +([A-Z2-7]{32})$", sheet.read_text(), flags=re.MULTILINE))
    required = {user.username for user in User.objects.all() if second_factor_required(user)}
    assert set(keyed) == required and len(required) == len(REQUIRED_BY_DEFAULT)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + STEP, tick=False):
        for username, key in keyed.items():
            user = User.objects.get(username=username)
            assert (
                second_factor_verify(user=user, code=f"{totp(b32decode(key)):06d}").device
                is not None
            ), username
