"""The roles of SPEC §1, each a group with its permissions, its agency and its home page.

Health-side models (app ``health``) are given only to health roles: that is the first of the
three walls that keep the IDVA's record from police eyes (the others are the health
selectors and the API permission classes).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    slug: str
    name: str
    agency: str
    description: str
    permissions: tuple[str, ...]
    is_staff: bool = False

    @property
    def is_health(self) -> bool:
        return self.agency == "health"

    @property
    def is_police(self) -> bool:
        return self.agency == "police"


_SHARED_CASE_VIEW = (
    "people.view_person",
    "people.change_safe_contact",
    "intake.view_investigation",
    "intake.view_riskassessment",
    "intake.view_custodyepisode",
    "visits.view_visit",
    "cases.view_case",
    "safeguarding.view_referral",
    "safeguarding.view_maraccase",
    "planning.view_shift",
    "planning.view_plan",
    "planning.view_team",
)
_HEALTH_RECORD = (
    "health.view_supportrecord",
    "health.add_supportrecord",
    "health.change_supportrecord",
    "health.view_healthidentity",
    "health.view_healthappointment",
    "health.add_healthappointment",
)

RESPONSE_OFFICER = Role(
    "response_officer",
    "Response officer",
    "police",
    "Records incidents and frontline risk assessments; asks an IDVA for advice.",
    (
        *_SHARED_CASE_VIEW,
        "intake.add_investigation",
        "intake.add_riskassessment",
        "visits.add_consultation",
        "visits.view_consultation",
        "cases.add_case",
    ),
)
TRIAGE_SERGEANT = Role(
    "triage_sergeant",
    "Triage sergeant",
    "police",
    "Works the daily triage queue and decides which victims the joint team visits.",
    (
        *_SHARED_CASE_VIEW,
        "triage.view_triagedecision",
        "triage.add_triagedecision",
        "triage.view_triagepolicy",
        "intake.add_riskassessment",
        "people.merge_person",
        "planning.add_plan",
        "planning.change_plan",
        "rota.manage_rota",
        "evaluation.view_dashboard",
        "cases.add_case",
        "cases.change_case",
    ),
)
JOINT_TEAM_OFFICER = Role(
    "joint_team_officer",
    "Joint-team officer",
    "police",
    "Follows the shift plan and records the police side of each visit.",
    (
        *_SHARED_CASE_VIEW,
        "visits.change_visit",
        "visits.add_visit",
        "visits.view_policevisitrecord",
        "visits.change_policevisitrecord",
        "visits.add_consultation",
        "visits.view_consultation",
        "safeguarding.add_referral",
        "safeguarding.add_handovertask",
    ),
)
HEALTH_IDVA = Role(
    "health_idva",
    "Health IDVA",
    "health",
    "Offers support at the visit and keeps the health-side record police never see.",
    (
        *_SHARED_CASE_VIEW,
        *_HEALTH_RECORD,
        "visits.change_visit",
        "visits.add_visit",
        "visits.view_consultation",
        "visits.change_consultation",
        "safeguarding.add_referral",
        "health.export_tracker",
    ),
)
IDVA_MANAGER = Role(
    "idva_manager",
    "IDVA manager",
    "health",
    "Oversees the IDVA caseload, the tracker and staffing.",
    (
        *_SHARED_CASE_VIEW,
        *_HEALTH_RECORD,
        "visits.view_consultation",
        "health.import_tracker",
        "health.export_tracker",
        "evaluation.view_dashboard",
        "accounts.decide_healthrolegrantrequest",
        "rota.manage_rota",
    ),
)
SAFEGUARDING_OFFICER = Role(
    "safeguarding_officer",
    "Safeguarding officer",
    "partner",
    "Receives hand-overs, runs the daily MARAC list and tracks referral actions.",
    (
        *_SHARED_CASE_VIEW,
        "safeguarding.add_referral",
        "safeguarding.change_referral",
        "safeguarding.add_maraccase",
        "safeguarding.change_maraccase",
        "safeguarding.view_maracaction",
        "safeguarding.add_maracaction",
        "safeguarding.change_maracaction",
        "safeguarding.view_protectivemeasure",
        "safeguarding.add_protectivemeasure",
        "safeguarding.change_protectivemeasure",
        "safeguarding.view_handovertask",
        "safeguarding.add_handovertask",
        "safeguarding.change_handovertask",
        "cases.change_case",
    ),
)
ANALYST = Role(
    "analyst",
    "Analyst",
    "university",
    "Sees pseudonymised data only: dashboards, evaluation reports and exports.",
    ("people.view_pseudonymised", "evaluation.view_dashboard"),
)
ADMINISTRATOR = Role(
    "administrator",
    "Administrator",
    "police",
    "Manages users, roles, areas, shift patterns, referral services and the triage policy.",
    (
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "auth.view_group",
        "areas.view_area",
        "areas.add_area",
        "areas.change_area",
        "areas.view_station",
        "areas.add_station",
        "areas.change_station",
        "planning.view_team",
        "planning.add_team",
        "planning.change_team",
        "planning.view_shift",
        "planning.add_shift",
        "planning.change_shift",
        "rota.manage_rota",
        "triage.view_triagepolicy",
        "triage.add_triagepolicy",
        "audit.view_auditevent",
        "intake.import_investigations",
        "intake.import_custody",
        "people.merge_person",
        "safeguarding.view_referralservice",
        "safeguarding.add_referralservice",
        "safeguarding.change_referralservice",
        "safeguarding.view_maracpolicy",
        "safeguarding.add_maracpolicy",
        "safeguarding.change_maracpolicy",
    ),
    is_staff=True,
)

ALL_ROLES: tuple[Role, ...] = (
    RESPONSE_OFFICER,
    TRIAGE_SERGEANT,
    JOINT_TEAM_OFFICER,
    HEALTH_IDVA,
    IDVA_MANAGER,
    SAFEGUARDING_OFFICER,
    ANALYST,
    ADMINISTRATOR,
)
ROLES_BY_SLUG = {role.slug: role for role in ALL_ROLES}
ROLES_BY_NAME = {role.name: role for role in ALL_ROLES}
