"""The MARAC referral form (DOMAIN §3.3) as a PDF: HTML template → WeasyPrint.

The form holds only what the MARAC may see: it is built from :func:`marac_form_fields`,
which reads the shared record and the referral — never the IDVA's health-side notes and, of
police intelligence, only the crime reference, the suspect's identity and the relationship the
form asks for. The summary the IDVA chose to share on the referral goes through the same
health-side wall as the referral page (:func:`provide.safeguarding.selectors.idva_summary_for`):
health roles see it, the safeguarding team once the referral is sent, police roles never — and
nobody but health roles on a draft.

Downloading the form is an export (:func:`marac_form_export`): audited as
``safeguarding.marac_referral_exported`` with the referral as its subject.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from provide.accounts.models import User
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.safeguarding.models import MaracCase, Referral, ReferralService
from provide.safeguarding.selectors import idva_summary_for

NOT_A_MARAC_REFERRAL = "Only a MARAC referral has a MARAC referral form"


def marac_form_fields(referral: Referral, *, user: User, as_of: dt.datetime) -> dict[str, Any]:
    """The form's fields as ``user`` may see them (the IDVA's summary only past the wall)."""
    victim = referral.victim
    investigation = referral.investigation
    suspect = investigation.suspect if investigation is not None else None
    last_marac = (
        MaracCase.objects.filter(victim=victim, meeting_on__lt=timezone.localdate(as_of))
        .order_by("-meeting_on")
        .values_list("meeting_on", flat=True)
        .first()
    )
    latest_dash = (
        victim.risk_assessments.filter(tool__in=("DASH", "RIC"))
        .order_by("-assessed_at")
        .values_list("tool", "yes_count", "assessed_at")
        .first()
    )
    referrer = referral.created_by
    return {
        "referral": referral,
        "generated_at": as_of,
        "referrer": {
            "name": referrer.get_full_name() if referrer else "",
            "agency": getattr(referrer, "agency", "") if referrer else "",
            "contact": getattr(referrer, "email", "") if referrer else "",
        },
        "crime_reference": investigation.investigation_ref if investigation else "",
        "last_marac_on": last_marac,
        "victim": {
            "family_name": victim.family_name.upper(),
            "given_name": victim.given_name,
            "date_of_birth": victim.date_of_birth,
            "address": victim.address,
            "postcode": victim.postcode,
            "safe_phone": victim.safe_phone,
            "messages_safe": not victim.no_messages,
            "suspect_may_answer": victim.suspect_may_answer,
            "safe_times": victim.safe_contact_times,
            "language": victim.language,
            "interpreter_needed": victim.interpreter_needed,
            "gender": victim.gender or victim.get_sex_display(),
            "vulnerabilities": [v.replace("_", " ") for v in victim.vulnerabilities],
            "children_in_household": victim.children_in_household,
        },
        "perpetrator": None
        if suspect is None
        else {
            "family_name": suspect.family_name.upper(),
            "given_name": suspect.given_name,
            "date_of_birth": suspect.date_of_birth,
            "address": suspect.address,
            "relationship": investigation.get_relationship_display() if investigation else "",
        },
        "dash": None
        if latest_dash is None
        else {
            "tool": latest_dash[0],
            "yes_count": latest_dash[1],
            "assessed_at": latest_dash[2],
        },
        "idva_shared_summary": idva_summary_for(user=user, referral=referral),
    }


def marac_form_pdf(referral: Referral, *, user: User, as_of: dt.datetime) -> bytes:
    """The form as a PDF for ``user`` (not audited: :func:`marac_form_export` is the download)."""
    from weasyprint import HTML  # heavy: loaded only when a PDF is asked for

    fields = marac_form_fields(referral, user=user, as_of=as_of)
    html = render_to_string("safeguarding/marac_referral_form.html", fields)
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def marac_form_export(*, user: User, referral: Referral, as_of: dt.datetime) -> bytes:
    """The MARAC referral form of ``referral`` (which ``user`` has already been allowed to
    read, through :func:`~provide.safeguarding.selectors.referral_get_for`) as a PDF download,
    audited as an export naming the referral, and whether the IDVA's summary was in it.

    Raises ``ValueError`` (:data:`NOT_A_MARAC_REFERRAL`) for a referral to another service.
    """
    if referral.target != ReferralService.Target.MARAC:
        raise ValueError(NOT_A_MARAC_REFERRAL)
    pdf = marac_form_pdf(referral, user=user, as_of=as_of)
    with transaction.atomic():
        audit_record(
            actor=user,
            action=AuditAction.EXPORT,
            event="safeguarding.marac_referral_exported",
            subject=referral,
            changes={
                "format": "pdf",
                "status": referral.status,
                "idva_shared_summary_included": bool(
                    idva_summary_for(user=user, referral=referral)
                ),
            },
        )
    return pdf
