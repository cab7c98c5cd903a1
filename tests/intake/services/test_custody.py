"""provide import-custody: events folded into episodes, incremental feeds, idempotent."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from provide.audit.models import AuditEvent
from provide.intake.models import CustodyEpisode
from provide.intake.services import custody_import, investigations_import
from tests.intake.builders import (
    custody_row,
    investigation_row,
    write_custody,
    write_investigations,
)

UTC = dt.UTC


def run(*args: str) -> dict[str, int]:
    """The four counts of ``--json`` (a custody feed names no one, so nothing is held for review)."""
    out = io.StringIO()
    call_command("import_custody", *args, "--json", stdout=out, stderr=io.StringIO())
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert (summary.pop("held_for_review"), summary.pop("identity_conflicts")) == (0, [])
    return summary


@pytest.fixture
def investigation(areas: dict[str, Any], tmp_path: Path) -> None:
    investigations_import(
        actor=None,
        path=write_investigations(tmp_path / "inv.csv", [investigation_row("WB/2023/000001")]),
    )


@pytest.mark.django_db
def test_events_fold_into_one_episode_linked_to_suspect_and_investigation(
    investigation: None, tmp_path: Path
) -> None:
    path = write_custody(
        tmp_path / "c.csv",
        [
            custody_row("C-1", "arrested"),
            custody_row("C-1", "released_rui", event_at="02/06/2023 09:15", expected_release_at=""),
        ],
    )
    assert run(str(path)) == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 0}
    episode = CustodyEpisode.objects.get()
    assert episode.suspect.force_person_ref == "P200"
    assert episode.investigation.investigation_ref == "WB/2023/000001"
    assert episode.status == "released_rui"
    assert episode.arrested_at == dt.datetime(2023, 6, 1, 14, 30, tzinfo=UTC)
    assert episode.released_at == dt.datetime(2023, 6, 2, 8, 15, tzinfo=UTC)
    assert episode.expected_release_at == dt.datetime(2023, 6, 2, 14, 30, tzinfo=UTC)
    assert run(str(path)) == {"created": 0, "updated": 0, "unchanged": 1, "rejected": 0}


@pytest.mark.django_db
def test_a_later_feed_with_the_release_updates_the_episode_and_audits_it(
    investigation: None, tmp_path: Path
) -> None:
    run(str(write_custody(tmp_path / "c1.csv", [custody_row("C-1", "arrested")])))
    assert CustodyEpisode.objects.get().status == "in_custody"
    later = write_custody(
        tmp_path / "c2.csv", [custody_row("C-1", "charged_remanded", event_at="2023-06-02T10:00")]
    )
    assert run(str(later)) == {"created": 0, "updated": 1, "unchanged": 0, "rejected": 0}
    assert CustodyEpisode.objects.get().status == "charged_remanded"
    event = AuditEvent.objects.get(event="intake.custody_episode_updated")
    assert event.changes["status"] == ["in_custody", "charged_remanded"]


@pytest.mark.django_db
def test_an_unknown_investigation_is_kept_without_the_link(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    result = custody_import(
        actor=None,
        path=write_custody(tmp_path / "c.csv", [custody_row("C-9", investigation_ref="WB/NOPE")]),
    )
    assert result.created == 1 and CustodyEpisode.objects.get().investigation is None
    assert any("not held yet" in note for note in result.notes)


@pytest.mark.django_db
def test_a_release_without_an_arrest_is_a_problem(areas: dict[str, Any], tmp_path: Path) -> None:
    path = write_custody(tmp_path / "c.csv", [custody_row("C-7", "bailed")])
    with pytest.raises(CommandError):
        run(str(path))
    result = custody_import(actor=None, path=path)
    assert result.problem_lines() == [
        "row 2, column custody_ref: 'C-7' has no 'arrested' event in this file or already imported"
    ]


@pytest.mark.django_db
def test_the_same_event_twice_for_one_episode_is_a_duplicate(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    path = write_custody(
        tmp_path / "c.csv", [custody_row("C-1"), custody_row("C-1", event_at="2023-06-01T16:00")]
    )
    result = custody_import(actor=None, path=path)
    assert result.file_rejected and CustodyEpisode.objects.count() == 0
    assert result.problem_lines() == [
        "row 2, column custody_ref: custody_ref 'C-1' with event 'arrested' appears 2 times (rows 2, 3)"
    ]
    assert result.rejected == 2


@pytest.mark.django_db
def test_an_unknown_event_is_named(areas: dict[str, Any], tmp_path: Path) -> None:
    result = custody_import(
        actor=None, path=write_custody(tmp_path / "c.csv", [custody_row("C-1", "escaped")])
    )
    assert result.problem_lines()[0].startswith(
        "row 2, column event: 'escaped' is not a known custody event"
    )


@pytest.mark.django_db
def test_a_remand_keeps_the_episode_open_and_an_old_arrest_feed_does_not_undo_it(
    investigation: None, tmp_path: Path
) -> None:
    first = write_custody(tmp_path / "c1.csv", [custody_row("C-1", "arrested")])
    run(str(first))
    run(
        str(
            write_custody(
                tmp_path / "c2.csv",
                [custody_row("C-1", "charged_remanded", event_at="2023-06-02T10:00")],
            )
        )
    )
    episode = CustodyEpisode.objects.get()
    assert (episode.status, episode.released_at) == ("charged_remanded", None), (
        "remanded is still held"
    )
    assert run(str(first)) == {"created": 0, "updated": 0, "unchanged": 1, "rejected": 0}
    released = write_custody(
        tmp_path / "c3.csv", [custody_row("C-1", "released", event_at="2023-06-20T16:00")]
    )
    assert run(str(released))["updated"] == 1
    episode.refresh_from_db()
    assert (episode.status, episode.released_at) == (
        "released",
        dt.datetime(2023, 6, 20, 15, 0, tzinfo=UTC),
    )


@pytest.mark.django_db
def test_a_feed_of_one_event_repeated_is_one_short_problem(
    areas: dict[str, Any], tmp_path: Path
) -> None:
    path = write_custody(tmp_path / "c.csv", [custody_row("C-1") for _ in range(5_000)])
    result = custody_import(actor=None, path=path)
    assert result.problem_lines() == [
        "row 2, column custody_ref: custody_ref 'C-1' with event 'arrested' appears 5,000 times "
        "(rows 2, 3, 4, 5, 6 and 4,995 more)"
    ]
    assert result.rejected == 5_000 and CustodyEpisode.objects.count() == 0
