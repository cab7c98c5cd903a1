"""What the triage score reads about one case: plain, frozen facts, no database.

The shell (``provide.triage.mapping``) builds a :class:`CaseFacts` from the investigation,
its latest risk assessment, the victim's history and any custody episode of the suspect.
Every datetime is timezone-aware; durations are computed in true elapsed time.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field


class Grade(enum.Enum):
    """The frontline risk grade (DARA / DASH): high, medium or standard."""

    HIGH = "high"
    MEDIUM = "medium"
    STANDARD = "standard"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class CustodyStatus(enum.Enum):
    """Where the suspect is, as far as custody records say at ``as_of``."""

    IN_CUSTODY = "in_custody"
    """Detained in police custody; ``expected_release_at`` is the custody clock, if known."""
    REMANDED = "remanded"
    """Charged and remanded: held for court, no release expected soon."""


HEALTH_NEEDS: frozenset[str] = frozenset(
    {"mental_health", "substance_use", "disability", "pregnancy"}
)
"""Vulnerability codes that are health needs (seed 002: "vulnerabilities or health needs")."""

SEPARATELY_SCORED: frozenset[str] = frozenset({"pregnancy", "language"})
"""Vulnerabilities with a factor of their own, so they are not counted twice."""

COERCIVE_CONTROL_INDICATORS: frozenset[str] = frozenset(
    {"coercive_control", "stalking_harassment", "economic", "honour_based"}
)
"""Abuse types read as coercive-control indicators (Serious Crime Act 2015 s76 behaviours:
controlling, monitoring, economic restriction; honour-based abuse is a recognised form)."""

VULNERABILITY_LABELS: dict[str, str] = {
    "disability": "disability",
    "mental_health": "mental health",
    "substance_use": "substance use",
    "pregnancy": "pregnancy",
    "immigration": "immigration status",
    "language": "language",
    "older_person": "older person",
    "other": "other vulnerability",
}
"""Plain-English names for vulnerability codes (unknown codes are shown as written)."""

ABUSE_LABELS: dict[str, str] = {
    "coercive_control": "coercive control",
    "stalking_harassment": "stalking or harassment",
    "economic": "economic abuse",
    "honour_based": "honour-based abuse",
}
"""Plain-English names for the coercive-control indicator abuse types."""


def vulnerability_label(code: str) -> str:
    """The plain-English name of a vulnerability code."""
    return VULNERABILITY_LABELS.get(code, code.replace("_", " "))


@dataclass(frozen=True)
class CustodyWindow:
    """The suspect's custody at ``as_of``.

    Attributes
    ----------
    status : CustodyStatus
        In police custody, or remanded.
    arrested_at : datetime
        When the suspect was detained.
    expected_release_at : datetime or None
        The expected end of detention (PACE clock), if the custody record gives one.
    custody_ref : str
        The custody record reference, shown to the sergeant.
    """

    status: CustodyStatus
    arrested_at: dt.datetime
    expected_release_at: dt.datetime | None = None
    custody_ref: str = ""

    def hours_to_release(self, as_of: dt.datetime) -> float | None:
        """Hours from ``as_of`` to the expected release (negative once it has passed)."""
        if self.expected_release_at is None:
            return None
        return (self.expected_release_at - as_of).total_seconds() / 3600


@dataclass(frozen=True)
class VictimHistory:
    """The victim's domestic-abuse history up to ``as_of``.

    Attributes
    ----------
    da_events_12_months : int
        DA investigations naming the person as victim in the 365 days up to ``as_of``,
        *including* the case being triaged (so a first report is 1).
    last_marac_on : date or None
        The most recent MARAC meeting that discussed the victim in the 365 days before
        ``as_of``, if any.
    """

    da_events_12_months: int = 1
    last_marac_on: dt.date | None = None

    @property
    def previous_events(self) -> int:
        """DA events in the last 12 months other than this one."""
        return max(0, self.da_events_12_months - 1)

    @property
    def repeat_victim(self) -> bool:
        """A repeat victim: at least one other DA event in the last 12 months."""
        return self.previous_events > 0


@dataclass(frozen=True)
class CaseFacts:
    """Everything the triage rules read about one case.

    Attributes
    ----------
    case_id : str
        A stable identifier (the investigation's public id) for ranking ties and previews.
    reference : str
        The police investigation reference shown to people.
    recorded_at : datetime
        When the investigation was recorded.
    first_police_visit_at : datetime or None
        The first police attendance; the 24-hour clock runs from here. ``None`` means the
        incident is still live (no attendance recorded yet).
    risk_grade : Grade or None
        The latest grade (a supervisor's regrade wins over the frontline grade); ``None``
        when no assessment has been recorded.
    custody : CustodyWindow or None
        The suspect's custody at ``as_of``; ``None`` when not detained (or not known).
    history : VictimHistory
        Repeat victimisation and MARAC history.
    children_in_household : bool or None
        Children live in or were present at the household; ``None`` when not recorded.
    pregnant : bool
        The victim is pregnant (from the investigation or the person's vulnerabilities).
    vulnerabilities : frozenset of str
        Vulnerability codes (see :data:`VULNERABILITY_LABELS`), pregnancy and language included.
    abuse_types : frozenset of str
        Abuse type codes recorded on the investigation.
    language_need : str
        Empty when none; otherwise a short description such as ``"interpreter (pl)"``.
    """

    case_id: str
    reference: str
    recorded_at: dt.datetime
    first_police_visit_at: dt.datetime | None = None
    risk_grade: Grade | None = None
    custody: CustodyWindow | None = None
    history: VictimHistory = field(default_factory=VictimHistory)
    children_in_household: bool | None = None
    pregnant: bool = False
    vulnerabilities: frozenset[str] = frozenset()
    abuse_types: frozenset[str] = frozenset()
    language_need: str = ""
    suspect_da_events_12_months: int = 0
    """DA investigations naming this case's suspect in the 12 months to ``as_of`` (this one
    included, against any victim); 0 when there is no known suspect."""

    @property
    def repeat_suspect(self) -> bool:
        """The suspect is named in another DA investigation in the last 12 months."""
        return self.suspect_da_events_12_months >= 2

    @property
    def health_needs(self) -> frozenset[str]:
        """The vulnerabilities that are health needs (pregnancy counted when recorded)."""
        needs = self.vulnerabilities & HEALTH_NEEDS
        return needs | {"pregnancy"} if self.pregnant else needs

    @property
    def other_vulnerabilities(self) -> frozenset[str]:
        """Vulnerabilities without a factor of their own (pregnancy and language excluded)."""
        return self.vulnerabilities - SEPARATELY_SCORED

    @property
    def coercive_control_indicators(self) -> frozenset[str]:
        """The abuse types on this case that indicate coercive control."""
        return self.abuse_types & COERCIVE_CONTROL_INDICATORS

    @property
    def is_live(self) -> bool:
        """No police attendance recorded yet: a live incident."""
        return self.first_police_visit_at is None
