"""Where a triage policy is in use, add a new version (never edit one) that scores the repeat
suspect, ranks eligible high-risk victims first, makes high risk must-attend for the planner and
states the attempt rules, keeping every other weight and threshold of the active version."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

ADDED_WEIGHTS = {"repeat_suspect": 10}
ADDED_THRESHOLDS = {"rank_high_risk_first": True, "retry_after_hours": 4, "escalate_after_attempts": 3,
                    "escalate_high_risk_no_contact": True}
ADDED_ELIGIBILITY = {"must_attend": ["high"]}


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    TriagePolicy = apps.get_model("triage", "TriagePolicy")
    active = TriagePolicy.objects.filter(is_active=True).order_by("-version").first()
    if active is None or "repeat_suspect" in (active.weights or {}):
        return
    latest = TriagePolicy.objects.order_by("-version").first()
    TriagePolicy.objects.filter(is_active=True).update(is_active=False)
    TriagePolicy.objects.create(
        version=latest.version + 1, name=active.name, look_back_hours=active.look_back_hours,
        weights={**active.weights, **ADDED_WEIGHTS}, thresholds={**active.thresholds, **ADDED_THRESHOLDS},
        eligibility={**active.eligibility, **ADDED_ELIGIBILITY}, is_active=True,
        notes=(f"v{active.version} plus: repeat suspect (10 points), high risk ranked first and must-attend "
               "for the planner, failed visits retried after 4 h and escalated after 3 (added on upgrade)."),
    )


class Migration(migrations.Migration):
    dependencies = [("triage", "0003_decision_status_is_not_the_case_state")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
