"""One registry of plain-English labels for the codes the database stores.

Pages never show a stored code such as ``coercive_control``: they pass it through the
``label`` template filter (``provide.web.templatetags.labels``), which reads this registry.
The registry is built once from every model field's ``choices`` and from the vocabularies
kept in lists (abuse types, vulnerabilities, referral targets, IDVA services) plus the Home
Office outcome types, so a new choice gets its label where it is declared.

A vocabulary is named ``"<model>.<field>"`` (``"visit.contact_result"``) or by one of the
short names in :data:`LIST_VOCABULARIES`. Without a vocabulary, a code takes the label of the
first vocabulary that declares it; name the vocabulary where one code means different things
(``open``, ``planned``, ``gp``, ``live``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from django.apps import apps

from provide.health.models import Service
from provide.intake.models import AbuseType
from provide.people.models import Vulnerability
from provide.safeguarding.models import ReferralService

HOME_OFFICE_OUTCOMES: dict[str, str] = {
    "1": "Charged or summonsed",
    "1A": "Charged or summonsed (alternative offence)",
    "2": "Youth caution",
    "3": "Adult caution",
    "4": "Taken into consideration",
    "5": "Offender died",
    "6": "Penalty notice for disorder",
    "7": "Cannabis or khat warning",
    "8": "Community resolution",
    "9": "Prosecution not in the public interest (CPS)",
    "10": "Formal action not in the public interest (police)",
    "11": "Prosecution prevented: suspect under age",
    "12": "Prosecution prevented: suspect too ill",
    "13": "Prosecution prevented: victim or key witness dead or too ill",
    "14": "Evidential difficulties: suspect not identified, victim does not support action",
    "15": "Evidential difficulties: suspect identified, victim supports action",
    "16": "Evidential difficulties: suspect identified, victim does not support action",
    "17": "Prosecution time limit expired",
    "18": "Investigation complete: no suspect identified",
    "19": "Filed by the National Fraud Intelligence Bureau",
    "20": "Further investigation transferred to another body",
    "21": "Further investigation not in the public interest (police decision)",
    "22": "Diversionary, educational or intervention activity; no further action",
}
"""Home Office crime outcome types 1-22 (short labels), stored as ``outcome_code``."""

LIST_VOCABULARIES: dict[str, Iterable[tuple[str, str]]] = {
    "abuse_type": AbuseType.choices,
    "vulnerability": Vulnerability.choices,
    "referral_target": ReferralService.Target.choices,
    "service": Service.choices,
    "outcome": HOME_OFFICE_OUTCOMES.items(),
}
"""Vocabularies stored in lists (JSON fields) or free codes, so not on a field's choices."""


@cache
def vocabularies() -> Mapping[str, Mapping[str, str]]:
    """Every vocabulary by name: the list vocabularies, then each Provide model field's choices."""
    found: dict[str, dict[str, str]] = {
        name: {str(code): str(text) for code, text in choices}
        for name, choices in LIST_VOCABULARIES.items()
    }
    for model in apps.get_models():
        if not model.__module__.startswith("provide."):
            continue
        for field in model._meta.get_fields():
            choices = getattr(field, "flatchoices", None)
            if choices:
                found[f"{model._meta.model_name}.{field.name}"] = {
                    str(code): str(text) for code, text in choices
                }
    return found


@cache
def _any_vocabulary() -> Mapping[str, str]:
    labels: dict[str, str] = {}
    for vocabulary in vocabularies().values():
        for code, text in vocabulary.items():
            labels.setdefault(code, text)
    return labels


def known_codes() -> frozenset[str]:
    """Every registered code (for tests that look for codes leaking onto pages)."""
    return frozenset(_any_vocabulary())


def humanise(code: str) -> str:
    """``"some_new_code"`` → ``"Some new code"``: the last resort for a code nobody labelled."""
    words = code.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def label_for(code: object, vocabulary: str | None = None) -> str:
    """The plain-English label of one code (``""`` for an empty value).

    Raises KeyError for an unknown vocabulary name, so a typo in a template fails loudly.
    """
    if code is None or code == "":
        return ""
    text = str(code)
    labels = vocabularies()[vocabulary] if vocabulary else _any_vocabulary()
    return labels.get(text) or _any_vocabulary().get(text) or humanise(text)


def labels_for(codes: object, vocabulary: str | None = None) -> str:
    """One code's label, or a list's labels joined with commas (``""`` when empty)."""
    if isinstance(codes, list | tuple | set | frozenset):
        return ", ".join(label_for(code, vocabulary) for code in codes if code not in (None, ""))
    return label_for(codes, vocabulary)
