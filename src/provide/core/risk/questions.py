"""The question lists of the two checklists, as paraphrased themes.

These are *themes*, written for this project from the published section headings and topic
lists (DOMAIN.md §2.2; reducingtherisk.org.uk "identifying risk indicators"), not the forms'
wording: the police DASH (2009) and the SafeLives Dash RIC are copyright documents, and a
force or IDVA service must use its own licensed form when asking the questions. Provide
stores one answer per theme, in order, so the yes-count and the "visible high risk" rule
(:data:`provide.core.risk.grading.VISIBLE_HIGH_RISK_YES`) can be computed.

* Police DASH: 27 items in four sections (current situation; children and dependants;
  domestic-abuse history; the abuser).
* SafeLives Dash RIC: 24 items covering the same ground; it folds the two questions about
  harm to children into "harm to others" and has no separate household-children item.

DARA (College of Policing, 2022) has no public question list (DOMAIN.md §1.2): a force that
supplies its own list stores answers against its own codes, and the grade is the officer's.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    """One checklist item.

    Attributes
    ----------
    code : str
        Stable short code used in stored answers, e.g. ``"strangulation"``.
    section : str
        The checklist section the theme belongs to.
    theme : str
        A paraphrase of what the item is about (not the form's wording).
    """

    code: str
    section: str
    theme: str


CURRENT = "Current situation"
CHILDREN = "Children and dependants"
HISTORY = "Domestic abuse history"
ABUSER = "The abuser"

_CURRENT: tuple[Question, ...] = (
    Question("injury", CURRENT, "Injury caused in this incident"),
    Question("very_frightened", CURRENT, "The victim is very frightened"),
    Question(
        "fears",
        CURRENT,
        "The victim fears further injury or being killed (themself, children or others)",
    ),
    Question("isolated", CURRENT, "Isolation from family, friends or GP"),
    Question("depressed", CURRENT, "Depression or thoughts of suicide"),
    Question("separation", CURRENT, "Separation, or an attempt to separate, in the past year"),
    Question("child_contact", CURRENT, "Conflict over contact with children"),
    Question("stalking", CURRENT, "Constant texting, calling, following or stalking"),
)
_PREGNANCY = Question("pregnancy", CHILDREN, "Pregnancy, or a baby under 18 months")
_HOUSEHOLD_CHILDREN = Question(
    "household_children", CHILDREN, "Other children or dependants in the household"
)
_CHILDREN_HURT = Question(
    "children_hurt", CHILDREN, "The abuser has hurt the children or dependants"
)
_CHILDREN_THREATENED = Question(
    "children_threatened", CHILDREN, "The abuser has threatened the children or dependants"
)
_HISTORY: tuple[Question, ...] = (
    Question("more_often", HISTORY, "The abuse is happening more often"),
    Question("getting_worse", HISTORY, "The abuse is getting worse"),
    Question("control_jealousy", HISTORY, "Jealousy and control of everything the victim does"),
    Question("weapons", HISTORY, "Weapons or objects used to hurt"),
    Question("threats_to_kill", HISTORY, "Threats to kill that the victim believed"),
    Question("strangulation", HISTORY, "Strangulation, choking, suffocation or drowning"),
    Question("sexual_abuse", HISTORY, "Sexual abuse"),
    Question("other_threat", HISTORY, "Another person threatens the victim or is feared"),
)
_ABUSER: tuple[Question, ...] = (
    Question(
        "harmed_others",
        ABUSER,
        "The abuser has harmed others (children, relatives, past partners, strangers)",
    ),
    Question("animals", ABUSER, "Cruelty to animals or pets"),
    Question("financial", ABUSER, "Financial problems or dependency"),
    Question(
        "substances_mental_health",
        ABUSER,
        "Drug, alcohol or mental-health problems in the past year",
    ),
    Question("suicide_threats", ABUSER, "The abuser has threatened or attempted suicide"),
    Question("breaches", ABUSER, "Breaches of bail, injunctions or contact agreements"),
    Question("criminal_history", ABUSER, "Criminal or police history"),
)

DASH_QUESTIONS: tuple[Question, ...] = (
    *_CURRENT,
    _PREGNANCY,
    _HOUSEHOLD_CHILDREN,
    _CHILDREN_HURT,
    _CHILDREN_THREATENED,
    *_HISTORY,
    *_ABUSER,
)
"""Police DASH (ACPO/NPCC 2009): 27 themes, in form order."""

RIC_QUESTIONS: tuple[Question, ...] = (*_CURRENT, _PREGNANCY, *_HISTORY, *_ABUSER)
"""SafeLives Dash RIC: 24 themes, in form order."""

QUESTIONS_BY_TOOL: dict[str, tuple[Question, ...]] = {"DASH": DASH_QUESTIONS, "RIC": RIC_QUESTIONS}
"""The question list of each checklist tool; DARA has none (the force supplies its own)."""
