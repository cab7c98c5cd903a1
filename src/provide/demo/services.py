"""Load the synthetic demo dataset into the database.

The data comes from :mod:`provide.core.synthetic` (pure and deterministic for a seed); this
module only maps it to rows, in bulk, in one transaction. Every person is flagged synthetic.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from provide.accounts.models import User
from provide.accounts.roles import ALL_ROLES, ROLES_BY_SLUG
from provide.accounts.services import user_create
from provide.areas.models import Area, Station
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.cases.backfill import backfill_cases
from provide.cases.models import Case, CaseEvent
from provide.cases.services import EVENT_KINDS, event_payload, store_case
from provide.core.synthetic import SyntheticDataset, generate_dataset
from provide.health.models import HealthIdentity, SupportRecord
from provide.intake.models import CustodyEpisode, Investigation, RiskAssessment
from provide.intake.services.custody import EVENT_STATUS
from provide.people.contact import contact_fields_from_text
from provide.people.models import Person
from provide.planning.models import Shift, Team
from provide.safeguarding.models import HandoverTask, MaracCase, Referral, ReferralService
from provide.triage.models import TriageDecision
from provide.triage.selectors import board_build
from provide.triage.services import triage_policy_ensure_default
from provide.visits.models import Visit

LONDON = ZoneInfo("Europe/London")
FORCE_NAME = "Lancashire"
DEMO_BCU = "West"
BATCH = 2000
_DEMO_USERS = {
    # slug: (username, first name, last name, BCU-scoped?)
    "response_officer": ("response.officer", "Rhys", "Officer", True),
    "triage_sergeant": ("triage.sergeant", "Dana", "Sergeant", True),
    "joint_team_officer": ("joint.officer", "Jo", "Constable", True),
    "health_idva": ("health.idva", "Hana", "Adviser", True),
    "idva_manager": ("idva.manager", "Imani", "Manager", False),
    "safeguarding_officer": ("safeguarding.officer", "Sam", "Guardian", False),
    "analyst": ("analyst", "Ana", "Lyst", False),
    "administrator": ("administrator", "Ada", "Admin", False),
}


@dataclass(frozen=True)
class DemoSummary:
    people: int
    investigations: int
    custody_episodes: int
    shifts: int
    visits: int
    tracker_rows: int
    users: dict[str, str]
    password: str


def demo_data_exists() -> bool:
    return Investigation.objects.exists()


@transaction.atomic
def demo_data_load(
    *,
    end_on: dt.date,
    days: int,
    seed: int,
    bcus: tuple[str, ...] | None = None,
    password: str | None = None,
    with_users: bool = True,
) -> DemoSummary:
    """Generate ``days`` of synthetic data ending on ``end_on`` and save it."""
    dataset = generate_dataset(
        start_on=end_on - dt.timedelta(days=days - 1), days=days, seed=seed, bcus=bcus
    )
    bcu_areas, districts, stations = _load_areas(dataset)
    people = _load_people(dataset, districts)
    investigations = _load_investigations(dataset, bcu_areas, districts, people)
    custody_count = _load_custody(dataset, people, investigations)
    shifts = _load_shifts(dataset, bcu_areas, stations)
    visit_count = _load_tracker(dataset, bcu_areas, people, investigations, shifts)
    _load_safeguarding(dataset, people, investigations, end_on)
    triage_policy_ensure_default()
    _load_triage_decisions(bcu_areas, end_on)
    _load_failed_attempts(bcu_areas, end_on)
    _load_cases(end_on)
    users: dict[str, str] = {}
    password = password or secrets.token_urlsafe(9)
    if with_users:
        users = _load_users(bcu_areas, password)
    audit_record(
        actor=None,
        action=AuditAction.IMPORT,
        event="demo.data_loaded",
        actor_username="provide demo-data",
        changes={"seed": seed, "days": days, "end_on": end_on.isoformat()},
    )
    return DemoSummary(
        people=len(people),
        investigations=len(investigations),
        custody_episodes=custody_count,
        shifts=len(shifts),
        visits=visit_count,
        tracker_rows=len(dataset.tracker_rows),
        users=users,
        password=password,
    )


def _load_areas(
    dataset: SyntheticDataset,
) -> tuple[dict[str, Area], dict[str, Area], dict[str, Station]]:
    force, _ = Area.objects.get_or_create(name=FORCE_NAME, kind=Area.Kind.FORCE)
    bcu_areas: dict[str, Area] = {}
    districts: dict[str, Area] = {}
    stations: dict[str, Station] = {}
    for bcu in dataset.bcus:
        area, _ = Area.objects.update_or_create(
            name=bcu.name,
            kind=Area.Kind.BCU,
            defaults={"parent": force, "go_live_on": bcu.go_live_on},
        )
        bcu_areas[bcu.name] = area
        for district in bcu.districts:
            districts[district.name], _ = Area.objects.update_or_create(
                name=district.name,
                kind=Area.Kind.DISTRICT,
                defaults={"parent": area, "latitude": district.lat, "longitude": district.lon},
            )
        for station in bcu.stations:
            stations[station.name], _ = Station.objects.update_or_create(
                name=station.name,
                defaults={"bcu": area, "latitude": station.lat, "longitude": station.lon},
            )
    return bcu_areas, districts, stations


def _load_people(dataset: SyntheticDataset, districts: dict[str, Area]) -> dict[str, Person]:
    existing = {p.force_person_ref: p for p in Person.objects.filter(synthetic=True)}
    new_people = []
    for person in dataset.people:
        if person.person_ref in existing:
            continue
        vulnerabilities = list(person.vulnerabilities)
        new_people.append(
            Person(
                force_person_ref=person.person_ref,
                given_name=person.given_name,
                family_name=person.family_name,
                date_of_birth=person.date_of_birth,
                sex=person.sex,
                postcode=person.postcode,
                latitude=person.lat,
                longitude=person.lon,
                district=districts.get(person.district),
                language=person.language or "",
                interpreter_needed=person.interpreter_needed,
                vulnerabilities=vulnerabilities,
                safe_phone=person.safe_phone or "",
                **{
                    "suspect_may_answer": person.suspect_may_answer,
                    "no_letters": person.no_letters,
                    "no_messages": person.no_voicemail,
                    "no_sms": person.suspect_may_answer,
                    # the times read into ranges, as the safe-contact form reads them
                    **contact_fields_from_text(person.safe_contact_times or ""),
                },
                synthetic=True,
            )
        )
    Person.objects.bulk_create(new_people, batch_size=BATCH)
    by_ref = {p.force_person_ref: p for p in Person.objects.filter(synthetic=True)}
    nhs = [
        HealthIdentity(person=by_ref[p.person_ref], nhs_number=p.nhs_number)
        for p in dataset.people
        if p.nhs_number and p.person_ref not in existing
    ]
    HealthIdentity.objects.bulk_create(nhs, batch_size=BATCH, ignore_conflicts=True)
    return by_ref


def _load_investigations(
    dataset: SyntheticDataset,
    bcu_areas: dict[str, Area],
    districts: dict[str, Area],
    people: dict[str, Person],
) -> dict[str, Investigation]:
    existing = set(Investigation.objects.values_list("investigation_ref", flat=True))
    rows = [i for i in dataset.investigations if i.investigation_ref not in existing]
    Investigation.objects.bulk_create(
        [
            Investigation(
                investigation_ref=i.investigation_ref,
                incident_ref=i.incident_ref,
                recorded_at=i.recorded_at,
                first_police_visit_at=i.first_police_visit_at,
                bcu=bcu_areas[i.bcu],
                district=districts.get(i.district),
                crime_or_incident=i.crime_or_incident,
                offence=i.offence,
                abuse_types=list(i.abuse_types),
                relationship=i.relationship,
                victim=people[i.victim_ref],
                suspect=people.get(i.suspect_ref),
                risk_grade=i.risk_grade,
                children_present=i.children_in_household > 0,
                victim_pregnant=i.victim_pregnant,
                injuries=i.injuries,
                weapons=i.weapons,
                latitude=i.lat,
                longitude=i.lon,
                location_source=(
                    Investigation.LocationSource.COORDINATES
                    if i.lat is not None and i.lon is not None
                    else Investigation.LocationSource.NONE
                ),
                outcome_code=i.outcome_code or "",
                outcome_on=i.outcome_on,
                source=Investigation.Source.DEMO,
            )
            for i in rows
        ],
        batch_size=BATCH,
    )
    by_ref = {
        inv.investigation_ref: inv
        for inv in Investigation.objects.filter(source=Investigation.Source.DEMO).only(
            "id", "investigation_ref", "victim_id", "bcu_id", "recorded_at", "first_police_visit_at"
        )
    }
    RiskAssessment.objects.bulk_create(
        [
            RiskAssessment(
                investigation=by_ref[i.investigation_ref],
                victim=people[i.victim_ref],
                tool=i.risk_tool,
                answers=list(i.dash_answers or []),
                yes_count=i.dash_yes_count,
                grade=i.risk_grade,
                rationale="Frontline assessment by the attending officer (synthetic).",
                assessed_by_name="Attending officer",
                assessed_at=i.first_police_visit_at,
            )
            for i in rows
        ],
        batch_size=BATCH,
    )
    return by_ref


def _load_custody(
    dataset: SyntheticDataset, people: dict[str, Person], investigations: dict[str, Investigation]
) -> int:
    episodes: dict[str, dict[str, Any]] = {}
    for event in sorted(dataset.custody_events, key=lambda e: e.event_at):
        episode = episodes.setdefault(
            event.custody_ref,
            {
                "custody_ref": event.custody_ref,
                "suspect": people[event.suspect_ref],
                "investigation": investigations.get(event.investigation_ref),
                "arrested_at": event.event_at,
            },
        )
        episode["status"] = EVENT_STATUS.get(event.event, CustodyEpisode.Status.IN_CUSTODY)
        if event.expected_release_at is not None:
            episode["expected_release_at"] = event.expected_release_at
        if event.event.startswith("released") or event.event == "bailed":
            episode["released_at"] = event.event_at
    existing = set(CustodyEpisode.objects.values_list("custody_ref", flat=True))
    new = [CustodyEpisode(**fields) for ref, fields in episodes.items() if ref not in existing]
    CustodyEpisode.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


def _load_shifts(
    dataset: SyntheticDataset, bcu_areas: dict[str, Area], stations: dict[str, Station]
) -> dict[tuple[str, dt.date, str], Shift]:
    teams: dict[str, Team] = {}
    for shift in dataset.shifts:
        if shift.team_name not in teams:
            base = stations.get(shift.base_name) or Station.objects.create(
                name=shift.base_name,
                bcu=bcu_areas[shift.bcu],
                latitude=shift.base_lat,
                longitude=shift.base_lon,
            )
            teams[shift.team_name], _ = Team.objects.get_or_create(
                name=shift.team_name,
                defaults={"bcu": bcu_areas[shift.bcu], "base": base, "vehicle": shift.vehicle},
            )
    existing = set(Shift.objects.values_list("team__name", "on_date", "pattern"))
    Shift.objects.bulk_create(
        [
            Shift(
                team=teams[s.team_name],
                on_date=s.on_date,
                pattern=s.pattern,
                starts_at=s.starts_at,
                ends_at=s.ends_at,
                officer_name=s.officer_name,
                idva_name=s.idva_name,
            )
            for s in dataset.shifts
            if (s.team_name, s.on_date, s.pattern) not in existing
        ],
        batch_size=BATCH,
    )
    return {
        (s.team.name, s.on_date, s.pattern): s
        for s in Shift.objects.select_related("team").only("id", "on_date", "pattern", "team__name")
    }


def _load_tracker(
    dataset: SyntheticDataset,
    bcu_areas: dict[str, Area],
    people: dict[str, Person],
    investigations: dict[str, Investigation],
    shifts: dict[tuple[str, dt.date, str], Shift],
) -> int:
    existing = set(SupportRecord.objects.values_list("tracker_id", flat=True))
    rows = [r for r in dataset.tracker_rows if r.tracker_id not in existing]
    visits = []
    for row in rows:
        shift = shifts.get((row.team_name, _local_date(row.idva_visit_at), row.shift_pattern))
        visits.append(
            Visit(
                mode=row.mode,
                investigation=investigations.get(row.investigation_ref),
                victim=people[row.victim_ref],
                shift=shift,
                planned_at=row.idva_visit_at,
                arrived_at=row.idva_visit_at,
                place_type=row.place_type,
                contact_result=row.contact_result,
                support_accepted=row.idva_support_accepted,
                referrals_made=list(row.referrals),
            )
        )
    Visit.objects.bulk_create(visits, batch_size=BATCH)
    SupportRecord.objects.bulk_create(
        [
            SupportRecord(
                tracker_id=row.tracker_id,
                visit=visit,
                investigation=investigations.get(row.investigation_ref),
                investigation_ref=row.investigation_ref,
                victim=people[row.victim_ref],
                bcu=bcu_areas[row.bcu],
                mode=row.mode,
                police_visit_at=row.police_visit_at,
                idva_visit_at=row.idva_visit_at,
                idva_support_offered=row.idva_support_offered,
                idva_support_accepted=row.idva_support_accepted,
                prosecution_support_offered=row.prosecution_support_offered,
                prosecution_support_accepted=row.prosecution_support_accepted,
                engaged_investigation=row.engaged_investigation,
                engaged_safeguarding=row.engaged_safeguarding,
                previously_engaged_investigation=row.previously_engaged_investigation,
                previously_engaged_safeguarding=row.previously_engaged_safeguarding,
                services=list(row.services),
                referrals=list(row.referrals),
                idva_name=row.idva,
                notes="Synthetic IDVA note: support discussed; safety plan agreed.",
            )
            for row, visit in zip(rows, visits, strict=True)
        ],
        batch_size=BATCH,
    )
    return len(visits)


def _local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def _load_safeguarding(
    dataset: SyntheticDataset,
    people: dict[str, Person],
    investigations: dict[str, Investigation],
    end_on: dt.date,
) -> None:
    for target, label in ReferralService.Target.choices:
        ReferralService.objects.get_or_create(
            name=f"Lancashire {label}", defaults={"target": target}
        )
    if Referral.objects.exists():
        return
    recent = [
        r
        for r in dataset.tracker_rows
        if _local_date(r.idva_visit_at) >= end_on - dt.timedelta(days=14)
    ]
    referrals = []
    for row in recent:
        for target in row.referrals:
            referrals.append(
                Referral(
                    victim=people[row.victim_ref],
                    investigation=investigations.get(row.investigation_ref),
                    target=target if target in ReferralService.Target.values else "other",
                    status=Referral.Status.SENT,
                    consent=Referral.Consent.GIVEN,
                    due_on=_local_date(row.idva_visit_at) + dt.timedelta(days=7),
                    sent_at=row.idva_visit_at,
                )
            )
    Referral.objects.bulk_create(referrals, batch_size=BATCH)
    high = [
        i
        for i in dataset.investigations
        if i.dash_yes_count is not None
        and i.dash_yes_count >= 14
        and _local_date(i.recorded_at) >= end_on - dt.timedelta(days=2)
    ]
    MaracCase.objects.bulk_create(
        [
            MaracCase(
                victim=people[i.victim_ref],
                criterion=MaracCase.Criterion.VISIBLE_HIGH_RISK,
                evidence=f"DASH {i.dash_yes_count} yes answers on {i.investigation_ref}",
                meeting_on=end_on + dt.timedelta(days=1),
            )
            for i in high
        ]
    )


DEMO_DECIDED_DAYS = 2
"""Boards of the days before ``end_on`` arrive already worked; today's board is left to do."""
DEMO_ACCEPTED_PER_BOARD = 10


def _load_triage_decisions(bcu_areas: dict[str, Area], end_on: dt.date) -> None:
    """Work the last days' boards as a sergeant would: accept the top eligible cases."""
    if TriageDecision.objects.exists():
        return
    decisions = []
    for days_back in range(DEMO_DECIDED_DAYS, 0, -1):
        on_date = end_on - dt.timedelta(days=days_back)
        for bcu in bcu_areas.values():
            board = board_build(bcu=bcu, on_date=on_date)
            visited = set(
                Visit.objects.filter(
                    investigation_id__in=[row.investigation.id for row in board.rows]
                ).values_list("investigation_id", flat=True)
            )
            eligible = [row for row in board.rows if row.assessment.eligibility.eligible]
            for row in eligible[:DEMO_ACCEPTED_PER_BOARD]:
                assessment = row.assessment
                decisions.append(
                    TriageDecision(
                        investigation=row.investigation,
                        policy=board.policy,
                        decision=TriageDecision.Decision.JOINT_VISIT_POST,
                        reasons=f"Policy v{board.policy.version}: {assessment.eligibility.reason} (synthetic)",
                        priority_score=assessment.score.total,
                        score_explanation=assessment.score.explanation(),
                        eligible_by_policy=True,
                        eligibility_reason=assessment.eligibility.reason,
                        due_by=assessment.clock.due_by,
                        status=(
                            TriageDecision.Status.VISITED
                            if row.investigation.id in visited
                            else TriageDecision.Status.OPEN
                        ),
                        decided_at=board.window.as_of,
                        scored_at=board.window.as_of,
                    )
                )
    TriageDecision.objects.bulk_create(decisions, batch_size=BATCH)


DEMO_FAILED_ATTEMPTS_PER_BCU = 3
"""Accepted cases whose first visit found nobody in: they come back to the queue."""


def _load_failed_attempts(bcu_areas: dict[str, Area], end_on: dt.date) -> None:
    """Yesterday's visits that did not reach the victim (no contact, unsafe to proceed)."""
    day = end_on - dt.timedelta(days=1)
    results = (
        Visit.ContactResult.NO_CONTACT,
        Visit.ContactResult.UNSAFE,
        Visit.ContactResult.NO_CONTACT,
    )
    for bcu in bcu_areas.values():
        accepted = (
            TriageDecision.objects.filter(
                investigation__bcu=bcu,
                status=TriageDecision.Status.OPEN,
                decision=TriageDecision.Decision.JOINT_VISIT_POST,
            )
            .exclude(investigation__visits__isnull=False)
            .select_related("investigation")
            .order_by("-priority_score")[:DEMO_FAILED_ATTEMPTS_PER_BCU]
        )
        for index, decision in enumerate(accepted):
            arrived = dt.datetime.combine(day, dt.time(15 + index, 10), tzinfo=LONDON)
            if arrived <= decision.decided_at:
                arrived = decision.decided_at + dt.timedelta(hours=2 + index)
            Visit.objects.create(
                mode=Visit.Mode.POST_INCIDENT,
                investigation=decision.investigation,
                victim_id=decision.investigation.victim_id,
                planned_at=arrived,
                arrived_at=arrived,
                place_type=Visit.PlaceType.HOME,
                contact_result=results[index % len(results)],
            )


def _load_cases(end_on: dt.date) -> None:
    """Each investigation's case, replayed from the loaded decisions, visits and hand-overs.
    Synthetic history from before the demo's first worked board is closed with that reason."""
    first_board = dt.datetime.combine(
        end_on - dt.timedelta(days=DEMO_DECIDED_DAYS + 1), dt.time(0), tzinfo=LONDON
    )
    backfill_cases(
        Investigation=Investigation,
        Case=Case,
        CaseEvent=CaseEvent,
        TriageDecision=TriageDecision,
        Visit=Visit,
        HandoverTask=HandoverTask,
        untriaged_before=first_board,
        now=timezone.now(),
        store=store_case,
        payload=event_payload,
        kinds=EVENT_KINDS,
    )


def _load_users(bcu_areas: dict[str, Area], password: str) -> dict[str, str]:
    users = {}
    home_bcu = bcu_areas.get(DEMO_BCU) or next(iter(bcu_areas.values()))
    for role in ALL_ROLES:
        username, first, last, scoped = _DEMO_USERS[role.slug]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username,
                password=password,
                role=ROLES_BY_SLUG[role.slug],
                first_name=first,
                last_name=last,
                bcu=home_bcu if scoped else None,
            )
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        users[role.name] = username
    # The demo joint-team officer and IDVA crew the first West team, so "today's route" is theirs.
    team = Team.objects.filter(bcu=home_bcu).order_by("name").first()
    if team is not None:
        Shift.objects.filter(team=team).update(
            officer=User.objects.get(username=_DEMO_USERS["joint_team_officer"][0]),
            idva=User.objects.get(username=_DEMO_USERS["health_idva"][0]),
        )
    return users
