"""Access-checked reads of investigations, and the suspect's custody (one reading for every page)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet

from provide.accounts.models import User
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.core.triage import CustodyStatus, CustodyWindow
from provide.intake.models import CustodyEpisode, IntakeImport, Investigation
from provide.shared.access import RecordNotFound, bcu_scope


def investigation_list_for(
    *, user: User, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> QuerySet[Investigation]:
    if not user.has_perm("intake.view_investigation"):
        return Investigation.objects.none()
    investigations = Investigation.objects.select_related("victim", "suspect", "bcu", "district")
    bcu = bcu_scope(user)
    if bcu is not None:
        investigations = investigations.filter(bcu=bcu)
    if since is not None:
        investigations = investigations.filter(recorded_at__gte=since)
    if until is not None:
        investigations = investigations.filter(recorded_at__lt=until)
    return investigations.order_by("-recorded_at")


def investigation_risk_counts_for(*, user: User, since: dt.datetime) -> dict[str, int]:
    rows = (
        investigation_list_for(user=user, since=since)
        .order_by()
        .values("risk_grade")
        .annotate(n=Count("id"))
    )
    return {row["risk_grade"] or "unknown": row["n"] for row in rows}


def investigation_get_for(*, user: User, investigation_id: uuid.UUID | str) -> Investigation:
    try:
        investigation = investigation_list_for(user=user).get(public_id=investigation_id)
    except (Investigation.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        event="intake.investigation_viewed",
        subject=investigation,
    )
    return investigation


def custody_now_for(*, user: User, as_of: dt.datetime) -> QuerySet[CustodyEpisode]:
    if not user.has_perm("intake.view_custodyepisode"):
        return CustodyEpisode.objects.none()
    episodes = CustodyEpisode.objects.select_related("suspect", "investigation").filter(
        status=CustodyEpisode.Status.IN_CUSTODY, arrested_at__lte=as_of
    )
    bcu = bcu_scope(user)
    if bcu is not None:
        episodes = episodes.filter(investigation__bcu=bcu)
    return episodes.order_by("expected_release_at")


OPEN_CUSTODY_STATUSES = (CustodyEpisode.Status.IN_CUSTODY, CustodyEpisode.Status.CHARGED_REMANDED)
"""Statuses that keep an episode with no release time open."""


def custody_window_from(episode: CustodyEpisode, as_of: dt.datetime) -> CustodyWindow:
    """The custody window of an episode that was open at ``as_of``.

    A charged-and-remanded suspect is held for court; any other episode open at ``as_of``
    (including one released later, read back for a past board) was police custody.
    """
    remanded = episode.status == CustodyEpisode.Status.CHARGED_REMANDED and (
        episode.released_at is None or episode.released_at > as_of
    )
    return CustodyWindow(
        status=CustodyStatus.REMANDED if remanded else CustodyStatus.IN_CUSTODY,
        arrested_at=episode.arrested_at,
        expected_release_at=None if remanded else episode.expected_release_at,
        custody_ref=episode.custody_ref,
    )


def custody_windows(suspect_ids: Iterable[int], as_of: dt.datetime) -> dict[int, CustodyWindow]:
    """Each suspect's custody episode open at ``as_of`` (the latest arrest wins). One query.

    The one reading of "is the suspect in custody": the triage board, the investigation page
    and the hand-over all ask here. It covers every episode of the suspect, whichever
    investigation it was recorded against (a suspect remanded on an earlier case is still
    held). Read live from ``CustodyEpisode``, so an import of custody events changes the next
    read. An episode is open when it began by ``as_of`` and was released after it, or has no
    release and is still "in custody" or "charged and remanded".
    """
    ids = sorted(set(suspect_ids))
    if not ids:
        return {}
    episodes = (
        CustodyEpisode.objects.filter(suspect_id__in=ids, arrested_at__lte=as_of)
        .filter(
            Q(released_at__gt=as_of) | Q(released_at__isnull=True, status__in=OPEN_CUSTODY_STATUSES)
        )
        .order_by("suspect_id", "-arrested_at", "-id")
    )
    windows: dict[int, CustodyWindow] = {}
    for episode in episodes:
        windows.setdefault(episode.suspect_id, custody_window_from(episode, as_of))
    return windows


def suspect_custody_episodes(suspect_id: int | None) -> QuerySet[CustodyEpisode]:
    """Every custody episode of the suspect, latest arrest first, with its investigation.

    For a page that already checked access to an investigation naming this suspect.
    """
    if suspect_id is None:
        return CustodyEpisode.objects.none()
    return (
        CustodyEpisode.objects.filter(suspect_id=suspect_id)
        .select_related("investigation")
        .order_by("-arrested_at", "-id")
    )


def intake_import_list_for(*, user: User) -> QuerySet[IntakeImport]:
    """Imports the user may see: all of them, for a user who may import."""
    if not (
        user.has_perm("intake.import_investigations") or user.has_perm("intake.import_custody")
    ):
        return IntakeImport.objects.none()
    return IntakeImport.objects.select_related("uploaded_by").order_by("-created_at")


def intake_import_get_for(*, user: User, import_id: uuid.UUID | str) -> IntakeImport:
    try:
        return intake_import_list_for(user=user).get(public_id=import_id)
    except (IntakeImport.DoesNotExist, ValidationError, ValueError, TypeError):
        raise RecordNotFound from None
