"""The second factor: who needs one, enrolment, verification, recovery codes and reset.

After the password, a user proves a second factor: a code from an authenticator app (TOTP,
``django_otp``'s ``TOTPDevice``), a passkey (WebAuthn, ``django_otp_webauthn``'s
``WebAuthnCredential``) or one of ten single-use recovery codes (a ``StaticDevice``). The app
and the passkey are the user's *second factors*; recovery codes only stand in for them and go
when the last of them goes. Every enrolment, verification, failure, removal and reset is
audited as an ``accounts.second_factor_*`` event whose subject is the user.
"""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import segno
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_otp.oath import TOTP  # type: ignore[import-untyped, unused-ignore]
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken  # type: ignore[import-untyped, unused-ignore]
from django_otp.plugins.otp_totp.models import TOTPDevice  # type: ignore[import-untyped, unused-ignore]
from django_otp.util import random_hex  # type: ignore[import-untyped, unused-ignore]
from django_otp_webauthn.models import WebAuthnCredential  # type: ignore[import-untyped, unused-ignore]

from provide.accounts.models import User
from provide.accounts.services import Actor, CommandLineOperator, role_of
from provide.audit.models import AuditAction
from provide.audit.services import audit_record

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "Recovery codes"
TOTP_DEVICE_NAME = "Authenticator app"
DEMO_DEVICE_NAME = "Demo authenticator"
TOTP_DIGITS = 6

ERROR_RESET_NOT_ALLOWED = "Only an administrator can reset a user's second factor."
ERROR_LAST_SECOND_FACTOR = (
    "Your role needs a second factor: add another one before you remove this one."
)
ERROR_NO_SUCH_DEVICE = "That second factor is not one of yours."
ERROR_NO_SECOND_FACTOR = "Set up an authenticator app or a passkey before you get recovery codes."

METHOD_TOTP = "totp"
METHOD_PASSKEY = "passkey"
METHOD_RECOVERY_CODE = "recovery_code"
_KIND_LABELS = {METHOD_TOTP: "Authenticator app", METHOD_PASSKEY: "Passkey"}


# Set on the session by single sign-on when the identity provider did its own second factor
# and PROVIDE_OIDC_TRUST_IDP_MFA allows trusting it (see provide.accounts.oidc).
IDP_MFA_SESSION_KEY = "provide_idp_mfa"


class SecondFactorError(Exception):
    """A second-factor change the rules refuse; the message is one of the ``ERROR_*`` constants."""


@dataclass(frozen=True)
class SecondFactorDevice:
    """One of a user's second factors, as the account page lists it."""

    reference: str  # django-otp's persistent id, posted back to remove it
    kind: str
    name: str
    added_at: datetime | None
    last_used_at: datetime | None


@dataclass(frozen=True)
class Verification:
    """The result of checking a code: the device that accepted it, or why none did."""

    method: str
    device: Any = None
    throttled: bool = False
    recovery_codes_left: int | None = None


@dataclass(frozen=True)
class Enrolment:
    """A new second factor and, when the user had none, their new recovery codes (shown once)."""

    device: Any
    recovery_codes: list[str] = field(default_factory=list)


def is_verified(user: User | AnonymousUser) -> bool:
    """Whether this session has passed a second factor (``django_otp.middleware.OTPMiddleware``)."""
    check = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and check is not None and check())


def second_factor_required(user: User | AnonymousUser) -> bool:
    """Whether the user must have a second factor: everyone under ``PROVIDE_MFA_REQUIRED_FOR_ALL``,
    superusers always, otherwise the roles named in ``PROVIDE_MFA_REQUIRED_ROLES``."""
    if not user.is_authenticated:
        return False
    if settings.PROVIDE_MFA_REQUIRED_FOR_ALL or user.is_superuser:
        return True
    role = role_of(user)
    return role is not None and role.slug in settings.PROVIDE_MFA_REQUIRED_ROLES


def has_second_factor(user: User) -> bool:
    """Whether the user has an authenticator app or a passkey (recovery codes do not count)."""
    return bool(
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def second_factor_devices(user: User) -> list[SecondFactorDevice]:
    """The user's authenticator apps and passkeys, oldest first."""
    found = [
        *((METHOD_TOTP, device) for device in TOTPDevice.objects.filter(user=user, confirmed=True)),
        *(
            (METHOD_PASSKEY, device)
            for device in WebAuthnCredential.objects.filter(user=user, confirmed=True)
        ),
    ]
    devices = [
        SecondFactorDevice(
            reference=device.persistent_id,
            kind=_KIND_LABELS[kind],
            name=device.name,
            added_at=device.created_at,
            last_used_at=device.last_used_at,
        )
        for kind, device in found
    ]
    return sorted(
        devices, key=lambda device: device.added_at.timestamp() if device.added_at else float("inf")
    )


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def has_passkey(user: User) -> bool:
    return bool(WebAuthnCredential.objects.filter(user=user, confirmed=True).exists())


def has_authenticator_app(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def totp_key_new() -> str:
    """A new random TOTP secret, hex-encoded (20 bytes, as ``TOTPDevice`` stores it)."""
    return str(random_hex(20))


def totp_key_base32(key_hex: str) -> str:
    """The secret as an authenticator app asks for it: base32, no padding."""
    return b32encode(unhexlify(key_hex)).decode("ascii").rstrip("=")


def totp_qr_svg(*, user: User, key_hex: str) -> str:
    """The ``otpauth://`` address of the secret as an inline SVG QR code (no style attributes)."""
    address = TOTPDevice(user=user, key=key_hex).config_url
    return str(
        segno.make(address, error="m").svg_inline(
            scale=4,
            dark="#0b0c0c",
            light="#ffffff",
            title="QR code for your authenticator app",
        )
    )


def _audit(
    user: User,
    event: str,
    action: AuditAction,
    *,
    actor: Any = None,
    ip_address: str | None = None,
    flagged: bool = False,
    **changes: Any,
) -> None:
    audit_record(
        actor=actor if actor is not None else user,
        action=action,
        event=event,
        subject=user,
        changes=changes,
        flagged=flagged,
        ip_address=ip_address,
    )


def _device_name(user: User, base: str) -> str:
    taken = set(TOTPDevice.objects.filter(user=user).values_list("name", flat=True))
    number = 1
    name = base
    while name in taken:
        number += 1
        name = f"{base} {number}"
    return name


def _recovery_codes_issue(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones and return them (not audited here)."""
    device = StaticDevice.objects.filter(user=user).order_by("id").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=code) for code in sorted(codes)
    )
    return sorted(codes)


def _first_codes_if_none(user: User) -> list[str]:
    return [] if recovery_codes_left(user) else _recovery_codes_issue(user)


@transaction.atomic
def totp_enrol(
    *, user: User, key_hex: str, code: str, ip_address: str | None = None
) -> Enrolment | None:
    """Add an authenticator app once the user has typed a code it shows for ``key_hex``.

    Returns ``None`` when the code does not match (one 30-second step either way is allowed);
    otherwise the confirmed device and, if the user had no recovery codes, ten new ones.
    """
    totp = TOTP(unhexlify(key_hex), digits=TOTP_DIGITS)
    if not (code.isdigit() and totp.verify(int(code), tolerance=1)):
        return None
    device = TOTPDevice.objects.create(
        user=user,
        name=_device_name(user, TOTP_DEVICE_NAME),
        key=key_hex,
        confirmed=True,
        last_t=totp.t(),
        drift=totp.drift,
    )
    codes = _first_codes_if_none(user)
    _audit(
        user,
        "accounts.second_factor_enrolled",
        AuditAction.UPDATE,
        ip_address=ip_address,
        method=METHOD_TOTP,
        device=device.name,
        recovery_codes_issued=bool(codes),
    )
    return Enrolment(device=device, recovery_codes=codes)


@transaction.atomic
def totp_enrol_unattended(*, actor: Actor, user: User, name: str) -> str:
    """Give ``user`` an authenticator-app secret without their confirming a code; return it (base32).

    For set-ups an operator prints, such as the demo's sign-in sheet. A device of that name is
    kept, so running it again returns the same secret (and writes no new audit event).
    """
    device = TOTPDevice.objects.filter(user=user, name=name, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        _audit(
            user,
            "accounts.second_factor_enrolled",
            AuditAction.UPDATE,
            actor=actor,
            method=METHOD_TOTP,
            device=name,
            unattended=True,
        )
    return totp_key_base32(device.key)


def second_factor_demo_keys(*, usernames: Iterable[str]) -> dict[str, str]:
    """For the demo's sign-in sheet: an authenticator-app key for each of these users whose role
    needs a second factor (the same key on every run), as ``{username: base32 key}``."""
    operator = CommandLineOperator("demo-data")
    return {
        user.username: totp_enrol_unattended(actor=operator, user=user, name=DEMO_DEVICE_NAME)
        for user in User.objects.filter(username__in=list(usernames)).order_by("username")
        if second_factor_required(user)
    }


def normalise_code(code: str) -> str:
    """What the user typed, without spaces or dashes, in lower case (recovery codes are lower case)."""
    return "".join(code.split()).replace("-", "").lower()


def _check(devices: Iterable[Any], code: str) -> tuple[Any, bool]:
    """The first device that accepts ``code``, and whether every device was locked by throttling."""
    devices = list(devices)
    throttled = bool(devices) and not any(device.verify_is_allowed()[0] for device in devices)
    matched = next((device for device in devices if device.verify_token(code)), None)
    return matched, throttled and matched is None


def second_factor_verify(*, user: User, code: str, ip_address: str | None = None) -> Verification:
    """Check a code from an authenticator app (six digits) or a recovery code, and audit it.

    The caller marks the session verified with ``django_otp.login(request, result.device)``
    when ``result.device`` is set. A recovery code works once: it is deleted when used.
    Wrong codes slow further attempts down (django-otp's throttling doubles the wait each time).
    """
    code = normalise_code(code)
    is_app_code = code.isdigit() and len(code) == TOTP_DIGITS
    method = METHOD_TOTP if is_app_code else METHOD_RECOVERY_CODE
    model = TOTPDevice if is_app_code else StaticDevice
    with transaction.atomic():
        candidates = (
            model.objects.filter(user=user, confirmed=True).select_for_update().order_by("id")
        )
        device, throttled = _check(candidates, code)
        if device is None:
            _audit(
                user,
                "accounts.second_factor_failed",
                AuditAction.SIGN_IN_FAILED,
                ip_address=ip_address,
                flagged=True,
                method=method,
                throttled=throttled,
            )
            return Verification(method=method, throttled=throttled)
        if is_app_code:
            _audit(
                user,
                "accounts.second_factor_verified",
                AuditAction.SIGN_IN,
                ip_address=ip_address,
                method=method,
                device=device.name,
            )
            return Verification(method=method, device=device)
        left = recovery_codes_left(user)
        _audit(
            user,
            "accounts.second_factor_recovery_code_used",
            AuditAction.SIGN_IN,
            ip_address=ip_address,
            flagged=True,
            method=method,
            recovery_codes_left=left,
        )
        return Verification(method=method, device=device, recovery_codes_left=left)


@transaction.atomic
def passkey_enrolment_record(
    *, user: User, device: Any, ip_address: str | None = None
) -> list[str]:
    """Audit a passkey just registered; return the first recovery codes if the user had none."""
    codes = _first_codes_if_none(user)
    _audit(
        user,
        "accounts.second_factor_enrolled",
        AuditAction.UPDATE,
        ip_address=ip_address,
        method=METHOD_PASSKEY,
        device=device.name,
        recovery_codes_issued=bool(codes),
    )
    return codes


def passkey_verification_record(*, user: User, device: Any, ip_address: str | None = None) -> None:
    _audit(
        user,
        "accounts.second_factor_verified",
        AuditAction.SIGN_IN,
        ip_address=ip_address,
        method=METHOD_PASSKEY,
        device=device.name,
    )


def passkey_failure_record(*, user: User, reason: str, ip_address: str | None = None) -> None:
    _audit(
        user,
        "accounts.second_factor_failed",
        AuditAction.SIGN_IN_FAILED,
        ip_address=ip_address,
        flagged=True,
        method=METHOD_PASSKEY,
        reason=reason,
    )


@transaction.atomic
def recovery_codes_regenerate(*, user: User, ip_address: str | None = None) -> list[str]:
    """Replace the user's recovery codes with ten new ones (the old ones stop working)."""
    if not has_second_factor(user):
        raise SecondFactorError(ERROR_NO_SECOND_FACTOR)
    codes = _recovery_codes_issue(user)
    _audit(
        user,
        "accounts.second_factor_recovery_codes_generated",
        AuditAction.UPDATE,
        ip_address=ip_address,
        count=len(codes),
    )
    return codes


def _own_device(user: User, reference: str) -> tuple[str, Any]:
    for kind, model in ((METHOD_TOTP, TOTPDevice), (METHOD_PASSKEY, WebAuthnCredential)):
        label, _, number = reference.partition("/")
        if label == model.model_label() and number.isdigit():
            device = model.objects.filter(user=user, pk=int(number), confirmed=True).first()
            if device is not None:
                return kind, device
    raise SecondFactorError(ERROR_NO_SUCH_DEVICE)


@transaction.atomic
def second_factor_remove(*, user: User, reference: str, ip_address: str | None = None) -> str:
    """Remove one of the user's own second factors (by its reference); return its name.

    A user whose role needs a second factor cannot remove their last one. When the last one
    goes, the recovery codes go with it.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()  # one removal at a time per user
    kind, device = _own_device(user, reference)
    others = len(second_factor_devices(user)) - 1
    if others == 0 and second_factor_required(user):
        raise SecondFactorError(ERROR_LAST_SECOND_FACTOR)
    name = device.name
    device.delete()
    if others == 0:
        StaticDevice.objects.filter(user=user).delete()
    _audit(
        user,
        "accounts.second_factor_removed",
        AuditAction.UPDATE,
        ip_address=ip_address,
        method=kind,
        device=name,
        recovery_codes_removed=others == 0,
    )
    return str(name)


@transaction.atomic
def second_factor_reset(*, actor: Actor, user: User) -> int:
    """Remove every second factor ``user`` has: authenticator apps, passkeys and recovery codes.

    For the administrator's user-management page, when a user has lost their phone or passkey
    and their recovery codes. ``actor`` must hold ``accounts.change_user`` (the administrator
    role, or the operator of a ``provide`` command); otherwise ``PermissionDenied`` is raised
    with :data:`ERROR_RESET_NOT_ALLOWED` and nothing changes.

    Effects: any session that passed a second factor with a removed device stops counting as
    verified at its next request; the user signs in with their password as usual and, if their
    role needs a second factor, is sent to set up a new one. Audited (even when there was
    nothing to remove) as ``accounts.second_factor_reset`` (action ``update``, flagged for
    review) with ``actor`` as the actor, ``user`` as the subject and the names removed.

    Returns the number of second factors removed (recovery codes not counted).
    """
    if not (getattr(actor, "is_active", False) and actor.has_perm("accounts.change_user")):
        raise PermissionDenied(ERROR_RESET_NOT_ALLOWED)
    removed = [device.name for device in second_factor_devices(user)]
    TOTPDevice.objects.filter(user=user).delete()
    WebAuthnCredential.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _audit(
        user,
        "accounts.second_factor_reset",
        AuditAction.UPDATE,
        actor=actor,
        flagged=True,
        removed=removed,
    )
    return len(removed)
