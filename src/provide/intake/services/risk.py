"""Recording a risk assessment against an investigation: a new dated record every time."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from provide.accounts.models import User
from provide.audit.models import AuditAction
from provide.audit.services import audit_record
from provide.core.risk import QUESTIONS_BY_TOOL, RiskInputError, grade_risk
from provide.intake.models import Investigation, RiskAssessment

CANNOT_ASSESS = "Your role cannot record risk assessments"


@transaction.atomic
def risk_assessment_record(
    *,
    user: User,
    investigation: Investigation,
    tool: str,
    answers: Sequence[str] = (),
    grade: str = "",
    reason: str = "",
    regrade_of: RiskAssessment | None = None,
) -> RiskAssessment:
    """Grade (``provide.core.risk.grade_risk``) and store a new assessment; the investigation's
    current grade follows it. Raises ValidationError with the grading rule's message."""
    if not (
        getattr(user, "is_authenticated", False) and user.has_perm("intake.add_riskassessment")
    ):
        raise PermissionDenied(CANNOT_ASSESS)
    try:
        grading = grade_risk(tool, list(answers), judgement=grade or None, reason=reason)
    except RiskInputError as error:
        raise ValidationError(str(error)) from None
    questions = QUESTIONS_BY_TOOL.get(tool, ())
    stored_answers: list[dict[str, str] | str] = ([{"code": q.code, "answer": a} for q, a in zip(questions, answers, strict=True)]
                      if questions else list(answers))  # fmt: skip
    assessment = RiskAssessment.objects.create(
        investigation=investigation,
        victim=investigation.victim,
        tool=tool,
        answers=stored_answers,
        yes_count=grading.yes_count,
        grade=grading.grade.value,
        rationale="; ".join(grading.reasons) if tool != "DARA" else reason.strip(),
        regrade_of=regrade_of,
        regrade_reason=reason.strip() if grading.professional_judgement and tool != "DARA" else "",
        assessed_by=user,
        assessed_by_name=user.get_full_name() or user.get_username(),
        assessed_at=timezone.now(),
    )
    before = investigation.risk_grade
    if before != assessment.grade:
        investigation.risk_grade = assessment.grade
        investigation.save(update_fields=["risk_grade", "updated_at"])
    audit_record(actor=user, action=AuditAction.CREATE, event="intake.risk_assessed", subject=assessment,
                 reason=reason.strip(),
                 changes={"tool": tool, "grade": [before or None, assessment.grade],
                          "yes_count": grading.yes_count,
                          "professional_judgement": grading.professional_judgement})  # fmt: skip
    return assessment
