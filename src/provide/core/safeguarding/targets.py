"""The services a victim can be referred to, as (code, label) pairs.

One vocabulary for the visit's shared "referrals made" ticks, the tracker's ``referrals``
column (FORMATS.md B) and the safeguarding app's referrals, so the apps below safeguarding
(visits, health) can name the services without importing it.
``provide.safeguarding.models.ReferralService.Target`` must list the same pairs (a test checks).
"""

from __future__ import annotations

REFERRAL_TARGETS: tuple[tuple[str, str], ...] = (
    ("marac", "MARAC"),
    ("safeguarding_unit", "Safeguarding unit"),
    ("refuge", "Refuge or hostel"),
    ("housing", "Housing"),
    ("mental_health", "Mental health"),
    ("drug_alcohol", "Drug and alcohol"),
    ("alarm", "Alarm / target hardening"),
    ("childrens_services", "Children's services"),
    ("gp", "GP (IRISi)"),
    ("dvds", "Clare's Law (DVDS)"),
    ("protection_order", "Protection order"),
    ("other", "Other"),
)
