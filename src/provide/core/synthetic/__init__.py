"""Deterministic synthetic data for a force like Lancashire: pure Python, no Django, no I/O.

Use :func:`generate_dataset` for a demo database or an evaluation benchmark; the Django
loader saves the dataclasses, and ``provide synth-extract`` writes them as the FORMATS.md
A/B/C files. Every person is synthetic, every reference starts with ``SYN``, NHS numbers are
in the 999 test range and phone numbers in Ofcom's drama range.
"""

from provide.core.synthetic.custody import SyntheticCustodyEvent
from provide.core.synthetic.generate import (
    SyntheticDataset,
    generate_dataset,
    generate_exact,
    trim_dataset,
)
from provide.core.synthetic.geography import Bcu, District, Station, lancashire_bcus
from provide.core.synthetic.investigations import SyntheticInvestigation
from provide.core.synthetic.people import SyntheticPerson, is_valid_nhs_number
from provide.core.synthetic.shifts import SyntheticShift
from provide.core.synthetic.tracker import SyntheticTrackerRow

__all__ = [
    "Bcu",
    "District",
    "Station",
    "SyntheticCustodyEvent",
    "SyntheticDataset",
    "SyntheticInvestigation",
    "SyntheticPerson",
    "SyntheticShift",
    "SyntheticTrackerRow",
    "generate_dataset",
    "generate_exact",
    "is_valid_nhs_number",
    "lancashire_bcus",
    "trim_dataset",
]
