"""Health roles need two people: an administrator asks, an IDVA manager decides.

A health role opens the IDVA's record, so no one person can give it. The administrator files a
:class:`~provide.accounts.models.HealthRoleGrantRequest` for a user (never for themselves),
with the reason; an IDVA manager approves or refuses it (never one they asked for, nor one
about themselves); the role is given only on approval. Each step is audited with the actor,
the user concerned as the subject, and what changed (``accounts.health_role_requested``,
``accounts.health_role_approved``, ``accounts.health_role_refused``). The database refuses a
request decided by its requester or about its decider as well.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from provide.accounts.models import HealthRoleGrantRequest, User
from provide.accounts.policies import can_decide_health_role_grant, can_manage_users
from provide.accounts.roles import ROLES_BY_SLUG, Role
from provide.accounts.services import role_of
from provide.accounts.users import BCU_SCOPED_ROLES, apply_role
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.shared.access import RecordNotFound

REQUEST_NOT_ALLOWED = "Only an administrator can ask for a health role."
DECIDE_NOT_ALLOWED = "Only an IDVA manager can approve or refuse a health role."
NOT_A_HEALTH_ROLE = "Only a health role needs a request: give other roles on the user's page."
NOT_FOR_YOURSELF = "You cannot ask for a health role for yourself."
NOT_YOUR_OWN_REQUEST = "You asked for this role: another person must decide it."
NOT_ABOUT_YOURSELF = "This request is about you: another IDVA manager must decide it."
ALREADY_WAITING = "{user} already has a request waiting for an IDVA manager."
ALREADY_HOLDS = "{user} already holds the role {role}."
INACTIVE_USER = "{user} is deactivated: reactivate them first."
SUPERUSER = "A superuser cannot be given a health role."
NEEDS_BCU = "{role} works one BCU: set the user's BCU first."
NOT_WAITING = "This request has already been decided."
REASON_NEEDED = "Say why this person needs the role (at least 10 characters)."
REFUSAL_REASON_NEEDED = "Say why you are refusing the request."
MIN_REASON = 10


class GrantError(Exception):
    """A step the rules refuse; the message is one of this module's constants."""


def _health_role(slug: str) -> Role:
    role = ROLES_BY_SLUG.get(slug)
    if role is None or not role.is_health:
        raise GrantError(NOT_A_HEALTH_ROLE)
    return role


def _check_user_may_hold(user: User, role: Role) -> None:
    if not user.is_active:
        raise GrantError(INACTIVE_USER.format(user=user))
    if user.is_superuser:
        raise GrantError(SUPERUSER)
    if role_of(user) == role:
        raise GrantError(ALREADY_HOLDS.format(user=user, role=role.name))
    if role.slug in BCU_SCOPED_ROLES and user.bcu_id is None:
        raise GrantError(NEEDS_BCU.format(role=role.name))


@transaction.atomic
def health_role_request_create(
    *, actor: User, user: User, role_slug: str, reason: str
) -> HealthRoleGrantRequest:
    """File a request to give ``user`` the health role ``role_slug``; audited as
    ``accounts.health_role_requested``. Nothing about the user changes yet."""
    if not can_manage_users(actor):
        raise PermissionDenied(REQUEST_NOT_ALLOWED)
    role = _health_role(role_slug)
    if user.pk == actor.pk:
        raise GrantError(NOT_FOR_YOURSELF)
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON:
        raise GrantError(REASON_NEEDED)
    user = User.objects.select_for_update(of=("self",)).select_related("bcu").get(pk=user.pk)
    _check_user_may_hold(user, role)
    if HealthRoleGrantRequest.objects.filter(
        user=user, status=HealthRoleGrantRequest.Status.PENDING
    ).exists():
        raise GrantError(ALREADY_WAITING.format(user=user))
    request = HealthRoleGrantRequest.objects.create(
        user=user, role=role.slug, reason=reason, requested_by=actor
    )
    current = role_of(user)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        event="accounts.health_role_requested",
        subject=user,
        reason=reason,
        changes={
            "request": str(request.public_id),
            "role": [current.name if current else None, role.name],
        },
    )
    return request


def _decidable(actor: User, request: HealthRoleGrantRequest) -> HealthRoleGrantRequest:
    if not can_decide_health_role_grant(actor):
        raise PermissionDenied(DECIDE_NOT_ALLOWED)
    request = (
        HealthRoleGrantRequest.objects.select_for_update(of=("self",))
        .select_related("user", "requested_by")
        .get(pk=request.pk)
    )
    if request.status != HealthRoleGrantRequest.Status.PENDING:
        raise GrantError(NOT_WAITING)
    if request.requested_by_id == actor.pk:
        raise GrantError(NOT_YOUR_OWN_REQUEST)
    if request.user_id == actor.pk:
        raise GrantError(NOT_ABOUT_YOURSELF)
    return request


def _decide(request: HealthRoleGrantRequest, actor: User, status: str, note: str) -> None:
    request.status = status
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
    )


@transaction.atomic
def health_role_request_approve(
    *, actor: User, request: HealthRoleGrantRequest, note: str = ""
) -> HealthRoleGrantRequest:
    """Approve a waiting request and give the user the role (in place of any other role);
    audited as ``accounts.health_role_approved`` with the role before and after."""
    request = _decidable(actor, request)
    role = _health_role(request.role)
    user = (
        User.objects.select_for_update(of=("self",)).select_related("bcu").get(pk=request.user_id)
    )
    _check_user_may_hold(user, role)
    before = role_of(user)
    apply_role(user, role)
    _decide(request, actor, HealthRoleGrantRequest.Status.APPROVED, " ".join(note.split()))
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        event="accounts.health_role_approved",
        subject=user,
        reason=request.decision_note,
        changes={
            "request": str(request.public_id),
            "role": [before.name if before else None, role.name],
            "agency": [before.agency if before else "", user.agency],
            "requested_by": request.requested_by.get_username(),
        },
    )
    return request


@transaction.atomic
def health_role_request_refuse(
    *, actor: User, request: HealthRoleGrantRequest, note: str
) -> HealthRoleGrantRequest:
    """Refuse a waiting request, saying why; the user keeps the role they had. Audited as
    ``accounts.health_role_refused``."""
    request = _decidable(actor, request)
    note = " ".join(note.split())
    if not note:
        raise GrantError(REFUSAL_REASON_NEEDED)
    _decide(request, actor, HealthRoleGrantRequest.Status.REFUSED, note)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        event="accounts.health_role_refused",
        subject=request.user,
        reason=note,
        changes={
            "request": str(request.public_id),
            "status": ["pending", "refused"],
            "requested_by": request.requested_by.get_username(),
        },
    )
    return request


# --- reads ------------------------------------------------------------------------------


def grant_request_list_for(
    *, user: User, status: str = HealthRoleGrantRequest.Status.PENDING, about: User | None = None
) -> QuerySet[HealthRoleGrantRequest]:
    """Requests for the IDVA managers who decide them and the administrators who file them."""
    if not (can_decide_health_role_grant(user) or can_manage_users(user)):
        return HealthRoleGrantRequest.objects.none()
    requests = HealthRoleGrantRequest.objects.select_related(
        "user", "user__bcu", "requested_by", "decided_by"
    )
    if status:
        requests = requests.filter(status=status)
    if about is not None:
        requests = requests.filter(user=about)
    return requests.order_by("-created_at", "-pk")


def grant_request_get_for(*, user: User, request_id: uuid.UUID | str) -> HealthRoleGrantRequest:
    """One request, for an IDVA manager to decide; :class:`RecordNotFound` for anyone else."""
    if not can_decide_health_role_grant(user):
        raise RecordNotFound
    try:
        return grant_request_list_for(user=user, status="").get(public_id=request_id)
    except (HealthRoleGrantRequest.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None


def can_decide(user: User, request: HealthRoleGrantRequest) -> bool:
    """Whether ``user`` may decide this request now (for showing the buttons)."""
    return (
        can_decide_health_role_grant(user)
        and request.status == HealthRoleGrantRequest.Status.PENDING
        and request.requested_by_id != user.pk
        and request.user_id != user.pk
    )
