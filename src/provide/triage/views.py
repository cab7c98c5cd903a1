"""Triage pages: the board, decisions (HTMX or plain forms), the policy editor, stale lists
and the hand-over. Views validate, call one selector or service, and render."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from provide.accounts.http import AuthenticatedRequest
from provide.areas.models import Area
from provide.audit.services import audit_records_read
from provide.cases.selectors import cases_back_from_a_visit
from provide.core.triage.policy import WEIGHT_LABELS
from provide.shared.access import RecordNotFound, bcu_scope
from provide.triage.forms import BoardFilterForm, DecisionForm, PolicyForm
from provide.triage.mapping import policy_from
from provide.triage.models import TriagePolicy
from provide.triage.policies import can_decide_triage, can_edit_policy
from provide.triage.presenters import (
    SHOW_CHOICES,
    BoardView,
    CaseCard,
    board_view,
    case_card,
    show_from,
)
from provide.triage.queues import handover_for, stale_cases_for
from provide.triage.selectors import (
    BoardRow,
    BoardUnavailable,
    TriageBoard,
    triage_board_for,
    triage_policy_list_for,
    triage_policy_preview_for,
)
from provide.triage.services import (
    TriageError,
    TriagePolicyInvalid,
    triage_decision_record,
    triage_policy_create,
)
from provide.triage.versions import triage_policy_active


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _board(
    request: AuthenticatedRequest, filters: BoardFilterForm, *, audit: bool = True
) -> TriageBoard:
    data = filters.cleaned_data if filters.is_valid() else {}
    try:
        return triage_board_for(
            user=request.user,
            on_date=data.get("date"),
            bcu_name=data.get("bcu") or None,
            audit=audit,
        )
    except RecordNotFound:
        raise Http404 from None
    except BoardUnavailable as problem:
        filters.add_error(problem.field, str(problem).capitalize())
        return triage_board_for(user=request.user, audit=audit)


def _board_query(request: HttpRequest, *, show: bool = True) -> str:
    """The board's own filters (date, BCU and, unless ``show`` is false, which cases it shows),
    carried on decisions and refreshes."""
    keys = ("date", "bcu", "show") if show else ("date", "bcu")
    return urlencode({key: request.GET[key] for key in keys if request.GET.get(key)})


def _filter_urls(request: HttpRequest) -> dict[str, str]:
    """The board's URL for each ``?show=`` value, keeping the date and BCU."""
    base = _board_query(request, show=False)
    return {
        show: f"{reverse('triage:board')}?{base + '&' if base else ''}show={show}"
        for show in SHOW_CHOICES
    }


def _board_context(
    request: HttpRequest,
    board: TriageBoard,
    filters: BoardFilterForm,
    forms_by_case: dict[str, DecisionForm] | None = None,
) -> dict[str, Any]:
    forms_by_case = forms_by_case or {}

    query = _board_query(request)

    def cards(rows: list[BoardRow]) -> list[CaseCard]:
        return [
            case_card(row, query=query, form=forms_by_case.get(str(row.investigation.public_id)))
            for row in rows
        ]

    urls = _filter_urls(request)
    view: BoardView = board_view(
        board, show_from(request.GET.get("show")), cards, urls, frozenset(forms_by_case)
    )
    return {
        "board": board,
        "filters": filters,
        "nav": "triage",
        "page_title": "Triage board",
        "can_decide": can_decide_triage(request.user),
        "error_count": len(forms_by_case) + len(filters.errors),
        "view": view,
        "decided_url": urls["decided"],
        "warning_hours": policy_from(board.policy).thresholds.warning_hours,
        "bcus": Area.objects.filter(kind=Area.Kind.BCU).order_by("name")
        if bcu_scope(request.user) is None
        else [],
        "query": query,
        "back_from_a_visit": list(cases_back_from_a_visit(board.bcu)[:50]),
    }


@login_required
def board(request: AuthenticatedRequest) -> HttpResponse:
    filters = BoardFilterForm(request.GET or None)
    partial = _is_htmx(request) and request.GET.get("partial") == "queue"
    the_board = _board(request, filters, audit=not partial)
    context = _board_context(request, the_board, filters)
    return render(request, "triage/_queue.html" if partial else "triage/board.html", context)


@login_required
@require_POST
def case_decide(request: AuthenticatedRequest, investigation_id: str) -> HttpResponse:
    form = DecisionForm(request.POST)
    filters = BoardFilterForm(request.GET or None)
    recorded = None
    if form.is_valid():
        try:
            recorded = triage_decision_record(
                user=request.user,
                investigation_id=investigation_id,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except RecordNotFound:
            raise Http404 from None
        except TriageError as problem:
            form.add_error(problem.field or None, problem.message)
    if recorded is not None and not _is_htmx(request):
        messages.success(
            request,
            f"Decision recorded for {recorded.investigation.investigation_ref}: "
            f"{recorded.get_decision_display()}",
        )
        query = _board_query(request)
        # Under the default view the decided case folds away: land on the message instead.
        anchor = (
            "" if show_from(request.GET.get("show")) == "undecided" else f"#case-{investigation_id}"
        )
        return redirect(f"{reverse('triage:board')}{'?' + query if query else ''}{anchor}")
    the_board = _board(request, filters, audit=False)
    if not _is_htmx(request):
        forms_by_case = {str(investigation_id): form}
        return render(
            request,
            "triage/board.html",
            _board_context(request, the_board, filters, forms_by_case),
            status=400,
        )
    row = the_board.row_for(investigation_id)
    if row is None:  # not on this board's window: say what happened in place of the card
        return render(
            request,
            "triage/_decided_elsewhere.html",
            {"decision": recorded, "form": form},
            status=200 if recorded else 400,
        )
    card = case_card(
        row,
        query=_board_query(request),
        form=None if recorded else form,
        recorded=recorded is not None,
    )
    return render(
        request, "triage/_case.html", {"card": card, "can_decide": can_decide_triage(request.user)}
    )


def _version(row: TriagePolicy) -> dict[str, Any]:
    policy = policy_from(row)
    return {
        "row": row,
        "policy": policy,
        "weights": [
            (WEIGHT_LABELS[name], points) for name, points in asdict(policy.weights).items()
        ],
    }


@login_required
def policy_list(request: AuthenticatedRequest) -> HttpResponse:
    versions = triage_policy_list_for(user=request.user)
    return render(
        request,
        "triage/policy_list.html",
        {
            "versions": [_version(row) for row in versions],
            "nav": "triage-policy",
            "page_title": "Triage policy",
            "can_edit": can_edit_policy(request.user),
        },
    )


@login_required
def policy_edit(request: AuthenticatedRequest) -> HttpResponse:
    if not can_edit_policy(request.user):
        raise PermissionDenied
    active = triage_policy_active()
    bcus = list(
        Area.objects.filter(kind=Area.Kind.BCU).order_by("name").values_list("name", flat=True)
    )
    if request.method == "POST":
        form = PolicyForm(request.POST, bcus=bcus)
    else:
        form = PolicyForm(
            initial=PolicyForm.initial_for(policy_from(active), f"Version {active.version + 1}"),
            bcus=bcus,
        )
    preview = None
    if request.method == "POST" and form.is_valid():
        policy = form.to_policy()
        if request.POST.get("action") == "save":
            try:
                row = triage_policy_create(
                    user=request.user, policy=policy, notes=form.cleaned_data["notes"]
                )
            except TriagePolicyInvalid as invalid:  # the form ran the same checks; kept for races
                for problem in invalid.problems:
                    form.add_error(None, problem.message)
            else:
                messages.success(
                    request, f"Triage policy version {row.version} saved and now in use"
                )
                return redirect("triage:policy-list")
        else:
            try:
                preview = triage_policy_preview_for(
                    user=request.user,
                    proposed=policy,
                    bcu_name=form.cleaned_data.get("preview_bcu") or None,
                )
            except BoardUnavailable as problem:
                form.add_error("preview_bcu", str(problem).capitalize())
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "triage/policy_form.html",
        {
            "form": form,
            "active": active,
            "preview": preview,
            "nav": "triage-policy",
            "page_title": "Change the triage policy",
        },
        status=status,
    )


@login_required
def stale(request: AuthenticatedRequest) -> HttpResponse:
    lists = stale_cases_for(user=request.user)
    audit_records_read(
        actor=request.user,
        records=[row.case for row in [*lists.over_72_hours, *lists.over_24_hours]],
        event="triage.stale_cases_listed",
    )
    groups = [
        ("Not visited after 72 hours", lists.over_72_hours, "govuk-tag--red"),
        ("Not visited after 24 hours", lists.over_24_hours, "govuk-tag--orange"),
    ]
    return render(
        request,
        "triage/stale.html",
        {
            "lists": lists,
            "stale_groups": groups,
            "nav": "triage-stale",
            "page_title": "Accepted but not visited",
        },
    )


@login_required
def handover(request: AuthenticatedRequest) -> HttpResponse:
    filters = BoardFilterForm(request.GET or None)
    the_board = _board(request, filters)
    summary = handover_for(user=request.user, board=the_board)
    return render(
        request,
        "triage/handover.html",
        {"handover": summary, "board": the_board, "nav": "triage", "page_title": "Shift hand-over"},
    )
