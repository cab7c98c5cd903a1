"""Open a case for every investigation recorded before the case lifecycle, replayed from its
decisions, visits and hand-overs; untriaged records older than a week are closed with a reason."""

import datetime as dt

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.utils import timezone


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from provide.cases.backfill import backfill_cases
    from provide.cases.services import EVENT_KINDS, event_payload, store_case

    now = timezone.now()
    backfill_cases(
        Investigation=apps.get_model("intake", "Investigation"), Case=apps.get_model("cases", "Case"),
        CaseEvent=apps.get_model("cases", "CaseEvent"), TriageDecision=apps.get_model("triage", "TriageDecision"),
        Visit=apps.get_model("visits", "Visit"), HandoverTask=apps.get_model("safeguarding", "HandoverTask"),
        untriaged_before=now - dt.timedelta(days=7), now=now, store=store_case, payload=event_payload,
        kinds=EVENT_KINDS,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("triage", "0002_policy_thresholds_decision_eligibility"),
        ("visits", "0002_visit_record_status"),
        ("safeguarding", "0002_referral_lifecycle_marac_measures_handover"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
