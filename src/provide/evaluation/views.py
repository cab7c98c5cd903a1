"""The evaluation dashboard and its downloads. Thin: validate the filter, call the selector, render."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from provide.accounts.http import AuthenticatedRequest
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.core import evaluation as core_evaluation  # matplotlib, WeasyPrint load on first use
from provide.core.evaluation import Selection
from provide.evaluation.forms import EvaluationFilterForm
from provide.evaluation.policies import can_view_evaluation
from provide.evaluation.presentation import sections_for
from provide.evaluation.selectors import (
    EvaluationView,
    bcu_list,
    case_journey_for,
    evaluation_report_for,
)

DOWNLOADS = {
    "html": ("text/html; charset=utf-8", "html"),
    "pdf": ("application/pdf", "pdf"),
    "json": ("application/json", "json"),
    "report-json": ("application/json", "report.json"),
}


def _filter(request: HttpRequest) -> tuple[EvaluationFilterForm, Selection | None]:
    if not can_view_evaluation(request.user):
        raise PermissionDenied
    form = EvaluationFilterForm(request.GET or None, bcus=[area.name for area in bcu_list()])
    if not form.is_bound:
        return form, Selection()
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, Selection(
        bcu=data["bcu"] or None, date_from=data["date_from"], date_to=data["date_to"]
    )


def _title(selection: Selection) -> str:
    period = f"{selection.date_from or 'start'} to {selection.date_to or 'latest'}"
    return f"Provide evaluation: {selection.bcu or 'all BCUs'}, {period}"


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    form, selection = _filter(request)
    context: dict[str, Any] = {
        "nav": "evaluation",
        "page_title": "Evaluation",
        "form": form,
        "errors": form.error_list() if form.is_bound else [],
    }
    if context["errors"]:
        context["page_title"] = "Error: Evaluation"
    if selection is not None:
        view = evaluation_report_for(user=request.user, selection=selection)
        context.update(
            view=view,
            sections=sections_for(view.document),
            query=request.GET.urlencode(),
            journey=case_journey_for(user=request.user, bcu_name=selection.bcu),
        )
    return render(request, "evaluation/dashboard.html", context)


def _filename(view: EvaluationView, extension: str) -> str:
    s = view.selection
    parts = ["provide-evaluation", (s.bcu or "all").lower().replace(" ", "-")]
    if s.date_from or s.date_to:
        parts.append(f"{s.date_from or 'start'}-{s.date_to or 'end'}")
    if view.published:
        parts.append("published")
    return "_".join(parts) + f".{extension}"


@login_required
def report_download(request: AuthenticatedRequest, fmt: str) -> HttpResponse:
    if fmt not in DOWNLOADS:
        raise Http404
    form, selection = _filter(request)
    if selection is None:
        return HttpResponse(
            "Correct the filter: " + "; ".join(m for _, m in form.error_list()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    view = evaluation_report_for(user=request.user, selection=selection)
    content_type, extension = DOWNLOADS[fmt]
    if fmt == "json":
        body: bytes = (json.dumps(view.formats_json, indent=2, allow_nan=False) + "\n").encode()
    elif fmt == "report-json":
        body = (json.dumps(view.document, indent=2, allow_nan=False) + "\n").encode()
    else:
        page = core_evaluation.render_html(view.document, title=_title(selection))
        body = page.encode() if fmt == "html" else core_evaluation.render_pdf(page)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        event="evaluation.report_exported",
        changes={
            "format": fmt,
            "bcu": selection.bcu,
            "from": str(selection.date_from or ""),
            "to": str(selection.date_to or ""),
            "published": view.published,
            "bytes": len(body),
        },
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_filename(view, extension)}"'
    response["Cache-Control"] = "no-store"
    return response
