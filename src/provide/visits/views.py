"""Visit recording on a phone, and the consultation log. Views validate, call one service
or selector, and render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from provide.accounts.http import AuthenticatedRequest
from provide.accounts.models import User
from provide.accounts.policies import can_view_health_record
from provide.audit.models import AuditAction
from provide.audit.services import audit_record, audit_records_read
from provide.health.policies import can_edit_health_record
from provide.health.selectors import (
    appointment_windows_for,
    nhs_number_for,
    support_record_for_visit,
)
from provide.intake.selectors import investigation_list_for
from provide.shared.access import RecordNotFound, bcu_scope
from provide.visits import services
from provide.visits.forms import (
    SECTION_FORMS,
    AdviceForm,
    ConsultationForm,
    StartVisitForm,
    VisitForms,
    display_value,
    form_data_value,
)
from provide.visits.models import Visit
from provide.visits.policies import (
    can_advise_on_consultation,
    can_edit_police_record,
    can_edit_visit,
    can_log_consultation,
    can_start_visit,
    can_view_consultations,
)
from provide.visits.selectors import (
    consultation_get_for,
    consultation_list_for,
    police_record_for,
    visit_get_for,
    visit_worklist_for,
)
from provide.visits.signals import follow_ups_for

BASE_SALT = "provide.visits.form-base"


def _sections_for(user: User) -> list[str]:
    sections = ["shared"]
    if can_edit_police_record(user):
        sections.append("police")
    if can_edit_health_record(user):
        sections.append("health")
    return sections


def _sign_base(user: User, visit: Visit) -> str:
    return signing.dumps(services.visit_snapshot(user=user, visit=visit), salt=BASE_SALT)


def _read_base(token: str) -> dict[str, dict[str, Any]] | None:
    try:
        return signing.loads(token, salt=BASE_SALT)  # type: ignore[no-any-return]
    except signing.BadSignature:
        return None


def _posted_version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("lock_version", ""))
    except ValueError:
        return -1


@login_required
def visit_list(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.has_perm("visits.view_visit"):
        raise PermissionDenied
    worklist = visit_worklist_for(user=request.user, as_of=timezone.now())
    audit_records_read(
        actor=request.user,
        records=[*worklist["open"], *worklist["finished"]],
        event="visits.visit_listed",
        query=request.GET,
    )
    context = {
        "nav": "visits",
        "page_title": "Visits",
        "can_start": can_start_visit(request.user),
        **worklist,
    }
    return render(request, "visits/visit_list.html", context)


@login_required
def visit_start(request: AuthenticatedRequest) -> HttpResponse:
    if not can_start_visit(request.user):
        raise PermissionDenied
    form = StartVisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        investigation = (
            investigation_list_for(user=request.user)
            .filter(investigation_ref__iexact=form.cleaned_data["investigation_ref"].strip())
            .first()
        )
        if investigation is None:
            form.add_error("investigation_ref", "No investigation in your area has that reference")
        else:
            visit = services.visit_plan(
                user=request.user, investigation=investigation, mode=form.cleaned_data["mode"]
            )
            return redirect("visits:visit-record", visit_id=visit.public_id)
    return render(
        request,
        "visits/visit_start.html",
        {"form": form, "nav": "visits", "page_title": "Start a visit"},
    )


def _form_context(
    request: AuthenticatedRequest, visit: Visit, forms: VisitForms, **extra: Any
) -> dict[str, Any]:
    user = request.user
    context: dict[str, Any] = {
        "visit": visit,
        "forms": forms,
        "nav": "visits",
        "errors": forms.error_list(),
        "page_title": f"Visit to {visit.victim}",
        "base": _sign_base(user, visit),
        "lock_version": visit.lock_version,
        "show_health": can_view_health_record(user),
        "police_record": police_record_for(user=user, visit=visit),
        "follow_ups": follow_ups_for(user=user, visit=visit),
    }
    if context["show_health"]:
        now = timezone.now()
        context["support_record"] = support_record_for_visit(user=user, visit=visit)
        context["nhs_number"] = nhs_number_for(user=user, person=visit.victim)
        context["appointments"] = appointment_windows_for(
            user=user,
            person_ids=[visit.victim.public_id],
            start=now,
            end=now + dt.timedelta(days=14),
        )
    context.update(extra)
    return context


@login_required
def visit_record(request: AuthenticatedRequest, visit_id: str) -> HttpResponse:
    try:
        visit = visit_get_for(user=request.user, visit_id=visit_id)
    except RecordNotFound:
        raise Http404 from None
    may_edit = can_edit_visit(request.user)
    sections = _sections_for(request.user) if may_edit else []
    raw = services.visit_sections(request.user, visit)
    if request.method != "POST":
        return _show(request, visit, VisitForms(sections, raw), may_edit=may_edit)
    if not may_edit:
        raise PermissionDenied
    amending = _finished(visit) and request.POST.get("amend") == "1"
    data = _resolved(request)
    forms = VisitForms(sections, raw, data)
    action = request.POST.get("action", "save")
    if not forms.is_valid():
        return render(
            request,
            "visits/visit_form.html",
            _form_context(request, visit, forms, editable=True, amending=amending),
            status=400,
        )
    values = forms.values()
    if action == "arrived" and values["shared"].get("arrived_at") is None:
        values["shared"]["arrived_at"] = timezone.now().replace(second=0, microsecond=0)
    try:
        services.visit_record(
            user=request.user,
            visit_id=visit.public_id,
            lock_version=_posted_version(request),
            values=values,
            base=_read_base(request.POST.get("base", "")),
            finish=action == "finish",
        )
    except services.VisitConflict as conflict:
        return _conflict(request, conflict, sections, data)
    except services.VisitIncomplete as incomplete:
        forms.add_errors(incomplete.errors)
        return render(
            request,
            "visits/visit_form.html",
            _form_context(request, visit, forms, editable=True, amending=amending),
            status=400,
        )
    except services.VisitNotAllowed:
        raise PermissionDenied from None
    messages.success(
        request,
        "Amendment saved"
        if amending
        else {"finish": "Visit recorded", "arrived": "Arrival recorded"}.get(action, "Draft saved"),
    )
    for follow_up in follow_ups_for(user=request.user, visit=visit):
        if follow_up.warning:
            messages.warning(request, f"{follow_up.text}: {follow_up.warning}")
    return redirect("visits:visit-record", visit_id=visit.public_id)


def _finished(visit: Visit) -> bool:
    return visit.record_status == Visit.RecordStatus.COMPLETE


def _show(
    request: AuthenticatedRequest, visit: Visit, forms: VisitForms, *, may_edit: bool
) -> HttpResponse:
    """The visit form; a finished visit reads back without one, and a role that may edit
    reopens it with ``?amend=1`` (audited)."""
    amending = may_edit and _finished(visit) and request.GET.get("amend") == "1"
    if amending:
        audit_record(
            actor=request.user,
            action=AuditAction.VIEW,
            event="visits.visit_amend_opened",
            subject=visit,
        )
    editable = may_edit and (amending or not _finished(visit))
    return render(
        request,
        "visits/visit_form.html",
        _form_context(
            request,
            visit,
            forms,
            editable=editable,
            amending=amending,
            can_amend=may_edit and _finished(visit) and not amending,
        ),
    )


def _resolved(request: HttpRequest) -> Any:
    """The posted data, with the fields the user chose to take from the other person's
    version (on the conflict screen) replaced by those values."""
    data = request.POST.copy()
    try:
        theirs = (
            signing.loads(request.POST.get("theirs", ""), salt=BASE_SALT)
            if request.POST.get("theirs")
            else {}
        )
    except signing.BadSignature:
        theirs = {}
    for key, value in theirs.items():
        if request.POST.get(f"resolve-{key}") == "theirs":
            data.setlist(key, value)
    return data


def _conflict(
    request: AuthenticatedRequest, conflict: services.VisitConflict, sections: list[str], data: Any
) -> HttpResponse:
    """Show both versions; keep what the user typed, and take the other person's value for
    every field the user had not changed."""
    visit = conflict.visit
    visit.refresh_from_db()
    raw = services.visit_sections(request.user, visit)
    old_base = _read_base(request.POST.get("base", "")) or {}
    posted = VisitForms(sections, {}, data)
    posted.is_valid()
    data = data.copy()
    for section in sections:
        cleaned = posted[section].cleaned_data
        for name, value in raw[section].items():
            if name in cleaned and old_base.get(section, {}).get(name, object()) == services.plain(
                cleaned[name]
            ):
                data.setlist(f"{section}-{name}", form_data_value(section, name, value))
    rows = [
        {
            "key": f"{c.section}-{c.field}",
            "label": SECTION_FORMS[c.section].base_fields[c.field].label,
            "mine": display_value(c.section, c.field, c.mine),
            "theirs": display_value(c.section, c.field, c.theirs),
        }
        for c in conflict.conflicts
    ]
    theirs = {
        f"{c.section}-{c.field}": form_data_value(c.section, c.field, c.theirs)
        for c in conflict.conflicts
    }
    forms = VisitForms(sections, raw, data)
    forms.is_valid()
    who = visit.updated_by
    saved_by = (who.get_full_name() or who.username) if who is not None else "someone else"
    context = _form_context(
        request,
        visit,
        forms,
        editable=True,
        amending=_finished(visit) and request.POST.get("amend") == "1",
        conflicts=rows,
        saved_by=saved_by,
        theirs=signing.dumps(theirs, salt=BASE_SALT),
    )
    context["errors"] = []
    return render(request, "visits/visit_form.html", context, status=409)


@login_required
@require_POST
def visit_autosave(request: AuthenticatedRequest, visit_id: str) -> HttpResponse:
    """HTMX: save a draft while the form is being filled in."""
    if not can_edit_visit(request.user):
        raise PermissionDenied
    try:
        visit = services.visit_record(
            user=request.user,
            visit_id=visit_id,
            lock_version=_posted_version(request),
            values=_autosave_values(request),
            base=_read_base(request.POST.get("base", "")),
        )
    except RecordNotFound:
        raise Http404 from None
    except ValueError as invalid:
        return render(request, "visits/_autosave_status.html", {"problem": str(invalid)})
    except services.VisitConflict:
        return render(request, "visits/_autosave_status.html", {"conflict": True})
    return render(
        request,
        "visits/_autosave_status.html",
        {
            "saved_at": timezone.localtime(),
            "visit": visit,
            "lock_version": visit.lock_version,
            "base": _sign_base(request.user, visit),
        },
    )


def _autosave_values(request: AuthenticatedRequest) -> dict[str, dict[str, Any]]:
    forms = VisitForms(_sections_for(request.user), {}, request.POST)
    if not forms.is_valid():
        raise ValueError(f"Not saved yet: {forms.error_list()[0][1]}")
    return forms.values()


@login_required
def consultation_list(request: AuthenticatedRequest) -> HttpResponse:
    if not can_view_consultations(request.user):
        raise PermissionDenied
    consultations = list(consultation_list_for(user=request.user)[:50])
    audit_records_read(
        actor=request.user, records=consultations, event="visits.consultations_listed"
    )
    return render(
        request,
        "visits/consultation_list.html",
        {
            "nav": "consultations",
            "page_title": "Consultations",
            "consultations": consultations,
            "can_log": can_log_consultation(request.user),
        },
    )


def _idvas_for(user: User) -> Any:
    idvas = User.objects.filter(groups__name="Health IDVA", is_active=True)
    bcu = bcu_scope(user)
    if bcu is not None:
        idvas = idvas.filter(bcu=bcu)
    return idvas.order_by("first_name", "last_name", "username")


@login_required
def consultation_new(request: AuthenticatedRequest) -> HttpResponse:
    if not can_log_consultation(request.user):
        raise PermissionDenied
    form = ConsultationForm(request.POST or None, idvas=_idvas_for(request.user))
    if request.method == "POST" and form.is_valid():
        ref = form.cleaned_data["investigation_ref"].strip()
        investigation = (
            investigation_list_for(user=request.user).filter(investigation_ref__iexact=ref).first()
            if ref
            else None
        )
        if ref and investigation is None:
            form.add_error("investigation_ref", "No investigation in your area has that reference")
        else:
            services.consultation_log(
                user=request.user,
                topic=form.topic_text(),
                idva=form.cleaned_data["idva"],
                advice=form.cleaned_data["advice"],
                investigation=investigation,
            )
            messages.success(request, "Consultation logged")
            return redirect("visits:consultation-list")
    return render(
        request,
        "visits/consultation_form.html",
        {"form": form, "nav": "consultations", "page_title": "Log a consultation"},
        status=400 if form.errors else 200,
    )


@login_required
def consultation_detail(request: AuthenticatedRequest, consultation_id: str) -> HttpResponse:
    try:
        consultation = consultation_get_for(user=request.user, consultation_id=consultation_id)
    except RecordNotFound:
        raise Http404 from None
    can_advise = can_advise_on_consultation(request.user, consultation)
    form = AdviceForm(request.POST or None, initial={"advice": consultation.advice})
    if request.method == "POST":
        if not can_advise:
            raise PermissionDenied
        if form.is_valid():
            services.consultation_advise(
                user=request.user, consultation=consultation, advice=form.cleaned_data["advice"]
            )
            messages.success(request, "Advice saved")
            return redirect("visits:consultation-detail", consultation_id=consultation.public_id)
    return render(
        request,
        "visits/consultation_detail.html",
        {
            "consultation": consultation,
            "form": form,
            "can_advise": can_advise,
            "nav": "consultations",
            "page_title": "Consultation",
        },
        status=400 if form.errors else 200,
    )
