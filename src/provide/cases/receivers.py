"""Every investigation has a case from the moment it is recorded, however it arrives."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from provide.cases.services import cases_open_for
from provide.intake.models import Investigation
from provide.intake.signals import investigations_recorded


@receiver(post_save, sender=Investigation, dispatch_uid="provide.cases.open_on_save")
def open_case_on_save(
    sender: Any, instance: Investigation, created: bool, raw: bool = False, **_: Any
) -> None:
    if created and not raw:
        cases_open_for([instance.pk])


@receiver(investigations_recorded, dispatch_uid="provide.cases.open_on_import")
def open_cases_on_import(sender: Any, investigation_ids: list[int], **_: Any) -> None:
    cases_open_for(investigation_ids, actor_label="import")
