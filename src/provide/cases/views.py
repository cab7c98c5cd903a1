"""Case pages: the working list by state, one case's journey, raising a live incident, closing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from provide.accounts.http import AuthenticatedRequest
from provide.accounts.models import User
from provide.areas.models import Area
from provide.audit.services import audit_records_read
from provide.cases.forms import CloseForm, IncidentForm
from provide.cases.incidents import IncidentDetails, IncidentInvalid, VictimDetails, incident_raise
from provide.cases.models import Case
from provide.cases.policies import can_close_case, can_raise_incident, can_view_cases
from provide.cases.selectors import UnknownState, case_get_for, case_history, case_list_for
from provide.cases.services import CaseTransitionRefused, case_close
from provide.core.cases import STATE_LABELS, CaseState
from provide.shared.access import RecordNotFound, bcu_scope

FILTERS = [
    ("awaiting_visit", "Awaiting a visit"),
    ("new", "New"),
    ("seen", "Seen, to hand over"),
    ("attempted", "Attempted"),
    ("handed_over", "Handed over"),
    ("triaged", "Not for the joint team"),
    ("closed", "Closed"),
]


def _case_or_404(request: AuthenticatedRequest, case_id: Any) -> Case:
    try:
        return case_get_for(user=request.user, case_id=case_id)
    except RecordNotFound:
        raise Http404 from None


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    if not can_view_cases(request.user):
        raise PermissionDenied
    state = request.GET.get("state") or "awaiting_visit"
    try:
        cases = case_list_for(user=request.user, state=state)
    except UnknownState:
        state, cases = "awaiting_visit", case_list_for(user=request.user, state="awaiting_visit")
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    audit_records_read(
        actor=request.user, records=list(page), event="cases.case_listed", query=request.GET
    )
    return render(
        request,
        "cases/index.html",
        {
            "nav": "cases",
            "page_title": "Cases",
            "page": page,
            "state": state,
            "filters": FILTERS,
            "state_label": dict(FILTERS).get(state) or _state_label(state),
            "can_raise": can_raise_incident(request.user),
        },
    )


def _state_label(value: str) -> str:
    try:
        return STATE_LABELS.get(CaseState(value), "Open cases")
    except ValueError:
        return "Open cases"


@login_required
def detail(request: AuthenticatedRequest, case_id: Any) -> HttpResponse:
    case = _case_or_404(request, case_id)
    return render(request, "cases/detail.html", _detail_context(request, case, CloseForm()))


def _detail_context(request: AuthenticatedRequest, case: Case, form: CloseForm) -> dict[str, Any]:
    history = case_history(case)
    seen_visit = next(
        (
            e.visit_public_id
            for e in reversed(history)
            if e.visit_public_id and e.payload.get("result") == "engaged"
        ),
        None,
    )
    return {
        "nav": "cases",
        "page_title": f"Case {case.investigation.investigation_ref}",
        "case": case,
        "history": history,
        "close_form": form,
        "seen_visit": seen_visit,
        "can_hand_over": request.user.has_perm("safeguarding.add_handovertask"),
        "can_close": can_close_case(request.user) and case.state != "closed",
    }


@login_required
@require_POST
def close(request: AuthenticatedRequest, case_id: Any) -> HttpResponse:
    case = _case_or_404(request, case_id)
    if not can_close_case(request.user):
        raise PermissionDenied
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            case_close(user=request.user, case=case, reason=form.cleaned_data["reason"])
        except CaseTransitionRefused as refused:
            form.add_error("reason", str(refused).capitalize())
        else:
            messages.success(request, "Case closed. The reason is in its history.")
            return redirect("cases:detail", case_id=case.public_id)
    return render(request, "cases/detail.html", _detail_context(request, case, form), status=400)


def _bcu_names(user: User) -> list[str]:
    own = bcu_scope(user)
    if own is not None:
        return [own.name]
    return list(
        Area.objects.filter(kind=Area.Kind.BCU).order_by("name").values_list("name", flat=True)
    )


@login_required
def incident_new(request: AuthenticatedRequest) -> HttpResponse:
    if not can_raise_incident(request.user):
        raise PermissionDenied
    bcus = _bcu_names(request.user)
    form = IncidentForm(request.POST or None, bcus=bcus)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                case = incident_raise(user=request.user, details=_details(form.cleaned_data))
            except IncidentInvalid as invalid:
                for field, message in invalid.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(
                    request,
                    "Live incident raised: it is at the top of the triage board. "
                    "The sergeant decides whether the joint team goes.",
                )
                return redirect("cases:detail", case_id=case.public_id)
        status = 400
    return render(
        request,
        "cases/incident_form.html",
        {
            "nav": "incident",
            "page_title": "Raise a live incident",
            "form": form,
            "no_bcu": not bcus,
        },
        status=status,
    )


def _details(data: dict[str, Any]) -> IncidentDetails:
    return IncidentDetails(
        bcu_name=data["bcu"],
        occurred_at=data["occurred_at"],
        risk_grade=data["risk_grade"],
        summary=data.get("summary", ""),
        victim=VictimDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data.get("date_of_birth"),
            postcode=data.get("postcode", ""),
            address=data.get("address", ""),
        ),
    )
