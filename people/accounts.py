"""Accounts a trainer creates for learners who have no email, and finding people who exist.

A learner in a commune-hall class often has no email and sometimes no phone. The trainer
creates the account: the username comes from the full name without diacritics ("Siu H'Nương"
-> "siuhnuong", "Đinh Văn Đức" -> "dinhvanduc"), made unique with a number; the password is a
short numeric PIN printed on the handout (the login form's rate limit makes guessing it slow).
Before creating anyone we look for the same person: the same accent-free name, birth year and
commune, or the same phone number.
"""

import re
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from core.text import nfc, search_key
from people.models import EthnicGroup, OrgUnit, Profile, TargetGroup
from people.services import profile_get_or_create, profile_update

USERNAME_MAX = 24
PIN_DIGITS = 6


def username_base(full_name: str) -> str:
    """The accent-free, ASCII letters and digits of a name, lowercased ("đ" becomes "d")."""
    base = re.sub(r"[^a-z0-9]", "", search_key(full_name))
    return base[:USERNAME_MAX] or "hocvien"


def username_unique(full_name: str, *, taken: set[str] | None = None) -> str:
    """`username_base` or, when taken, the base followed by the smallest free number from 2."""
    base = username_base(full_name)
    User = get_user_model()
    existing = {
        name.lower()
        for name in User.objects.filter(username__istartswith=base).values_list(
            "username", flat=True
        )
    } | (taken or set())
    if base not in existing:
        return base
    n = 2
    while f"{base}{n}" in existing:
        n += 1
    return f"{base}{n}"


def pin_generate() -> str:
    return f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"


def phone_normalise(value: str) -> str:
    """ "+84 912 345 678" and "0912.345.678" -> "0912345678" (the form people write)."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


def phone_forms(phone: str) -> list[str]:
    """The stored forms a normalised phone may have (profiles accept both)."""
    return [phone, "+84" + phone[1:]] if phone.startswith("0") else [phone]


def compact_key(value: str) -> str:
    """Accent-free, without spaces or hyphens: "Gia-rai", "Gia rai" and "giarai" are one key."""
    return re.sub(r"[^a-z0-9]", "", search_key(value))


@dataclass
class NewLearner:
    user: object
    pin: str


@transaction.atomic
def learner_account_create(
    *,
    full_name: str,
    org_unit: OrgUnit,
    birth_year: int | None = None,
    gender: str = "",
    ethnic_group: EthnicGroup | None = None,
    target_groups=(),
    phone: str = "",
    taken_usernames: set[str] | None = None,
) -> NewLearner:
    """Create a learner account with a generated username and PIN, and fill its profile.

    Returns the user and the PIN in clear (shown once, on screen and on the handout; only its
    hash is stored). The profile is validated like any other (`profile_update`).
    """
    User = get_user_model()
    full_name = nfc(full_name)
    username = username_unique(full_name, taken=taken_usernames)
    pin = pin_generate()
    user = User(username=username)
    user.set_password(pin)
    user.save()
    if taken_usernames is not None:
        taken_usernames.add(username)
    profile = profile_get_or_create(user=user)
    profile_update(
        profile=profile,
        target_groups=list(target_groups),
        full_name=full_name,
        org_unit=org_unit,
        birth_year=birth_year,
        gender=gender or "",
        ethnic_group=ethnic_group,
        phone=phone or "",
    )
    return NewLearner(user=user, pin=pin)


@transaction.atomic
def learner_pin_reset(*, user) -> str:
    """A new PIN for an account the trainer created (the learner forgot the handout)."""
    pin = pin_generate()
    user.set_password(pin)
    user.save(update_fields=["password"])
    return pin


class ReferenceLookup:
    """Resolves what people write in a roster cell to reference rows, with few queries.

    Ethnic groups by GSO code ("10", "10.0" from a spreadsheet) or by name or other name,
    accent- and hyphen-insensitively (the official name wins over another group's other
    name). Target groups by code or name; several separated by ";" or ",".
    """

    def __init__(self):
        self.ethnic_by_code: dict[str, EthnicGroup] = {}
        self.ethnic_by_name: dict[str, EthnicGroup] = {}
        other: dict[str, EthnicGroup] = {}
        for group in EthnicGroup.objects.all():
            self.ethnic_by_code[group.code] = group
            self.ethnic_by_name[compact_key(group.name)] = group
            for alias in group.other_names.split(","):
                if alias.strip():
                    other.setdefault(compact_key(alias), group)
        for key, group in other.items():
            self.ethnic_by_name.setdefault(key, group)
        self.target_groups: dict[str, TargetGroup] = {}
        for group in TargetGroup.objects.all():
            self.target_groups[group.code] = group
            self.target_groups[compact_key(group.name)] = group

    def ethnic_group(self, value: str) -> EthnicGroup | None:
        value = (value or "").strip()
        if re.fullmatch(r"\d{1,2}(\.0+)?", value):
            return self.ethnic_by_code.get(f"{int(float(value)):02d}")
        return self.ethnic_by_name.get(compact_key(value))

    def target_group_list(self, value: str) -> tuple[list[TargetGroup], list[str]]:
        found, unknown = [], []
        for part in re.split(r"[;,]", value or ""):
            part = part.strip()
            if not part:
                continue
            group = self.target_groups.get(part) or self.target_groups.get(compact_key(part))
            if group is None:
                unknown.append(part)
            elif group not in found:
                found.append(group)
        return found, unknown


def communes_lookup(units) -> dict[str, list[OrgUnit]]:
    """Current communes/villages of a queryset keyed by official code and by compact name.

    Names are keyed both in full ("xaiagrai") and without the division word ("iagrai"), so a
    roster can say "Ia Grai" or "Xã Ia Grai". A name may map to several units.
    """
    index: dict[str, list[OrgUnit]] = {}
    prefixes = ("xa", "phuong", "thitran", "dackhu", "thon", "lang", "ban", "buon", "to", "ap")
    for unit in units.filter(
        kind__in=(OrgUnit.Kind.COMMUNE, OrgUnit.Kind.VILLAGE), valid_to__isnull=True
    ):
        index.setdefault(unit.code.lower(), []).append(unit)
        key = compact_key(unit.name)
        keys = {key}
        for prefix in prefixes:
            words = search_key(unit.name).split()
            if words and re.sub(r"[^a-z0-9]", "", words[0]) == prefix and len(words) > 1:
                keys.add(compact_key(" ".join(words[1:])))
        for k in keys:
            bucket = index.setdefault(k, [])
            if unit not in bucket:
                bucket.append(unit)
    return index


def person_key(full_name: str, birth_year: int | None, unit_id: int | None):
    return (compact_key(full_name), birth_year, unit_id)


def people_index(*, unit_ids, birth_years, phones) -> tuple[dict, dict]:
    """Existing profiles that could be the same people as roster rows (two queries).

    Returns ({(name key, birth year, unit id): profile}, {normalised phone: profile}).
    """
    by_person, by_phone = {}, {}
    if unit_ids and birth_years:
        for profile in Profile.objects.select_related("user", "org_unit").filter(
            org_unit_id__in=unit_ids, birth_year__in=birth_years
        ):
            by_person.setdefault(
                person_key(profile.full_name, profile.birth_year, profile.org_unit_id), profile
            )
    forms = [form for phone in phones for form in phone_forms(phone)]
    if forms:
        for profile in Profile.objects.select_related("user", "org_unit").filter(phone__in=forms):
            by_phone.setdefault(phone_normalise(profile.phone), profile)
    return by_person, by_phone
