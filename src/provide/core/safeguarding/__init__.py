"""Safeguarding rules: the referral lifecycle, the four MARAC criteria and protective measures.

Pure Python (no Django, no I/O, no clock): every function that depends on time takes
``as_of`` or ``today``.

* :mod:`.lifecycle` - referral states, allowed transitions, due-date and consent rules;
* :mod:`.marac` - the four MARAC referral criteria (SafeLives), each with its evidence, and
  the daily meeting calendar;
* :mod:`.measures` - DVPN / DVPO / DVDS deadlines and expiry alerts.

See ``docs/models/marac.md`` for the rules and their sources.
"""
