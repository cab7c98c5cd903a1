"""API routes this app adds (see provide.api.urls)."""

from provide.safeguarding.api import ReferralViewSet

ROUTES = [("referrals", ReferralViewSet, "referral")]
