"""Synthetic victims and suspects: names, ages, addresses, safe-contact needs, NHS numbers.

Every person is marked ``synthetic=True``. NHS numbers are drawn from the ``999`` range that
NHS England reserves for testing, with a valid modulus-11 check digit, so they pass
validation but can never belong to a real patient. Safe phone numbers are in Ofcom's
drama range (07700 900000–900999).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from provide.core.synthetic.geography import District, point_near, postcode_in
from provide.core.synthetic.names import NamePools
from provide.core.synthetic.sampling import WeightedChoice, chance

VULNERABILITY_RATES: dict[str, float] = {
    "disability": 0.08,
    "mental_health": 0.24,
    "substance_use": 0.14,
    "immigration": 0.02,
    "other": 0.03,
}
"""Share of victims with each person-level vulnerability (``language`` and ``older_person``
follow from the person's language need and age; ``pregnancy`` is per investigation)."""

LANGUAGES = WeightedChoice(
    [
        (None, 93.0),
        ("pl", 1.8),
        ("ur", 1.6),
        ("pa", 0.8),
        ("gu", 0.7),
        ("ro", 0.8),
        ("bn", 0.4),
        ("ar", 0.5),
        ("ku", 0.2),
        ("lt", 0.2),
    ]
)
"""Preferred language other than English (ISO 639-1), None for English."""

SAFE_CONTACT_TIMES = WeightedChoice(
    [
        ("weekdays 09:00-12:00", 3.0),
        ("school hours 09:15-15:00", 2.5),
        ("after 18:00", 1.5),
        ("mornings only", 1.5),
        ("weekends only", 0.7),
        ("any time", 2.0),
    ]
)


@dataclass(frozen=True)
class SyntheticPerson:
    """A made-up victim or suspect, as a police system would hold them."""

    person_ref: str
    role: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: str
    postcode: str
    lat: float
    lon: float
    district: str
    bcu: str
    language: str | None
    interpreter_needed: bool
    vulnerabilities: tuple[str, ...]
    safe_phone: str | None
    safe_contact_times: str | None
    suspect_may_answer: bool
    no_letters: bool
    no_voicemail: bool
    nhs_number: str | None
    synthetic: bool = True

    @property
    def full_name(self) -> str:
        """Given and family name."""
        return f"{self.given_name} {self.family_name}"


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit for nine NHS-number digits, or None if none exists."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(number: str) -> bool:
    """True if ``number`` is ten digits with a correct modulus-11 check digit."""
    digits = number.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


def synthetic_nhs_number(rng: random.Random) -> str:
    """A valid NHS number in the 999 test range (never issued to patients)."""
    while True:
        first_nine = "999" + f"{rng.randrange(1_000_000):06d}"
        check = nhs_check_digit(first_nine)
        if check is not None:
            return first_nine + str(check)


def _age(rng: random.Random, relationship: str, role: str) -> int:
    if relationship == "family" and role == "victim":
        age = 38 + rng.gammavariate(2.0, 10.0)
    elif relationship == "family":
        age = 17 + rng.gammavariate(2.0, 7.0)
    else:
        age = 17 + rng.gammavariate(2.3, 7.5)
    return min(92, round(age))


def _date_of_birth(rng: random.Random, age: int, reference: date) -> date:
    return reference - timedelta(days=int(age * 365.25) + rng.randrange(365))


class PersonFactory:
    """Creates people with sequential ``P0000001``-style refs from one seeded stream."""

    def __init__(
        self, rng: random.Random, names: NamePools, reference_on: date, first_number: int = 0
    ) -> None:
        self._rng = rng
        self._names = names
        self._reference_on = reference_on
        self._count = first_number
        self.people: list[SyntheticPerson] = []

    def _next_ref(self) -> str:
        self._count += 1
        return f"P{self._count:07d}"

    def victim(self, district: District, relationship: str) -> SyntheticPerson:
        """A new victim living in ``district``."""
        rng = self._rng
        female_share = 0.62 if relationship == "family" else 0.78
        sex = "female" if chance(rng, female_share) else "male"
        age = _age(rng, relationship, "victim")
        lat, lon = point_near(rng, district.lat, district.lon, district.radius_km)
        language: str | None = LANGUAGES(rng)
        interpreter = language is not None and chance(rng, 0.55)
        vulnerabilities = [v for v, rate in VULNERABILITY_RATES.items() if chance(rng, rate)]
        if interpreter:
            vulnerabilities.append("language")
        if age >= 65:
            vulnerabilities.append("older_person")
        has_phone = chance(rng, 0.72)
        person = SyntheticPerson(
            person_ref=self._next_ref(),
            role="victim",
            given_name=self._names.given(rng, sex),
            family_name=self._names.surname(rng),
            date_of_birth=_date_of_birth(rng, age, self._reference_on),
            sex=sex,
            postcode=postcode_in(rng, district),
            lat=lat,
            lon=lon,
            district=district.name,
            bcu=district.bcu,
            language=language,
            interpreter_needed=interpreter,
            vulnerabilities=tuple(sorted(vulnerabilities)),
            safe_phone=f"07700 900{rng.randrange(1000):03d}" if has_phone else None,
            safe_contact_times=SAFE_CONTACT_TIMES(rng) if has_phone else None,
            suspect_may_answer=chance(rng, 0.14),
            no_letters=chance(rng, 0.2),
            no_voicemail=chance(rng, 0.15),
            nhs_number=synthetic_nhs_number(rng) if chance(rng, 0.88) else None,
        )
        self.people.append(person)
        return person

    def suspect(
        self, victim: SyntheticPerson, district: District, relationship: str
    ) -> SyntheticPerson:
        """A new suspect connected to ``victim`` by ``relationship``."""
        rng = self._rng
        if relationship in ("partner", "ex_partner"):
            opposite = "male" if victim.sex == "female" else "female"
            sex = opposite if chance(rng, 0.95) else victim.sex
        else:
            sex = "male" if chance(rng, 0.72) else "female"
        shares_surname = chance(rng, 0.8 if relationship == "family" else 0.3)
        cohabits = relationship in ("partner", "family") and chance(rng, 0.55)
        if cohabits:
            lat, lon, postcode = victim.lat, victim.lon, victim.postcode
        else:
            lat, lon = point_near(rng, district.lat, district.lon, district.radius_km * 1.5)
            postcode = postcode_in(rng, district)
        if relationship in ("partner", "ex_partner"):
            victim_age = (self._reference_on - victim.date_of_birth).days // 365
            age = max(16, min(90, round(victim_age + rng.gauss(2.0, 5.0))))
        else:
            age = _age(rng, relationship, "suspect")
        language = victim.language if chance(rng, 0.7) else None
        vulnerabilities = tuple(
            v for v, rate in (("mental_health", 0.3), ("substance_use", 0.35)) if chance(rng, rate)
        )
        person = SyntheticPerson(
            person_ref=self._next_ref(),
            role="suspect",
            given_name=self._names.given(rng, sex),
            family_name=victim.family_name if shares_surname else self._names.surname(rng),
            date_of_birth=_date_of_birth(rng, age, self._reference_on),
            sex=sex,
            postcode=postcode,
            lat=lat,
            lon=lon,
            district=district.name,
            bcu=district.bcu,
            language=language,
            interpreter_needed=language is not None and chance(rng, 0.4),
            vulnerabilities=vulnerabilities,
            safe_phone=None,
            safe_contact_times=None,
            suspect_may_answer=False,
            no_letters=False,
            no_voicemail=False,
            nhs_number=None,
        )
        self.people.append(person)
        return person
