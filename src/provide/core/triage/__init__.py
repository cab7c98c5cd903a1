"""Daily triage: the transparent priority score, eligibility, the 24-hour clock.

Pure Python (no Django, no I/O, no clock): every function takes ``as_of``.

Public interface::

    from provide.core.triage import CaseFacts, Policy, score_triage, rank_cases

* :mod:`.facts` - :class:`CaseFacts` and its parts (custody, victim history);
* :mod:`.policy` - :class:`Policy` (weights, thresholds, eligibility) and its validation;
* :mod:`.rules` - one small scoring rule per factor, each with its reason;
* :mod:`.eligibility` - the eligibility rules of seed 002;
* :mod:`.clock` - the 24-hour clock from the first police visit;
* :mod:`.scoring` - :func:`score_triage`, :func:`rank_cases`, :func:`compare_rankings`;
* :mod:`.window` - which investigations a day's board covers;
* :mod:`.stale` - accepted cases not visited after 24 h / 72 h.

See ``docs/models/triage.md`` for the rules, the default weights and their sources.
"""

from provide.core.triage.clock import Clock, ClockState, clock_for, clock_stopped
from provide.core.triage.eligibility import Eligibility, assess_eligibility
from provide.core.triage.facts import CaseFacts, CustodyStatus, CustodyWindow, Grade, VictimHistory
from provide.core.triage.policy import (
    DEFAULT_POLICY,
    EligibilityRules,
    Policy,
    PolicyProblem,
    Thresholds,
    Weights,
    eligibility_from_mapping,
    policy_problems,
    policy_to_mappings,
    thresholds_from_mapping,
    weights_from_mapping,
)
from provide.core.triage.rules import SCORING_RULES, Factor
from provide.core.triage.scoring import (
    CaseAssessment,
    RankChange,
    RankedCase,
    TriageScore,
    assess_case,
    compare_rankings,
    rank_cases,
    score_triage,
)
from provide.core.triage.stale import StaleBand, stale_band
from provide.core.triage.window import BoardWindow, board_window

__all__ = [
    "DEFAULT_POLICY",
    "SCORING_RULES",
    "BoardWindow",
    "CaseAssessment",
    "CaseFacts",
    "Clock",
    "ClockState",
    "CustodyStatus",
    "CustodyWindow",
    "Eligibility",
    "EligibilityRules",
    "Factor",
    "Grade",
    "Policy",
    "PolicyProblem",
    "RankChange",
    "RankedCase",
    "StaleBand",
    "Thresholds",
    "TriageScore",
    "VictimHistory",
    "Weights",
    "assess_case",
    "assess_eligibility",
    "board_window",
    "clock_for",
    "clock_stopped",
    "compare_rankings",
    "eligibility_from_mapping",
    "policy_problems",
    "policy_to_mappings",
    "rank_cases",
    "score_triage",
    "stale_band",
    "thresholds_from_mapping",
    "weights_from_mapping",
]
