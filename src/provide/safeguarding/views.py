"""Safeguarding pages: referrals, the daily MARAC, protective measures and hand-over."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from provide.accounts.http import AuthenticatedRequest
from provide.accounts.models import User
from provide.audit.services import audit_records_read
from provide.core.safeguarding import lifecycle
from provide.core.safeguarding.marac import next_meeting_on
from provide.intake.selectors import investigation_list_for
from provide.people.selectors import BreakGlassRequired, person_get_for, person_search_for
from provide.safeguarding import forms, policies, selectors, services
from provide.safeguarding.models import HandoverTask
from provide.safeguarding.pdf import marac_form_export
from provide.shared.access import RecordNotFound
from provide.visits.selectors import visit_get_for


def _subject(request: AuthenticatedRequest) -> dict[str, Any]:
    """The victim (and visit) a new referral, measure or hand-over is about: ?visit= or ?person=."""
    source = request.GET if request.method == "GET" else request.POST
    try:
        if source.get("visit"):
            visit = visit_get_for(user=request.user, visit_id=source["visit"])
            return {"victim": visit.victim, "visit": visit, "investigation": visit.investigation}
        if source.get("person"):
            return {
                "victim": person_get_for(user=request.user, person_id=source["person"]),
                "visit": None,
                "investigation": None,
            }
    except (RecordNotFound, BreakGlassRequired):
        raise Http404 from None
    raise Http404


def _has_subject(request: HttpRequest) -> bool:
    source = request.GET if request.method == "GET" else request.POST
    return bool(source.get("visit") or source.get("person"))


PICKER_PURPOSES = {
    "safeguarding:referral-create": "Make a referral",
    "safeguarding:measure-create": "Add protective measure",
    "safeguarding:handover-create": "Hand over to safeguarding",
}


def _victim_picker(
    request: AuthenticatedRequest, url_name: str, nav: str, problem: str = ""
) -> HttpResponse:
    """No victim given: find one by name, person or investigation reference in the user's BCU."""
    form = forms.VictimSearchForm(request.GET if "q" in request.GET else None)
    victims = []
    if form.is_bound and form.is_valid():
        victims = victims_matching(user=request.user, text=form.cleaned_data["q"])
        audit_records_read(
            actor=request.user,
            records=victims,
            event="safeguarding.victims_searched",
            query={"q": form.cleaned_data["q"], "for": url_name},
        )
    return render(
        request,
        "safeguarding/victim_picker.html",
        {
            "nav": nav,
            "page_title": f"{PICKER_PURPOSES[url_name]}: find the victim",
            "purpose": PICKER_PURPOSES[url_name],
            "form": form,
            "victims": victims,
            "searched": form.is_bound,
            "target_url": reverse(url_name),
            "problem": problem,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def victims_matching(*, user: User, text: str) -> list[Any]:
    """People in the user's area by name or person reference, and victims of an investigation
    whose reference matches (both BCU-scoped by their selectors)."""
    found = {p.pk: p for p in person_search_for(user=user, text=text)}
    for investigation in investigation_list_for(user=user).filter(
        investigation_ref__iexact=text.strip()
    )[:5]:
        found.setdefault(investigation.victim.pk, investigation.victim)
    return list(found.values())


def _referral(request: AuthenticatedRequest, referral_id: Any, *, audit: bool = True) -> Any:
    try:
        return selectors.referral_get_for(user=request.user, referral_id=referral_id, audit=audit)
    except RecordNotFound:
        raise Http404 from None


# --- referrals -------------------------------------------------------------------------


@login_required
def referral_list(request: AuthenticatedRequest) -> HttpResponse:
    if not policies.can_view_referrals(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    overdue = list(selectors.referral_overdue_list_for(user=request.user, today=today)[:100])
    referrals = list(selectors.referral_list_for(user=request.user)[:200])
    audit_records_read(
        actor=request.user,
        records=list({r.pk: r for r in [*overdue, *referrals]}.values()),
        event="safeguarding.referrals_listed",
        query={"today": today.isoformat()},
    )
    return render(
        request,
        "safeguarding/referral_list.html",
        {
            "nav": "referrals",
            "page_title": "Referrals",
            "today": today,
            "overdue": overdue,
            "referrals": referrals,
        },
    )


@login_required
def referral_create(request: AuthenticatedRequest) -> HttpResponse:
    if not policies.can_create_referral(request.user):
        raise PermissionDenied
    if not _has_subject(request):
        return _victim_picker(request, "safeguarding:referral-create", "referrals")
    subject = _subject(request)
    health = policies.can_share_idva_summary(request.user)
    form = forms.ReferralForm(request.POST or None, health=health)
    problem = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create(
                user=request.user,
                **subject,
                target=data["target"],
                consent=data["consent"],
                victim_aware=data["victim_aware"],
                lawful_basis=data["lawful_basis"],
                reasons=data["reasons"],
                victim_wants=data["victim_wants"],
                victim_fears=data["victim_fears"],
                idva_shared_summary=data.get("idva_shared_summary", ""),
            )
        except services.SafeguardingError as refused:
            problem = str(refused)
        else:
            messages.success(request, "Referral saved as a draft. Check it, then send it.")
            return redirect("safeguarding:referral-detail", referral.public_id)
    return render(
        request,
        "safeguarding/referral_form.html",
        {
            "nav": "referrals",
            "page_title": f"Refer {subject['victim']}",
            "form": form,
            "problem": problem,
            **subject,
        },
        status=400 if request.method == "POST" else 200,
    )


def _send_problem(referral: Any) -> str:
    """What a draft still needs before it can be sent (shown beside the send button)."""
    if referral.status != "draft":
        return ""
    if referral.target == "marac" and not referral.reasons.strip():
        return services.NEEDS_MARAC_REASONS
    return (
        lifecycle.sharing_problem(lifecycle.Consent(referral.consent), referral.lawful_basis) or ""
    )


@login_required
def referral_detail(request: AuthenticatedRequest, referral_id: Any) -> HttpResponse:
    referral = _referral(request, referral_id)
    status = lifecycle.Status(referral.status)
    return render(
        request,
        "safeguarding/referral_detail.html",
        {
            "nav": "referrals",
            "page_title": f"{referral.get_target_display()} referral",
            "referral": referral,
            "idva_summary": selectors.idva_summary_for(user=request.user, referral=referral),
            "can_send": status is lifecycle.Status.DRAFT
            and policies.can_send_referral(request.user, referral),
            "send_problem": _send_problem(referral),
            "can_decide": policies.can_decide_referral(request.user),
            "next": {s.value for s in lifecycle.allowed_next(status)},
            "overdue": lifecycle.is_overdue(status, referral.due_on, timezone.localdate()),
            "reject_form": forms.RejectForm(),
            "complete_form": forms.CompleteForm(),
        },
    )


@login_required
def referral_edit(request: AuthenticatedRequest, referral_id: Any) -> HttpResponse:
    """Complete a draft (consent, reasons ...), for example one ticked on a visit."""
    referral = _referral(request, referral_id, audit=request.method == "GET")
    if not policies.can_send_referral(request.user, referral):
        raise PermissionDenied
    form = forms.DraftReferralForm(
        request.POST or None,
        target=referral.target,
        health=policies.can_share_idva_summary(request.user),
        initial=forms.DraftReferralForm.initial_from(referral),
    )
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_draft_update(
                user=request.user, referral=referral, **form.cleaned_data
            )
        except services.SafeguardingError as refused:
            problem = str(refused)
        else:
            messages.success(request, "Draft saved. Check it, then send it.")
            return redirect("safeguarding:referral-detail", referral.public_id)
    return render(
        request,
        "safeguarding/referral_form.html",
        {
            "nav": "referrals",
            "page_title": f"{referral.get_target_display()} referral for {referral.victim}",
            "form": form,
            "problem": problem,
            "referral": referral,
            "victim": referral.victim,
            "visit": referral.visit,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def referral_move(request: AuthenticatedRequest, referral_id: Any, move: str) -> HttpResponse:
    referral = _referral(request, referral_id, audit=False)
    try:
        if move == "send":
            services.referral_send(user=request.user, referral=referral)
        elif move == "accept":
            services.referral_accept(user=request.user, referral=referral)
        elif move == "reject":
            services.referral_reject(
                user=request.user, referral=referral, reason=request.POST.get("reason", "")
            )
        elif move == "done":
            services.referral_complete(
                user=request.user, referral=referral, outcome=request.POST.get("outcome", "")
            )
        else:
            raise Http404
    except services.SafeguardingNotAllowed:
        raise PermissionDenied from None
    except services.SafeguardingError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Referral {referral.get_target_display()}: {move} recorded.")
    return redirect("safeguarding:referral-detail", referral.public_id)


@login_required
def referral_pdf(request: AuthenticatedRequest, referral_id: Any) -> HttpResponse:
    """The MARAC referral form: an export (audited as one by :func:`marac_form_export`)."""
    referral = _referral(request, referral_id, audit=False)
    if referral.target != "marac":
        raise Http404
    pdf = marac_form_export(user=request.user, referral=referral, as_of=timezone.now())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="marac-referral-{referral.public_id}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- the daily MARAC -------------------------------------------------------------------


@login_required
def marac_day(request: AuthenticatedRequest) -> HttpResponse:
    if not policies.can_run_marac(request.user):
        raise PermissionDenied
    now = timezone.now()
    form = forms.MaracDateForm(request.GET or None)
    meeting_on = next_meeting_on(timezone.localdate(now))
    if form.is_bound and form.is_valid() and form.cleaned_data["date"]:
        meeting_on = form.cleaned_data["date"]
    agenda = list(selectors.marac_agenda_for(user=request.user, meeting_on=meeting_on))
    candidates = selectors.marac_candidates_for(user=request.user, meeting_on=meeting_on, as_of=now)
    audit_records_read(
        actor=request.user,
        records=[*agenda, *(candidate.victim for candidate in candidates)],
        event="safeguarding.marac_day_viewed",
        query={"meeting_on": meeting_on.isoformat()},
    )
    return render(
        request,
        "safeguarding/marac_day.html",
        {
            "nav": "marac",
            "page_title": f"MARAC {meeting_on:%d %B %Y}",
            "form": form,
            "meeting_on": meeting_on,
            "agenda": agenda,
            "candidates": candidates,
        },
    )


@login_required
@require_POST
def marac_list_case(request: AuthenticatedRequest) -> HttpResponse:
    form = forms.MaracDateForm(request.POST)
    if not policies.can_run_marac(request.user):
        raise PermissionDenied
    if not form.is_valid() or not form.cleaned_data["date"]:
        messages.error(request, "Choose a meeting date")
        return redirect("safeguarding:marac-day")
    meeting_on = form.cleaned_data["date"]
    subject = _subject(request)
    try:
        services.marac_case_list(user=request.user, victim=subject["victim"], meeting_on=meeting_on)
    except services.SafeguardingError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{subject['victim']} listed for {meeting_on:%d %B %Y}.")
    return redirect(f"{reverse('safeguarding:marac-day')}?date={meeting_on:%Y-%m-%d}")


def _case(request: AuthenticatedRequest, case_id: Any) -> Any:
    try:
        return selectors.marac_case_get_for(user=request.user, case_id=case_id)
    except RecordNotFound:
        raise Http404 from None


@login_required
def marac_case_detail(request: AuthenticatedRequest, case_id: Any) -> HttpResponse:
    case = _case(request, case_id)
    action_form = forms.MaracActionForm(request.POST or None)
    minutes_form = forms.MinutesForm(initial={"minutes": case.minutes})
    problem = ""
    if request.method == "POST" and action_form.is_valid():
        data = action_form.cleaned_data
        try:
            services.marac_action_add(user=request.user, case=case, **data)
        except services.SafeguardingNotAllowed:
            raise PermissionDenied from None
        except services.SafeguardingError as refused:
            problem = str(refused)
        else:
            messages.success(request, "Action recorded.")
            return redirect("safeguarding:marac-case", case.public_id)
    return render(
        request,
        "safeguarding/marac_case_detail.html",
        {
            "nav": "marac",
            "page_title": f"MARAC case: {case.victim}",
            "case": case,
            "form": action_form,
            "minutes_form": minutes_form,
            "problem": problem,
            "actions": list(case.actions.all()),
            "evidence_lines": [line.split(": ", 1) for line in case.evidence.splitlines() if line],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def marac_minutes(request: AuthenticatedRequest, case_id: Any) -> HttpResponse:
    case = _case(request, case_id)
    form = forms.MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.marac_minutes_save(
                user=request.user, case=case, minutes=form.cleaned_data["minutes"]
            )
        except services.SafeguardingNotAllowed:
            raise PermissionDenied from None
        messages.success(request, "Minutes saved.")
    else:
        messages.error(request, "The minutes are too long")
    return redirect("safeguarding:marac-case", case.public_id)


@login_required
@require_POST
def marac_action_done(request: AuthenticatedRequest, action_id: Any) -> HttpResponse:
    try:
        action = selectors.marac_action_get_for(user=request.user, action_id=action_id)
        services.marac_action_done(user=request.user, action=action)
    except RecordNotFound:
        raise Http404 from None
    except services.SafeguardingNotAllowed:
        raise PermissionDenied from None
    except services.SafeguardingError as refused:
        messages.error(request, str(refused))
        return redirect("safeguarding:marac-case", action.case.public_id)
    messages.success(request, "Action marked done.")
    return redirect("safeguarding:marac-case", action.case.public_id)


# --- protective measures ---------------------------------------------------------------


@login_required
def measure_list(request: AuthenticatedRequest) -> HttpResponse:
    if not policies.can_view_measures(request.user):
        raise PermissionDenied
    now = timezone.now()
    alerts = selectors.measure_alerts_for(user=request.user, as_of=now)
    measures = list(selectors.measure_list_for(user=request.user)[:200])
    shown = {m.pk: m for m in [*(alert.measure for alert in alerts), *measures]}
    audit_records_read(
        actor=request.user, records=list(shown.values()), event="safeguarding.measures_listed"
    )
    return render(
        request,
        "safeguarding/measure_list.html",
        {
            "nav": "measures",
            "page_title": "Protective measures",
            "alerts": alerts,
            "measures": measures,
        },
    )


@login_required
def measure_create(request: AuthenticatedRequest) -> HttpResponse:
    if not policies.can_record_measure(request.user):
        raise PermissionDenied
    if not _has_subject(request):
        return _victim_picker(request, "safeguarding:measure-create", "measures")
    subject = _subject(request)
    form = forms.MeasureForm(request.POST or None)
    problem = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        follows = None
        if data["kind"] == "dvpo":
            follows = (
                selectors.measure_list_for(user=request.user)
                .filter(victim=subject["victim"], kind="dvpn")
                .first()
            )
        try:
            services.measure_record(
                user=request.user,
                victim=subject["victim"],
                kind=data["kind"],
                issued_at=data["issued_at"],
                dvpo_days=data["dvpo_days"],
                investigation=subject["investigation"],
                follows=follows,
            )
        except services.SafeguardingError as refused:
            problem = str(refused)
        else:
            messages.success(request, "Protective measure recorded.")
            return redirect("safeguarding:measure-list")
    return render(
        request,
        "safeguarding/measure_form.html",
        {
            "nav": "measures",
            "page_title": f"Protective measure for {subject['victim']}",
            "form": form,
            "problem": problem,
            **subject,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def measure_end(request: AuthenticatedRequest, measure_id: Any) -> HttpResponse:
    try:
        measure = selectors.measure_get_for(user=request.user, measure_id=measure_id)
        services.measure_end(
            user=request.user, measure=measure, outcome=request.POST.get("outcome", "")
        )
    except RecordNotFound:
        raise Http404 from None
    except services.SafeguardingNotAllowed:
        raise PermissionDenied from None
    except services.SafeguardingError as refused:
        messages.error(request, str(refused))
    return redirect("safeguarding:measure-list")


# --- hand-over -------------------------------------------------------------------------


@login_required
def handover_list(request: AuthenticatedRequest) -> HttpResponse:
    if not policies.can_view_handover(request.user):
        raise PermissionDenied
    show_done = request.GET.get("show") == "all"
    teams: dict[Any, list[Any]] = {}
    tasks = list(selectors.handover_list_for(user=request.user, open_only=not show_done)[:300])
    audit_records_read(
        actor=request.user,
        records=tasks,
        event="safeguarding.handover_tasks_listed",
        query=request.GET,
    )
    for task in tasks:
        teams.setdefault(task.team, []).append(task)
    return render(
        request,
        "safeguarding/handover_list.html",
        {
            "nav": "handover",
            "page_title": "Hand-over tasks",
            "teams": list(teams.items()),
            "show_done": show_done,
            "statuses": HandoverTask.Status.choices,
        },
    )


@login_required
def handover_create(request: AuthenticatedRequest) -> HttpResponse:
    if not policies.can_hand_over(request.user):
        raise PermissionDenied
    if not _has_subject(request):
        return _victim_picker(request, "safeguarding:handover-create", "handover")
    subject = _subject(request)
    investigation = (
        subject["investigation"]
        or investigation_list_for(user=request.user).filter(victim=subject["victim"]).first()
    )
    if investigation is None:
        return _victim_picker(
            request,
            "safeguarding:handover-create",
            "handover",
            problem=f"{subject['victim']} has no investigation in your area to hand over. "
            "Find another victim, or ask the safeguarding team of their area.",
        )
    form = forms.HandoverForm(request.POST or None)
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.handover_create(
                user=request.user,
                victim=subject["victim"],
                team=investigation.bcu,
                visit=subject["visit"],
                investigation=investigation,
                **form.cleaned_data,
            )
        except services.SafeguardingError as refused:
            problem = str(refused)
        else:
            messages.success(
                request, f"Handed over to the {investigation.bcu.name} safeguarding team."
            )
            if subject["visit"] is not None:
                return redirect("visits:visit-record", subject["visit"].public_id)
            return redirect("people:person-detail", subject["victim"].public_id)
    return render(
        request,
        "safeguarding/handover_form.html",
        {
            "nav": "handover",
            "page_title": f"Hand over {subject['victim']}",
            "form": form,
            "problem": problem,
            "team": investigation.bcu,
            **subject,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def handover_status(request: AuthenticatedRequest, task_id: Any) -> HttpResponse:
    form = forms.HandoverStatusForm(request.POST)
    try:
        task = selectors.handover_get_for(user=request.user, task_id=task_id)
        if not form.is_valid():
            raise services.SafeguardingError("Choose a status")
        services.handover_set_status(
            user=request.user, task=task, status=form.cleaned_data["status"]
        )
    except RecordNotFound:
        raise Http404 from None
    except services.SafeguardingNotAllowed:
        raise PermissionDenied from None
    except services.SafeguardingError as refused:
        messages.error(request, str(refused))
    return redirect("safeguarding:handover-list")
