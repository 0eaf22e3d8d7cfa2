"""Who learners are.

An `OrgUnit` tree (province -> commune/ward -> village, plus agencies) is where people live or
work and what managers and trainers are responsible for; it follows the official codes and keeps
history across the 2025 reform through `valid_from`/`valid_to`/`replaced_by`. `EthnicGroup` and
`TargetGroup` are reference data. `Profile` holds what a report needs to know about a learner.
`Scope` gives a trainer or manager a role over an org-unit subtree; every scoped read goes
through `people.selectors`.
"""

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from core.text import nfc, search_key


class OrgUnit(MP_Node):
    """An administrative or organisational unit. Roots are provinces (and agencies)."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        PROVINCE = "province", _("Province / centrally-run city")
        DISTRICT = "district", _("District (before 1 July 2025)")
        COMMUNE = "commune", _("Commune / ward / special zone")
        VILLAGE = "village", _("Village / hamlet")
        AGENCY = "agency", _("Agency")

    code = models.CharField(_("official code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    division_type = models.CharField(
        _("division type"), max_length=64, blank=True, help_text=_("e.g. xã, phường, tỉnh")
    )
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )

    class Meta:
        verbose_name = _("organisational unit")
        verbose_name_plural = _("organisational units")
        indexes = [models.Index(fields=["kind", "search_name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.search_name = search_key(self.name)
        super().save(*args, **kwargs)

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class EthnicGroup(models.Model):
    """One of Vietnam's 54 ethnic groups, with its official GSO code (Kinh 01 ... Rơ-măm 54)."""

    code = models.CharField(_("GSO code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    other_names = models.CharField(_("other names"), max_length=255, blank=True)
    search_name = models.CharField(max_length=255, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.search_name = search_key(f"{self.name} {self.other_names}")
        super().save(*args, **kwargs)

    @property
    def is_minority(self) -> bool:
        return self.code != "01"


class TargetGroup(models.Model):
    """A group named by a government training target (village heads, prestigious persons...)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=128)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self):
        return self.name


phone_validator = RegexValidator(
    r"^(\+84|0)[0-9]{9,10}$",  # ASCII digits only: \d would also accept other scripts' digits
    _("Enter a Vietnamese phone number, e.g. 0912345678 or +84912345678."),
)


class Profile(models.Model):
    """What reports need to know about a learner. One per user; email is optional."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    full_name = models.CharField(_("full name"), max_length=128, blank=True)
    # The name without accents, lowercase ("Nguyễn Thị Hương" -> "nguyen thi huong"), so a
    # search typed without Vietnamese input finds it. Rows inserted by raw SQL (seed_load)
    # get "" and are found by the full name only.
    search_name = models.CharField(max_length=128, editable=False, default="", db_default="")
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    ethnic_group = models.ForeignKey(
        EthnicGroup,
        verbose_name=_("ethnic group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles",
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("commune / unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="profiles",
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="profiles"
    )
    phone = models.CharField(_("phone"), max_length=16, blank=True, validators=[phone_validator])
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )
    position = models.CharField(_("position"), max_length=128, blank=True)
    # Simple (low-literacy) mode, chosen by the learner: None until they choose, and then each
    # device follows its own setting (static/js/voices.js); once chosen, it follows them.
    simple_mode = models.BooleanField(_("simple mode"), null=True, blank=True, default=None)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="profile_birth_year_range",
            )
        ]
        indexes = [models.Index(fields=["phone"])]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        # NFC whatever the path (sign-up, the admin, imports), so names compare and sort alike.
        self.full_name = nfc(self.full_name)
        self.position = nfc(self.position)
        self.search_name = search_key(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.full_name or self.user.get_username()

    @property
    def is_complete(self) -> bool:
        """A profile is complete when reports can place the learner: a name and a unit."""
        return bool(self.full_name and self.org_unit_id)


class Scope(models.Model):
    """A trainer or manager role over an org-unit subtree (the unit and everything below)."""

    class Role(models.TextChoices):
        TRAINER = "trainer", _("Trainer")
        MANAGER = "manager", _("Manager")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scopes"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="scopes"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scope")
        verbose_name_plural = _("scopes")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "org_unit"], name="scope_unique")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.org_unit}"


class LoginUnlock(models.Model):
    """The audit trail of early unlocks: who lifted the sign-in lock of which account, when,
    and how many recent failures were forgiven (see people.lockout)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="login_unlocks",
    )
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("unlocked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    failures = models.PositiveIntegerField(_("failures cleared"), default=0)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sign-in unlock")
        verbose_name_plural = _("sign-in unlocks")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"])]

    def __str__(self):
        return f"{self.user} · {self.unlocked_by} · {self.at:%Y-%m-%d %H:%M}"


class ApiClient(models.Model):
    """An outside system (a province's HR or statistics system, the LGSP platform) allowed to
    use the REST API, with what it may see and do.

    It sees the org units at or below its granted `units` and the learners, enrolments,
    classes, targets and certificates placed there; `can_read`, `can_enrol` and `can_report`
    (submit units' annual reports) say what it
    may do. The key is shown once when it is made; only its SHA-256 is stored (the key is 32
    random bytes, so a plain hash cannot be reversed by guessing). `prefix` is the visible
    start of the key, to tell keys apart in lists and logs. A revoked key stops at once.
    """

    name = models.CharField(_("name"), max_length=200)
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("units"),
        related_name="api_clients",
        help_text=_("The key sees these units and everything below them."),
    )
    can_read = models.BooleanField(_("may read"), default=True)
    can_enrol = models.BooleanField(_("may enrol learners"), default=False)
    can_report = models.BooleanField(
        _("may submit annual reports"),
        default=False,
        help_text=_("Submit the annual report of a unit within the key's units (e.g. LGSP)."),
    )
    rate_limit = models.PositiveIntegerField(
        _("requests per minute"),
        null=True,
        blank=True,
        help_text=_("Empty: the installation's default (LMS_API_RATE_PER_MINUTE)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiIdempotency(models.Model):
    """The remembered answer to a write sent with an idempotency key: the same key with the
    same body gets the same answer again (nothing is done twice); the same key with another
    body is refused. Written in the transaction of the write it remembers."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="idempotency")
    key = models.CharField(max_length=128)
    operation = models.CharField(max_length=64)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "operation", "key"], name="apiidempotency_unique_key"
            )
        ]

    def __str__(self):
        return f"{self.client_id} · {self.operation} · {self.key}"


class ApiToken(models.Model):
    """A short-lived OAuth 2.0 access token (client credentials grant, RFC 6749 section 4.4)
    issued to an `ApiClient` that authenticated with its key at `/api/v1/oauth/token`. Only
    the token's SHA-256 is stored; `scopes` are the permissions it carries (a subset of the
    client's). It stops at `expires_at` or when its client is revoked."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("API access token")
        verbose_name_plural = _("API access tokens")
        indexes = [models.Index(fields=["expires_at"], name="apitoken_expires")]

    def __str__(self):
        return f"{self.client_id} · {self.scopes} · {self.expires_at:%Y-%m-%d %H:%M}"
