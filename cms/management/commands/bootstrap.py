"""Make an empty production database usable; safe to run again (what exists is kept).

    manage.py bootstrap [--provinces 52,66] [--no-units]

In order: the Trainers and Managers groups and their permissions; the official org units (all
34 provinces and their communes, or the ones named); the home page, the course catalogue and
the default Site (its hostname from `LMS_PUBLIC_URL`); the first certificate signing key (when
none is configured, a new key is written to `LMS_CERT_SIGNING_KEY_FILE`, readable by its owner
only: back it up); the first administrator from `DJANGO_SUPERUSER_USERNAME`,
`DJANGO_SUPERUSER_PASSWORD` and optionally `DJANGO_SUPERUSER_EMAIL` (the variables Django's
`createsuperuser --noinput` reads), created once and never changed afterwards.
Reference data (the 54 ethnic groups, the target groups) comes with the migrations.
"""

import os
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from certificates import signing
from certificates.services import signing_key_current
from cms.services import site_tree_ensure
from courses.services import authoring_roles_setup
from people.management.commands.import_org_units import official_records
from people.models import OrgUnit
from people.services import org_units_sync, profile_get_or_create

HOME = {
    "title": "Học Số",
    "hero_title": "Học kỹ năng số – gần dân, dễ học, có chứng chỉ",
    "hero_text": "Khoá học ngắn, miễn phí, học ngay trên điện thoại, có chứng chỉ mã QR.",
}
CATALOGUE = {
    "title": "Khoá học",
    "intro": "<p>Các khoá học kỹ năng số miễn phí, học trên điện thoại, có chứng chỉ.</p>",
}


class Command(BaseCommand):
    help = (
        "Make an empty database usable: roles, org units, the page tree and site, the first "
        "signing key, the first administrator (DJANGO_SUPERUSER_USERNAME/_PASSWORD). Safe to "
        "run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--provinces", metavar="CODES", help="comma-separated province codes (default: all)"
        )
        parser.add_argument("--no-units", action="store_true", help="skip the org units")

    def handle(self, *args, provinces=None, no_units=False, **options):
        with transaction.atomic():
            if not no_units:
                self.units(provinces)
            # After the units: each province gets its collection and trainers' group.
            roles = authoring_roles_setup()
            self.stdout.write(f"Roles: {roles['created']} permissions added.")
            self.site()
            self.administrator()
        self.signing_key()
        self.stdout.write(self.style.SUCCESS("Bootstrap done."))

    def units(self, provinces: str | None):
        codes = (
            {code.strip() for code in provinces.split(",") if code.strip()} if provinces else None
        )
        records = official_records(codes)
        if codes and not records:
            raise CommandError(f"No official province has the code(s) {', '.join(sorted(codes))}.")
        result = org_units_sync(records=records)
        self.stdout.write(
            f"Org units: {result['created']} created, {result['updated']} updated, "
            f"{OrgUnit.objects.count()} in total."
        )

    def site(self):
        address = urlsplit(settings.LMS_PUBLIC_URL or "http://localhost")
        port = address.port or (443 if address.scheme == "https" else 80)
        home = site_tree_ensure(
            home=HOME, hostname=address.hostname or "localhost", port=port, catalogue=CATALOGUE
        )
        site = home.get_site()
        self.stdout.write(f"Site: {site.hostname}:{site.port}, home page “{home.title}”.")
        from courses.translation import content_locales_ensure

        # A Wagtail locale for each content language (a language added to the settings later).
        self.stdout.write(f"Content locales: {content_locales_ensure()} created.")

    def administrator(self):
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "").strip()
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
        User = get_user_model()
        if not username:
            if not User.objects.filter(is_superuser=True).exists():
                self.stdout.write(
                    "No administrator yet: set DJANGO_SUPERUSER_USERNAME and "
                    "DJANGO_SUPERUSER_PASSWORD and run bootstrap again."
                )
            return
        user = User.objects.filter(username__iexact=username).first()
        if user is not None:
            self.stdout.write(f"Administrator {user.username}: exists, left as it is.")
            return
        if not password:
            raise CommandError("DJANGO_SUPERUSER_PASSWORD is empty: the administrator needs one.")
        user = User(
            username=username.lower(),
            email=os.environ.get("DJANGO_SUPERUSER_EMAIL", ""),
            is_superuser=True,
            is_staff=True,
        )
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as error:
            raise CommandError(f"Administrator: {' '.join(error.messages)}") from None
        user.set_password(password)
        user.save()
        profile_get_or_create(user=user)
        self.stdout.write(f"Administrator {user.username}: created.")

    def signing_key(self):
        try:
            key, _private = signing_key_current()
        except signing.KeyUnavailable:
            path = signing.key_file()
            signing.key_file_write(Ed25519PrivateKey.generate(), path)
            key, _private = signing_key_current()
            self.stdout.write(
                f"Signing key {key.kid}: created in {path} (readable by its owner only; back it "
                "up with the database: certificates it signs verify only with its public key)."
            )
            return
        except ValueError as error:
            raise CommandError(f"The configured signing key cannot be read: {error}") from None
        self.stdout.write(f"Signing key {key.kid}: active.")
