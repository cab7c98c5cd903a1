from __future__ import annotations

from rest_framework import serializers

from provide.health.models import SupportRecord
from provide.intake.models import Investigation
from provide.people.models import Person


class PersonSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id", "force_person_ref", "given_name", "family_name", "date_of_birth", "sex",
            "postcode", "language", "interpreter_needed", "vulnerabilities",
            "children_in_household", "safe_phone", "safe_contact_times", "no_messages",
            "suspect_may_answer", "no_letters", "no_sms", "synthetic",
        ]


class InvestigationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    bcu = serializers.CharField(source="bcu.name", read_only=True)
    district = serializers.CharField(source="district.name", read_only=True, default=None)
    victim = serializers.UUIDField(source="victim.public_id", read_only=True)
    suspect = serializers.UUIDField(source="suspect.public_id", read_only=True, default=None)

    class Meta:
        model = Investigation
        fields = [
            "id", "investigation_ref", "incident_ref", "recorded_at", "first_police_visit_at",
            "bcu", "district", "crime_or_incident", "offence", "abuse_types", "relationship",
            "victim", "suspect", "risk_grade", "outcome_code", "outcome_on",
        ]


class SupportRecordSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.UUIDField(source="public_id", read_only=True)
    victim = serializers.UUIDField(source="victim.public_id", read_only=True, default=None)
    bcu = serializers.CharField(source="bcu.name", read_only=True, default=None)

    class Meta:
        model = SupportRecord
        fields = [
            "id", "tracker_id", "investigation_ref", "victim", "bcu", "mode", "police_visit_at",
            "idva_visit_at", "idva_support_offered", "idva_support_accepted",
            "prosecution_support_offered", "prosecution_support_accepted",
            "engaged_investigation", "engaged_safeguarding", "previously_engaged_investigation",
            "previously_engaged_safeguarding", "services", "referrals",
            "idva_name", "notes",
        ]
