"""Person pages: the person, safe-contact details, and the duplicate review (match, merge, undo).

Views are thin: validate a form, call one service or selector, render. The person page shows
what apps above people add through :mod:`provide.people.person_sections`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from provide.accounts.http import AuthenticatedRequest
from provide.people.contact import availability_upcoming, schedule_of
from provide.people.forms import (
    AvailabilityForm,
    BreakGlassForm,
    MatchDecisionForm,
    SafeContactForm,
    UnmergeForm,
)
from provide.people.models import Person
from provide.people.person_sections import person_sections_for
from provide.people.selectors import (
    BreakGlassRequired,
    person_get_for,
    person_match_get_for,
    person_match_list_for,
    person_merge_get_for,
    person_merge_list_for,
)
from provide.people.services import (
    person_match_reject,
    person_merge,
    person_safe_contact_update,
    person_unmerge,
    victim_availability_add,
    victim_availability_remove,
)
from provide.shared.access import RecordNotFound, get_for_user_or_404


def _posted(request: HttpRequest) -> Any:
    """The form data on a POST (even an empty one, so it is validated), else None."""
    return request.POST if request.method == "POST" else None


def _person_or_404(request: AuthenticatedRequest, person_id: str) -> Person:
    """A person in the user's area (no break-glass from the editing pages)."""
    try:
        return person_get_for(user=request.user, person_id=person_id)
    except (RecordNotFound, BreakGlassRequired):
        raise Http404 from None


@login_required
def person_detail(request: AuthenticatedRequest, person_id: str) -> HttpResponse:
    form = BreakGlassForm(request.POST or None)
    reason = form.cleaned_data["reason"] if request.method == "POST" and form.is_valid() else ""
    try:
        person = get_for_user_or_404(
            person_get_for, user=request.user, person_id=person_id, reason=reason
        )
    except BreakGlassRequired as needed:
        return render(request, "people/break_glass.html",
                      {"form": form, "person_id": person_id, "page_title": "Record outside your area",
                       "label": needed.person.pseudonym}, status=403)  # fmt: skip
    return render(request, "people/person_detail.html", {
        "page_title": str(person), "person": person, "sections": person_sections_for(request, person),
        "safe_contact_reading": schedule_of(person).in_words()})  # fmt: skip


@login_required
def person_safe_contact(request: AuthenticatedRequest, person_id: str) -> HttpResponse:
    if not request.user.has_perm("people.change_safe_contact"):
        raise PermissionDenied
    person = _person_or_404(request, person_id)
    initial = {name: getattr(person, name) for name in SafeContactForm.base_fields}
    form = SafeContactForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        person_safe_contact_update(user=request.user, person=person, **form.cleaned_data)
        messages.success(request, "Safe-contact details saved")
        return redirect("people:person-safe-contact", person_id=person.public_id)
    return _safe_contact_page(request, person, form=form, availability_form=AvailabilityForm())


def _safe_contact_page(
    request: AuthenticatedRequest,
    person: Person,
    *,
    form: SafeContactForm,
    availability_form: AvailabilityForm,
    status: int = 200,
) -> HttpResponse:
    return render(request, "people/safe_contact_form.html", {
        "form": form, "availability_form": availability_form, "person": person,
        "reading": schedule_of(person).in_words(), "availability": availability_upcoming(person),
        "page_title": "Safe-contact details"}, status=status)  # fmt: skip


@login_required
@require_POST
def person_availability_add(request: AuthenticatedRequest, person_id: str) -> HttpResponse:
    if not request.user.has_perm("people.change_safe_contact"):
        raise PermissionDenied
    person = _person_or_404(request, person_id)
    form = AvailabilityForm(request.POST)
    if form.is_valid():
        try:
            victim_availability_add(user=request.user, person=person,
                                    starts_at=form.cleaned_data["starts_at"],
                                    ends_at=form.cleaned_data["ends_at"])  # fmt: skip
        except ValidationError as refused:
            for field, problems in refused.message_dict.items():
                for problem in problems:
                    form.add_error("starts" if field == "starts_at" else "ends", problem)
        else:
            messages.success(request, "Time she is available saved")
            return redirect("people:person-safe-contact", person_id=person.public_id)
    initial = {name: getattr(person, name) for name in SafeContactForm.base_fields}
    return _safe_contact_page(request, person, form=SafeContactForm(initial=initial),
                              availability_form=form, status=400)  # fmt: skip


@login_required
@require_POST
def person_availability_remove(request: AuthenticatedRequest, person_id: str,
                               availability_id: str) -> HttpResponse:  # fmt: skip
    if not request.user.has_perm("people.change_safe_contact"):
        raise PermissionDenied
    person = _person_or_404(request, person_id)
    availability = person.availability.filter(public_id=availability_id).first()
    if availability is None:
        raise Http404
    victim_availability_remove(user=request.user, availability=availability)
    messages.success(request, "Time she is available removed")
    return redirect("people:person-safe-contact", person_id=person.public_id)


@login_required
def match_list(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.has_perm("people.merge_person"):
        raise PermissionDenied
    return render(request, "people/match_list.html", {
        "matches": person_match_list_for(user=request.user)[:100], "nav": "people-matches",
        "page_title": "Possible duplicate people"})  # fmt: skip


@login_required
def match_decide(request: AuthenticatedRequest, match_id: str) -> HttpResponse:
    match = get_for_user_or_404(person_match_get_for, user=request.user, match_id=match_id)
    form = MatchDecisionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["decision"] == "distinct":
            person_match_reject(user=request.user, match=match)
            messages.success(request, "Marked as different people")
            return redirect("people:match-list")
        older, newer = sorted((match.person, match.candidate), key=lambda p: p.pk)
        try:
            person_merge(user=request.user, duplicate=newer, survivor=older,
                         reason=form.cleaned_data["reason"], match=match)  # fmt: skip
        except ValidationError as error:
            form.add_error("decision", error.messages[0])
        else:
            messages.success(request, f"Merged: {newer} is now part of {older}'s record")
            return redirect("people:match-list")
    return render(request, "people/match_decide.html", {
        "match": match, "form": form, "nav": "people-matches", "page_title": "Same person?",
        "pair": [match.person, match.candidate]})  # fmt: skip


@login_required
def person_merges(request: AuthenticatedRequest, person_id: str) -> HttpResponse:
    if not request.user.has_perm("people.merge_person"):
        raise PermissionDenied
    person = _person_or_404(request, person_id)
    return render(request, "people/person_merges.html", {
        "person": person, "merges": person_merge_list_for(user=request.user, person=person),
        "form": UnmergeForm(), "page_title": "Merged records"})  # fmt: skip


@login_required
@require_POST
def merge_undo(request: AuthenticatedRequest, merge_id: str) -> HttpResponse:
    merge = get_for_user_or_404(person_merge_get_for, user=request.user, merge_id=merge_id)
    form = UnmergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason for undoing the merge")
        return redirect("people:person-merges", person_id=merge.survivor.public_id)
    try:
        person_unmerge(user=request.user, merge=merge, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Merge undone: {merge.duplicate} is a separate record again")
    return redirect("people:person-merges", person_id=merge.survivor.public_id)
