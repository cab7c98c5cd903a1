"""Forms of the user-management pages. Input validation only: the services in
:mod:`provide.accounts.users` and :mod:`provide.accounts.grants` apply the rules again."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password

from provide.accounts.grants import MIN_REASON, REASON_NEEDED, REFUSAL_REASON_NEEDED
from provide.accounts.models import User
from provide.accounts.roles import ALL_ROLES, ROLES_BY_SLUG, Role
from provide.accounts.users import NO_ROLE, UserFilters, assignable_roles, bcu_choices

NO_ROLE_LABEL = "No role yet"
ROLE_OR_HEALTH_ROLE = "Choose a role now or a health role to ask for, not both"
HEALTH_ACCOUNT_LEFT_EMPTY = (
    "Leave the password empty: an account for a health role gets no password from an administrator"
)
ENTER_USERNAME = "Enter a username"
CHOOSE_DECISION = "Choose whether to approve or refuse the request"


class BcuChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A BCU by its public id, shown by its name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _bcu_field() -> BcuChoiceField:
    return BcuChoiceField(
        label="BCU",
        required=False,
        queryset=bcu_choices(),
        to_field_name="public_id",
        empty_label="None (works force-wide)",
        help_text="Response officers, triage sergeants, joint-team officers and health IDVAs work one BCU.",
    )


def _role_choices(roles: list[Role]) -> list[tuple[str, str]]:
    return [("", NO_ROLE_LABEL), *((role.slug, role.name) for role in roles)]


def _health_choices() -> list[tuple[str, str]]:
    return [(role.slug, role.name) for role in ALL_ROLES if role.is_health]


class UserFilterForm(forms.Form):
    q = forms.CharField(label="Name, username or email", required=False, max_length=100)
    role = forms.ChoiceField(label="Role", required=False)
    bcu = BcuChoiceField(
        label="BCU",
        required=False,
        to_field_name="public_id",
        empty_label="Any BCU",
        queryset=bcu_choices(),
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), ("active", "Active"), ("inactive", "Deactivated")],
    )
    pending = forms.BooleanField(
        label="Only users with a health role request waiting", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            ("", "Any role"),
            *((role.slug, role.name) for role in ALL_ROLES),
            (NO_ROLE, NO_ROLE_LABEL),
        ]

    def filters(self) -> UserFilters:
        if not self.is_bound or not self.is_valid():
            return UserFilters()
        data = self.cleaned_data
        return UserFilters(
            text=data["q"],
            role=data["role"],
            bcu=data["bcu"],
            status=data["status"],
            pending_request=bool(data["pending"]),
        )


class UserCreateForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": ENTER_USERNAME},
        help_text="What they sign in with, for example j.smith",
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address, like name@example.org"},
    )
    role = forms.ChoiceField(label="Role", required=False)
    bcu = _bcu_field()
    health_role = forms.ChoiceField(
        label="Or ask for a health role",
        required=False,
        help_text="A health role opens the IDVA's record: an IDVA manager must approve it.",
    )
    health_reason = forms.CharField(
        label="Why they need the health role",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    password = forms.CharField(
        label="First password (optional)",
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Leave empty when they sign in with single sign-on.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(assignable_roles())  # type: ignore[attr-defined]
        self.fields["health_role"].choices = [("", "No health role"), *_health_choices()]  # type: ignore[attr-defined]

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"]).strip()
        User.username_validator(username)
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") and data.get("health_role"):
            self.add_error("health_role", ROLE_OR_HEALTH_ROLE)
        if data.get("health_role"):
            if len(" ".join(str(data.get("health_reason", "")).split())) < MIN_REASON:
                self.add_error("health_reason", REASON_NEEDED)
            if data.get("password"):
                self.add_error("password", HEALTH_ACCOUNT_LEFT_EMPTY)
        password = data.get("password")
        if password and not self.has_error("password"):
            try:
                validate_password(
                    password,
                    User(
                        username=data.get("username", ""),
                        first_name=data.get("first_name", ""),
                        last_name=data.get("last_name", ""),
                    ),
                )
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data

    def chosen_role(self) -> Role | None:
        slug = self.cleaned_data.get("role")
        return ROLES_BY_SLUG[slug] if slug else None


class UserEditForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={"invalid": "Enter an email address, like name@example.org"},
    )
    role = forms.ChoiceField(
        label="Role",
        required=False,
        help_text="A health role is given only through a request an IDVA manager approves.",
    )
    bcu = _bcu_field()

    def __init__(self, *args: Any, current_role: Role | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = assignable_roles()
        if current_role is not None and current_role.is_health:
            roles = [current_role, *roles]  # keeping a health role is allowed; giving one is not
        self.fields["role"].choices = _role_choices(roles)  # type: ignore[attr-defined]

    @staticmethod
    def initial_from(user: User, role: Role | None) -> dict[str, Any]:
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "role": role.slug if role else "",
            "bcu": user.bcu.public_id if user.bcu else None,
        }

    def chosen_role(self) -> Role | None:
        slug = self.cleaned_data.get("role")
        return ROLES_BY_SLUG[slug] if slug else None


class HealthRoleRequestForm(forms.Form):
    role = forms.ChoiceField(
        label="Health role", error_messages={"required": "Choose the health role"}
    )
    reason = forms.CharField(
        label="Why they need it",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_NEEDED},
        help_text="The IDVA manager reads this before deciding.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _health_choices()  # type: ignore[attr-defined]

    def clean_reason(self) -> str:
        reason = " ".join(str(self.cleaned_data["reason"]).split())
        if len(reason) < MIN_REASON:
            raise forms.ValidationError(REASON_NEEDED)
        return reason


class GrantDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        widget=forms.RadioSelect,
        choices=[
            ("approve", "Approve: give them the role"),
            ("refuse", "Refuse: they keep the role they have"),
        ],
        error_messages={"required": CHOOSE_DECISION},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you refuse: the administrator sees it.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refuse" and not str(data.get("note", "")).strip():
            self.add_error("note", REFUSAL_REASON_NEEDED)
        return data


class BulkDeactivateForm(forms.Form):
    """The ticked users on the list (their public ids)."""

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        self.user_ids: list[uuid.UUID] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = self.data.getlist("users") if hasattr(self.data, "getlist") else []
        try:
            self.user_ids = [uuid.UUID(str(value)) for value in values]
        except ValueError:
            raise forms.ValidationError("Choose users from the list") from None
        if not self.user_ids:
            raise forms.ValidationError("Choose at least one user to deactivate")
        return data
