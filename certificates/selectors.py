"""Reads about certificates: whose a user may see or manage, and online verification.

Verification is public and hot (every QR scan), so it reads through the cache: the public
keys under one key, each certificate's state under its serial. Services delete those entries
when a certificate is issued or revoked, or a key is added, once their transaction commits.
"""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Scope
from people.selectors import filter_by_unit_scope, user_has_role

from . import signing
from .models import Certificate, CertificateTemplate, SigningKey

KEYS_CACHE_KEY = "certificates:keys"
STATE_CACHE_PREFIX = "certificates:state:"
CACHE_SECONDS = 300

MESSAGES = {
    "malformed": _("This code is damaged or incomplete: it is not a Học Số certificate."),
    "unknown_key": _("This certificate was not signed with a Học Số key."),
    "bad_signature": _("The certificate's data does not match its signature: it was altered."),
    "unknown_serial": _("No certificate with this serial was issued by Học Số."),
    "mismatch": _("The certificate's data does not match our records."),
}


def certificates_of(user) -> QuerySet[Certificate]:
    """A learner's own certificates, newest first."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    return Certificate.objects.filter(enrolment__user=user)


def certificates_manageable_by(user) -> QuerySet[Certificate]:
    """Certificates an administrator (all) or a manager (holders in scope) may revoke."""
    return filter_by_unit_scope(
        Certificate.objects.all(),
        user,
        unit_path="enrolment__user__profile__org_unit__path",
        role=Scope.Role.MANAGER,
    )


def certificates_waiting(certificates: QuerySet[Certificate]) -> QuerySet[Certificate]:
    """The pending ones among `certificates`, oldest first: not issued yet, whether queued,
    waiting for the outbox sweep, or retried after an error (see `error`)."""
    return certificates.filter(status=Certificate.Status.PENDING).order_by("created_at", "pk")


def user_manages_certificates(user) -> bool:
    """Administrators and managers (of any unit) have the certificates screens."""
    return user_has_role(user, Scope.Role.MANAGER)


def certificate_manageable(user, certificate: Certificate) -> bool:
    return certificates_manageable_by(user).filter(pk=certificate.pk).exists()


# --- verification ---------------------------------------------------------------------------
def signing_keys() -> list[tuple[str, str, bool]]:
    """(kid, base64url public key, active) of every signing key ever used (cached; rotations
    clear the entry)."""
    rows = cache.get(KEYS_CACHE_KEY)
    if rows is None:
        rows = list(SigningKey.objects.values_list("kid", "public_key", "active"))
        cache.set(KEYS_CACHE_KEY, rows, CACHE_SECONDS)
    return rows


def public_keys() -> dict:
    """Every signing key ever used, by key id."""
    return {kid: public for kid, public, _active in signing_keys()}


def issuer_known(slug: str) -> bool:
    """Some template names this issuer, or some certificate was issued under it."""
    return (
        CertificateTemplate.objects.filter(issuer_slug=slug).exists()
        or Certificate.objects.filter(issuer_slug=slug).exists()
    )


def jwks() -> dict:
    return {"keys": [signing.jwk(kid, public) for kid, public in sorted(public_keys().items())]}


_parsed: dict[tuple, dict] = {}


def _verifying_keys() -> dict:
    """The public keys as cryptography objects, parsed once per set of keys and process."""
    rows = tuple(sorted(public_keys().items()))
    if rows not in _parsed:
        _parsed.clear()
        _parsed[rows] = signing.jwks_keys(jwks())
    return _parsed[rows]


def certificate_state(serial: str) -> dict | None:
    """What the server knows of a serial: status, token, revocation (cached)."""
    key = STATE_CACHE_PREFIX + serial
    state = cache.get(key)
    if state is None:
        row = (
            Certificate.objects.filter(serial=serial)
            .values("status", "token", "revoked_at", "revocation_reason")
            .first()
        )
        state = row or {}
        cache.set(key, state, CACHE_SECONDS)
    return state or None


def cache_forget(*, serials: list[str] = (), keys: bool = False) -> None:
    """Drop cached verification data once the current transaction commits."""

    def forget():
        if serials:
            cache.delete_many([STATE_CACHE_PREFIX + serial for serial in serials])
        if keys:
            cache.delete(KEYS_CACHE_KEY)

    transaction.on_commit(forget)


@dataclass(frozen=True)
class Verification:
    """The answer to "is this certificate genuine?"."""

    status: str  # issued | revoked | expired | invalid
    claims: signing.Claims | None = None
    problem: str = ""
    revoked_at: datetime.datetime | None = None
    revocation_reason: str = ""

    @property
    def valid(self) -> bool:
        return self.status == "issued"

    @property
    def reason(self) -> str:
        if self.status == "revoked":
            return self.revocation_reason
        return str(MESSAGES[self.problem]) if self.problem else ""

    def as_json(self) -> dict:
        claims = self.claims
        hours = None
        if claims is not None:
            whole = claims.hours == claims.hours.to_integral()
            hours = int(claims.hours) if whole else float(claims.hours)
        return {
            "valid": self.valid,
            "status": self.status,
            "serial": claims.serial if claims else None,
            "holder": claims.holder if claims else None,
            "course": claims.course if claims else None,
            "hours": hours,
            "issued_on": claims.completed_on.isoformat() if claims else None,
            "issuer": claims.issuer if claims else None,
            "expires_on": (claims.expires_on.isoformat() if claims and claims.expires_on else None),
            "reason": self.reason or None,
        }


def expired(claims: signing.Claims, today: datetime.date | None = None) -> bool:
    """Past its last valid day (in the site's time zone)."""
    if claims.expires_on is None:
        return False
    return (today or timezone.localdate()) > claims.expires_on


def verify_offline(token: str, keys: dict) -> Verification:
    """Signature and expiry only: what a phone with the published keys can say without a
    network."""
    try:
        claims = signing.token_verify(token, keys)
    except signing.TokenError as exc:
        return Verification(status="invalid", problem=exc.code)
    if expired(claims):
        return Verification(status="expired", claims=claims)
    return Verification(status="issued", claims=claims)


def certificate_verify(token: str) -> Verification:
    """The signature, then the server's record: unknown, altered, revoked (which wins over
    expired) or expired certificates. The token may come in either form (see
    signing.token_canonical)."""
    token = signing.token_canonical(token)
    result = verify_offline(token, _verifying_keys())
    if result.status == "invalid":
        return result
    claims = result.claims
    state = certificate_state(claims.serial)
    if state is None:
        return Verification(status="invalid", claims=None, problem="unknown_serial")
    if state["token"] != token:
        return Verification(status="invalid", claims=None, problem="mismatch")
    if state["status"] == Certificate.Status.REVOKED:  # revoked wins over expired
        return Verification(
            status="revoked",
            claims=claims,
            revoked_at=state["revoked_at"],
            revocation_reason=state["revocation_reason"],
        )
    return result


def certificate_signatory(serial: str) -> dict | None:
    """Who signs for the issuer on the certificate with `serial`: the signatory's name and
    title from the template it was issued with (shown on the verify page; not signed facts)."""
    return (
        Certificate.objects.filter(serial=serial)
        .values(name=F("template__signatory_name"), title=F("template__signatory_title"))
        .first()
    )
