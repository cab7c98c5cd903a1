"""Single sign-on with OpenID Connect (mozilla-django-oidc), off unless configured.

It is on when ``PROVIDE_OIDC_ISSUER``, ``PROVIDE_OIDC_CLIENT_ID`` and
``PROVIDE_OIDC_CLIENT_SECRET`` are all set; the sign-in page then offers "Sign in with
<PROVIDE_OIDC_PROVIDER_NAME>". The provider's addresses come from its discovery document
(``<issuer>/.well-known/openid-configuration``), fetched when first needed and kept for an hour.

The flow is the authorization-code flow with PKCE and a nonce (``/oidc/authenticate/`` →
the provider → ``/oidc/callback/``). The ID token's signature (from the provider's keys),
issuer, audience, expiry and nonce are checked; the user-info ``sub`` must match the token's.

**Who the person is.** A user is found by the provider's ``sub`` stored on them
(``User.oidc_subject``); failing that, when ``PROVIDE_OIDC_MATCH_EMAIL`` is on, by a unique
email address on an account not yet linked (which is then linked); failing that a new account
is made (``PROVIDE_OIDC_CREATE_USERS``, default on), with no password of its own.

**What they may do.** The role comes from the claim ``PROVIDE_OIDC_ROLE_CLAIM`` (a string or a
list; a dotted name reaches into nested claims, ``realm_access.roles``) through
``PROVIDE_OIDC_ROLE_MAP`` (``{"claim value": "role_slug"}``), on every sign-in: exactly one role
must map, or sign-in is refused. The BCU comes from ``PROVIDE_OIDC_BCU_CLAIM`` (a BCU's name);
roles that work one BCU need one, from the claim or already set on the account. Changes of role
or BCU are audited (``accounts.role_changed_sso``), as are new accounts
(``accounts.user_created_sso``), links by email (``accounts.sso_linked``), every sign-in
(``accounts.signed_in_sso``) and every refusal (``accounts.sso_refused``).

**The second factor.** A user whose role needs a second factor still gives it after single
sign-on, unless ``PROVIDE_OIDC_TRUST_IDP_MFA`` is on and the ID token's ``amr`` claim shows the
provider already asked for more than a password: then the session gets ``provide_idp_mfa = True``
(:data:`IDP_MFA_SESSION_KEY`), which the second-factor middleware honours.

The pages (``/oidc/authenticate/``, ``/oidc/callback/``) are in :mod:`provide.accounts.oidc_views`.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend  # type: ignore[import-untyped, unused-ignore]

from provide.accounts.mfa import IDP_MFA_SESSION_KEY as IDP_MFA_SESSION_KEY
from provide.accounts.models import User
from provide.accounts.roles import ROLES_BY_NAME, ROLES_BY_SLUG, Role
from provide.accounts.services import role_of, user_create
from provide.audit.models import AuditAction
from provide.audit.services import audit_record

log = logging.getLogger(__name__)

"""Session flag: the identity provider did multi-factor authentication for this sign-in."""
DISCOVERY_CACHE_SECONDS = 60 * 60
BCU_SCOPED_ROLES = frozenset(
    {"response_officer", "triage_sergeant", "joint_team_officer", "health_idva"}
)
"""Roles whose work is one BCU's (as the cast of personas has them); the others are force-wide."""
MFA_METHODS = frozenset(
    {"mfa", "otp", "hwk", "sc", "swk", "fpt", "face", "iris", "retina", "vbm", "pop"}
)
"""``amr`` values (RFC 8176) that show more than a password: "mfa" itself, or a possession or
biometric factor (a provider lists these alongside "pwd" when it asked for them)."""
USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")


class SingleSignOnRefused(Exception):
    """Single sign-on worked, but Provide will not let this person in; the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class ProviderUnavailable(Exception):
    """The identity provider's discovery document could not be read or is not usable."""


NO_ROLE = (
    "no_role",
    "Your {provider} account does not give you a role in Provide. "
    "Ask your Provide administrator to give you one.",
)
MANY_ROLES = (
    "many_roles",
    "Your {provider} account gives you more than one role in Provide. "
    "Provide users hold one role: ask your Provide administrator to sort this out.",
)
NO_BCU = (
    "no_bcu",
    "Your role works one BCU, but your {provider} account does not say which. "
    "Ask your Provide administrator to set your BCU.",
)
UNKNOWN_BCU = (
    "unknown_bcu",
    "Your {provider} account names a BCU Provide does not know. "
    "Ask your Provide administrator to check it.",
)
NO_ACCOUNT = (
    "no_account",
    "There is no Provide account for you yet. Ask your Provide administrator to set one up.",
)
AMBIGUOUS = (
    "ambiguous",
    "More than one Provide account has your email address, so Provide cannot tell which is "
    "yours. Ask your Provide administrator to sort this out.",
)
INACTIVE = ("inactive", "Your Provide account is switched off. Ask your Provide administrator.")
PROVIDER_ERROR = (
    "provider_error",
    "Signing in with {provider} did not work. Try again, or sign in with your "
    "Provide username and password.",
)


def sso_enabled() -> bool:
    return bool(
        settings.PROVIDE_OIDC_ISSUER
        and settings.OIDC_RP_CLIENT_ID
        and settings.OIDC_RP_CLIENT_SECRET
    )


def provider_name() -> str:
    return str(settings.PROVIDE_OIDC_PROVIDER_NAME)


def refusal_for(reason: tuple[str, str]) -> SingleSignOnRefused:
    code, message = reason
    return SingleSignOnRefused(code, message.format(provider=provider_name()))


def issuer() -> str:
    return str(settings.PROVIDE_OIDC_ISSUER).rstrip("/")


def provider_configuration() -> dict[str, str]:
    """The provider's endpoints from its discovery document (cached for an hour)."""
    key = "provide.oidc.discovery." + hashlib.sha256(issuer().encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    try:
        response = requests.get(
            f"{issuer()}/.well-known/openid-configuration",
            timeout=settings.OIDC_TIMEOUT,
            verify=settings.OIDC_VERIFY_SSL,
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"the discovery document could not be read: {error}") from error
    if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != issuer():
        raise ProviderUnavailable("the discovery document names another issuer")
    needed = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
    if missing := [name for name in needed if not document.get(name)]:
        raise ProviderUnavailable(f"the discovery document lacks {', '.join(missing)}")
    configuration = {name: str(document[name]) for name in needed}
    cache.set(key, configuration, DISCOVERY_CACHE_SECONDS)
    return configuration


def claim(claims: dict[str, Any], name: str) -> Any:
    """A claim by name; a dotted name reaches into nested claims (``realm_access.roles``)."""
    if name in claims:
        return claims[name]
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def role_from_claims(claims: dict[str, Any]) -> Role:
    """The one role the claims map to through ``PROVIDE_OIDC_ROLE_MAP``."""
    raw = claim(claims, settings.PROVIDE_OIDC_ROLE_CLAIM)
    values = (
        [raw] if isinstance(raw, str) else [str(v) for v in raw] if isinstance(raw, list) else []
    )
    role_map: dict[str, str] = settings.PROVIDE_OIDC_ROLE_MAP
    slugs = {role_map[value] for value in values if value in role_map}
    if not slugs:
        raise refusal_for(NO_ROLE)
    if len(slugs) > 1:
        raise refusal_for(MANY_ROLES)
    return ROLES_BY_SLUG[slugs.pop()]


def bcu_from_claims(claims: dict[str, Any], role: Role, current: Any) -> Any:
    """The BCU (an ``areas.Area``) for this role: from the BCU claim, else the account's own;
    None for force-wide roles."""
    if role.slug not in BCU_SCOPED_ROLES:
        return None
    named = (
        claim(claims, settings.PROVIDE_OIDC_BCU_CLAIM) if settings.PROVIDE_OIDC_BCU_CLAIM else None
    )
    if isinstance(named, str) and named.strip():
        # The BCUs the user's ``bcu`` field may hold (areas sits beside accounts: no import).
        field = User._meta.get_field("bcu")
        bcus = field.related_model._default_manager.filter(kind="bcu")  # type: ignore[union-attr]
        found = bcus.filter(name__iexact=named.strip()).first()
        if found is None:
            raise refusal_for(UNKNOWN_BCU)
        return found
    if current is None:
        raise refusal_for(NO_BCU)
    return current


def idp_did_mfa(id_token_claims: dict[str, Any]) -> bool:
    """True when the ID token's ``amr`` shows more than a password."""
    methods = id_token_claims.get("amr")
    if not isinstance(methods, list):
        return False
    return bool(MFA_METHODS & {str(method).lower() for method in methods})


def _sso_actor_name() -> str:
    return f"single sign-on ({provider_name()})"[:150]


def _new_username(claims: dict[str, Any], subject: str) -> str:
    email = str(claims.get("email") or "")
    wanted = str(claims.get("preferred_username") or email.split("@", 1)[0] or "sso")
    base = USERNAME_UNSAFE.sub("", wanted)[:130] or "sso"
    if not User.objects.filter(username=base).exists():
        return base
    return f"{base}-{hashlib.sha256(subject.encode()).hexdigest()[:8]}"


def _find(claims: dict[str, Any], subject: str) -> User | None:
    """The account already linked to this subject, or (``PROVIDE_OIDC_MATCH_EMAIL``) the one
    unlinked account with the claims' email address, which is then linked."""
    user = User.objects.select_for_update().filter(oidc_subject=subject).first()
    email = str(claims.get("email") or "").strip()
    if user is not None or not (
        settings.PROVIDE_OIDC_MATCH_EMAIL and email and claims.get("email_verified") is not False
    ):
        return user
    matches = list(
        User.objects.select_for_update().filter(email__iexact=email, oidc_subject__isnull=True)[:2]
    )
    if len(matches) > 1:
        raise refusal_for(AMBIGUOUS)
    if not matches:
        return None
    user = matches[0]
    user.oidc_subject = subject
    user.save(update_fields=["oidc_subject"])
    audit_record(
        actor=None,
        actor_username=_sso_actor_name(),
        action=AuditAction.UPDATE,
        event="accounts.sso_linked",
        subject=user,
        changes={"matched_by": "email"},
    )
    return user


def _create(claims: dict[str, Any], subject: str, role: Role, bcu: Any) -> User:
    if not settings.PROVIDE_OIDC_CREATE_USERS:
        raise refusal_for(NO_ACCOUNT)
    user = user_create(
        username=_new_username(claims, subject),
        password=None,
        role=role,
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
        bcu=bcu,
    )
    user.oidc_subject = subject
    user.email = str(claims.get("email") or "").strip()[:254]
    user.save(update_fields=["oidc_subject", "email"])
    audit_record(
        actor=None,
        actor_username=_sso_actor_name(),
        action=AuditAction.CREATE,
        event="accounts.user_created_sso",
        subject=user,
        changes={"role": role.name, "bcu": str(bcu.name) if bcu else None},
    )
    return user


def _apply_role(user: User, role: Role, bcu: Any) -> None:
    before = role_of(user)
    if before == role and user.bcu_id == (bcu.pk if bcu else None):
        return
    old_bcu = user.bcu
    role_groups = Group.objects.filter(name__in=list(ROLES_BY_NAME))
    user.groups.remove(*role_groups)
    user.groups.add(Group.objects.get(name=role.name))
    user.bcu = bcu
    user.agency = role.agency
    user.is_staff = role.is_staff or user.is_superuser
    user.save(update_fields=["bcu", "agency", "is_staff"])
    user._provide_role = role  # type: ignore[attr-defined]
    changes: dict[str, Any] = {}
    if before != role:
        changes["role"] = [before.name if before else None, role.name]
    if old_bcu != bcu:
        changes["bcu"] = [old_bcu.name if old_bcu else None, bcu.name if bcu else None]
    audit_record(
        actor=None,
        actor_username=_sso_actor_name(),
        action=AuditAction.UPDATE,
        event="accounts.role_changed_sso",
        subject=user,
        changes=changes,
    )


@transaction.atomic
def sso_user_for_claims(*, claims: dict[str, Any]) -> User:
    """The user these claims sign in, found or made, with the role and BCU the claims give
    (changes audited); raises :class:`SingleSignOnRefused` when Provide will not let them in
    (and then changes nothing). ``claims`` are the user-info and ID token claims together."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise refusal_for(PROVIDER_ERROR)
    role = role_from_claims(claims)
    user = _find(claims, subject)
    if user is not None and not user.is_active:
        raise refusal_for(INACTIVE)
    bcu = bcu_from_claims(claims, role, user.bcu if user is not None else None)
    if user is None:
        return _create(claims, subject, role, bcu)
    _apply_role(user, role, bcu)
    return user


def record_refusal(request: HttpRequest, refusal: SingleSignOnRefused, who: str = "") -> None:
    audit_record(
        actor=None,
        actor_username=(who or _sso_actor_name())[:150],
        action=AuditAction.SIGN_IN_FAILED,
        event="accounts.sso_refused",
        reason=refusal.message,
        changes={"code": refusal.code},
        flagged=True,
        ip_address=request.META.get("REMOTE_ADDR"),
    )


def _who(claims: dict[str, Any]) -> str:
    return str(claims.get("preferred_username") or claims.get("email") or claims.get("sub") or "")


class SingleSignOnBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """mozilla-django-oidc's backend, configured from discovery when first used, that maps
    claims to a Provide user (:func:`sso_user_for_claims`). It answers only the callback's
    ``authenticate(request=..., nonce=..., code_verifier=...)``, never a password sign-in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The parent reads the provider's addresses here; this backend is built for every
        # password sign-in too, so they are read only when a callback comes (_configure).
        self.UserModel = User

    def _configure(self) -> None:
        endpoints = provider_configuration()
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = endpoints["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = endpoints["jwks_uri"]
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or "nonce" not in kwargs or "password" in kwargs or not sso_enabled():
            return None
        try:
            self._configure()
            user: User | None = super().authenticate(request, **kwargs)
        except SingleSignOnRefused as refused:
            request.provide_sso_refusal = refused  # type: ignore[attr-defined]
            record_refusal(request, refused, getattr(request, "provide_sso_who", ""))
            return None
        except (
            ProviderUnavailable,
            requests.RequestException,
            SuspiciousOperation,
            KeyError,
            ValueError,
        ) as error:
            log.warning("single sign-on failed: %s", error)
            failed = refusal_for(PROVIDER_ERROR)
            request.provide_sso_refusal = failed  # type: ignore[attr-defined]
            record_refusal(request, failed)
            return None
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if (
            str(payload.get("iss", "")).rstrip("/") != issuer()
            or settings.OIDC_RP_CLIENT_ID not in audiences
        ):
            raise SuspiciousOperation("the ID token was not issued by this provider for Provide")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        userinfo: dict[str, Any] = self.get_userinfo(access_token, id_token, payload)
        if str(userinfo.get("sub", "")) != str(payload.get("sub", "")):
            raise SuspiciousOperation("the user-info subject differs from the ID token's")
        claims = {**payload, **userinfo}
        self.request.provide_sso_who = _who(claims)
        user = sso_user_for_claims(claims=claims)
        self.request.provide_idp_mfa = bool(
            settings.PROVIDE_OIDC_TRUST_IDP_MFA and idp_did_mfa(payload)
        )
        return user

    def get_user(self, user_id: Any) -> User | None:
        user = ModelBackend().get_user(user_id)
        return user if isinstance(user, User) else None
