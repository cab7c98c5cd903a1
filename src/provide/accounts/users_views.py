"""User-management pages: the administrator's users (list, create, edit, deactivate, second
factor, unlock, health-role requests) and the IDVA manager's health-role decisions.

Thin: each view validates a form and calls one service or selector of
:mod:`provide.accounts.users` or :mod:`provide.accounts.grants`, which check and audit.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from provide.accounts import grants, mfa, user_forms, users
from provide.accounts.http import AuthenticatedRequest
from provide.accounts.models import HealthRoleGrantRequest, User
from provide.accounts.policies import can_decide_health_role_grant, can_manage_users
from provide.accounts.services import role_of
from provide.shared.access import RecordNotFound

LIST_LIMIT = 200


def _admin_only(request: AuthenticatedRequest) -> None:
    if not can_manage_users(request.user):
        raise PermissionDenied


def _user(request: AuthenticatedRequest, user_id: Any) -> User:
    try:
        return users.user_get_for(actor=request.user, user_id=user_id)
    except RecordNotFound:
        raise Http404 from None


@login_required
def user_list(request: AuthenticatedRequest) -> HttpResponse:
    _admin_only(request)
    form = user_forms.UserFilterForm(request.GET or None)
    found = list(users.user_list_for(actor=request.user, filters=form.filters())[: LIST_LIMIT + 1])
    locked = users.locked_usernames(actor=request.user)
    rows = [
        {"user": user, "role": role_of(user), "locked": user.username in locked}
        for user in found[:LIST_LIMIT]
    ]
    return render(
        request,
        "accounts/users_list.html",
        {
            "nav": "users",
            "page_title": "Users",
            "form": form,
            "rows": rows,
            "more": len(found) > LIST_LIMIT,
        },
    )


@login_required
def user_create(request: AuthenticatedRequest) -> HttpResponse:
    _admin_only(request)
    form = user_forms.UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = users.user_add(
                    actor=request.user,
                    username=data["username"],
                    role=form.chosen_role(),
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    bcu=data["bcu"],
                    password=data["password"],
                )
                if data["health_role"]:
                    grants.health_role_request_create(
                        actor=request.user,
                        user=user,
                        role_slug=data["health_role"],
                        reason=data["health_reason"],
                    )
        except (users.UserManagementError, grants.GrantError) as refused:
            form.add_error(None, str(refused))
        else:
            waiting = (
                " An IDVA manager must approve the health role." if data["health_role"] else ""
            )
            messages.success(request, f"User {user.username} created.{waiting}")
            return redirect("accounts:user-detail", user.public_id)
    return render(
        request,
        "accounts/users_create.html",
        {
            "nav": "users",
            "page_title": f"{'Error: ' if form.errors else ''}Add a user",
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _detail(
    request: AuthenticatedRequest,
    user: User,
    form: user_forms.UserEditForm,
    request_form: user_forms.HealthRoleRequestForm,
    status: int = 200,
) -> HttpResponse:
    role = role_of(user)
    requests = list(grants.grant_request_list_for(user=request.user, status="", about=user)[:20])
    return render(
        request,
        "accounts/users_detail.html",
        {
            "nav": "users",
            "page_title": f"{'Error: ' if form.errors or request_form.errors else ''}{user.username}",
            "subject": user,
            "role": role,
            "form": form,
            "request_form": request_form,
            "requests": requests,
            "waiting": any(r.status == HealthRoleGrantRequest.Status.PENDING for r in requests),
            "second_factors": mfa.second_factor_devices(user),
            "locked": user.username in users.locked_usernames(actor=request.user),
            "is_self": user.pk == request.user.pk,
        },
        status=status,
    )


@login_required
def user_detail(request: AuthenticatedRequest, user_id: Any) -> HttpResponse:
    user = _user(request, user_id)
    role = role_of(user)
    form = user_forms.UserEditForm(
        request.POST or None,
        current_role=role,
        initial=user_forms.UserEditForm.initial_from(user, role),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            users.user_update(
                actor=request.user,
                user=user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=form.chosen_role(),
                bcu=data["bcu"],
            )
        except users.UserManagementError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Changes to {user.username} saved.")
            return redirect("accounts:user-detail", user.public_id)
    return _detail(
        request,
        user,
        form,
        user_forms.HealthRoleRequestForm(),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def user_health_role_request(request: AuthenticatedRequest, user_id: Any) -> HttpResponse:
    user = _user(request, user_id)
    request_form = user_forms.HealthRoleRequestForm(request.POST)
    if request_form.is_valid():
        try:
            grants.health_role_request_create(
                actor=request.user,
                user=user,
                role_slug=request_form.cleaned_data["role"],
                reason=request_form.cleaned_data["reason"],
            )
        except grants.GrantError as refused:
            request_form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                f"Health role requested for {user.username}: an IDVA manager must approve it.",
            )
            return redirect("accounts:user-detail", user.public_id)
    role = role_of(user)
    form = user_forms.UserEditForm(
        current_role=role, initial=user_forms.UserEditForm.initial_from(user, role)
    )
    return _detail(request, user, form, request_form, status=400)


def _done_or_refused(
    request: AuthenticatedRequest, user: User, action: Any, done: str
) -> HttpResponse:
    try:
        action()
    except users.UserManagementError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return redirect("accounts:user-detail", user.public_id)


@login_required
@require_POST
def user_active(request: AuthenticatedRequest, user_id: Any) -> HttpResponse:
    user = _user(request, user_id)
    active = request.POST.get("active") == "yes"
    return _done_or_refused(
        request,
        user,
        lambda: users.user_set_active(actor=request.user, user=user, active=active),
        f"{user.username} {'reactivated' if active else 'deactivated'}.",
    )


@login_required
@require_POST
def user_second_factor_reset(request: AuthenticatedRequest, user_id: Any) -> HttpResponse:
    user = _user(request, user_id)
    return _done_or_refused(
        request,
        user,
        lambda: users.user_second_factor_reset(actor=request.user, user=user),
        f"Second factor of {user.username} reset: they set up a new one when they next sign in.",
    )


@login_required
@require_POST
def user_unlock(request: AuthenticatedRequest, user_id: Any) -> HttpResponse:
    user = _user(request, user_id)
    return _done_or_refused(
        request,
        user,
        lambda: users.user_sign_in_unlock(actor=request.user, user=user),
        f"{user.username} can sign in again.",
    )


@login_required
@require_POST
def users_deactivate(request: AuthenticatedRequest) -> HttpResponse:
    _admin_only(request)
    form = user_forms.BulkDeactivateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(str(error) for error in form.non_field_errors()))
        return redirect("accounts:user-list")
    try:
        changed = users.users_deactivate(actor=request.user, user_ids=form.user_ids)
    except RecordNotFound:
        raise Http404 from None
    except users.UserManagementError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, f"{len(changed)} user{'' if len(changed) == 1 else 's'} deactivated."
        )
    return redirect("accounts:user-list")


# --- the IDVA manager's decisions -------------------------------------------------------


@login_required
def grant_list(request: AuthenticatedRequest) -> HttpResponse:
    if not can_decide_health_role_grant(request.user):
        raise PermissionDenied
    waiting = list(grants.grant_request_list_for(user=request.user))
    decided = list(
        grants.grant_request_list_for(user=request.user, status="").exclude(
            status=HealthRoleGrantRequest.Status.PENDING
        )[:50]
    )
    return render(
        request,
        "accounts/grants_list.html",
        {
            "nav": "health-role-requests",
            "page_title": "Health role requests",
            "waiting": waiting,
            "decided": decided,
        },
    )


@login_required
def grant_detail(request: AuthenticatedRequest, request_id: Any) -> HttpResponse:
    try:
        grant = grants.grant_request_get_for(user=request.user, request_id=request_id)
    except RecordNotFound:
        raise Http404 from None
    form = user_forms.GrantDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                grants.health_role_request_approve(
                    actor=request.user, request=grant, note=data["note"]
                )
            else:
                grants.health_role_request_refuse(
                    actor=request.user, request=grant, note=data["note"]
                )
        except grants.GrantError as refused:
            form.add_error(None, str(refused))
        else:
            outcome = "approved" if data["decision"] == "approve" else "refused"
            messages.success(
                request, f"{grant.get_role_display()} for {grant.user.username} {outcome}."
            )
            return redirect("accounts:grant-list")
    return render(
        request,
        "accounts/grant_detail.html",
        {
            "nav": "health-role-requests",
            "page_title": f"{'Error: ' if form.errors else ''}Health role request",
            "grant": grant,
            "form": form,
            "current_role": role_of(grant.user),
            "can_decide": grants.can_decide(request.user, grant),
            "has_second_factor": mfa.has_second_factor(grant.user),
        },
        status=400 if form.errors else 200,
    )
