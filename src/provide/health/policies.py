"""Who may do what with the health-side record: health roles only, whatever a group holds."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from provide.accounts.models import User
from provide.accounts.policies import can_view_health_record
from provide.accounts.services import role_of

PARTNER_AGENCY = "partner"
"""The agency whose roles (the safeguarding team, who take referrals to MARAC) receive what an
IDVA shares, with the victim's agreement, on a referral once it is sent."""


def can_view_health_field(
    user: User | AnonymousUser, *, shared_with_partners: bool = False
) -> bool:
    """The one wall for a health-side field, on every surface that can show it: pages, PDFs,
    drafts, downloads (CSV, JSON, XLSX) and the API all ask this before they render one.

    Health roles see every health-side field (:func:`can_view_health_record`: the role *and*
    the permission, so a permission granted by mistake opens nothing). The one health-side
    field that leaves the health side is what the IDVA shares, with the victim's agreement, on
    a referral (``Referral.idva_shared_summary``): once the referral is sent
    (``shared_with_partners=True``) it reaches the partner agency's roles, the safeguarding
    team who take it to MARAC. A draft is not shared with anyone. Police roles, the analyst and
    the administrator never see a health-side field, sent or not.
    """
    if can_view_health_record(user):
        return True
    if not shared_with_partners or not user.is_authenticated or not user.is_active:
        return False
    role = role_of(user)
    return role is not None and role.agency == PARTNER_AGENCY


def can_edit_health_record(user: User | AnonymousUser) -> bool:
    return can_view_health_record(user) and bool(user.has_perm("health.change_supportrecord"))


def can_import_tracker(user: User | AnonymousUser) -> bool:
    return can_view_health_record(user) and bool(user.has_perm("health.import_tracker"))


def can_export_tracker(user: User | AnonymousUser) -> bool:
    return can_view_health_record(user) and bool(user.has_perm("health.export_tracker"))


def can_import_appointments(user: User | AnonymousUser) -> bool:
    return can_view_health_record(user) and bool(user.has_perm("health.add_healthappointment"))
