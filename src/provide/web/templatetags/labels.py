"""Words for stored values: ``{{ value|label }}`` and ``{{ value|label:"visit.contact_result" }}``
give a code (or a list of codes) in plain English from the one registry in
:mod:`provide.web.labels`; ``{{ window|custody_text:as_of }}`` gives the suspect's custody in
the one wording of :mod:`provide.intake.presenters`."""

from __future__ import annotations

import datetime as dt

from django import template

from provide.core.triage import CustodyWindow
from provide.intake.presenters import custody_text
from provide.web.labels import labels_for

register = template.Library()


@register.filter(name="label")
def label(value: object, vocabulary: str | None = None) -> str:
    return labels_for(value, vocabulary or None)


@register.filter(name="custody_text")
def custody_text_filter(custody: CustodyWindow | None, as_of: dt.datetime) -> str:
    """``{{ window|custody_text:as_of }}``: the suspect's custody in the one wording."""
    return custody_text(custody, as_of)
