"""Who may fetch the extracted files of an H5P or SCORM package (the files players load).

A package in a unit's collection is that unit's: its files go to administrators, the unit's
trainers, and learners who opened a lesson using it (the player page checks the enrolment and
records a grant for the package in the session). A shared package (the national collection,
or one with no collection, made before collections) goes to anyone signed in. Everyone else
gets a 404, as for a package that does not exist, so a guessed address tells nothing.

SCORM's player and its files share our origin and the session: the decision is kept in the
session (a grant with its time), so after the first file a package's files cost no query
beyond the session's.

H5P's player runs in an opaque origin and its requests carry no cookies, so a unit's H5P
package is fetched through `g/<grant>/` in the files' address: a signature over the user, the
package and the day, made by the player page after the same check, valid that day and the
next. It is the same for every visit of the day (repeat visits come from the browser's cache)
and checking it costs no query; whether a package is a unit's is cached for a minute.
Shared H5P packages keep their plain public addresses.
"""

import hmac
import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from .collections import collection_is_private, packages_visible_to

GRANTS = "lms-package-grants"
GRANT_SECONDS = 12 * 3600
MAX_GRANTS = 50


def package_grant(request, package_uuid) -> None:
    """Remember in the session that this user may fetch the package's files."""
    now = int(time.time())
    grants = {
        key: at for key, at in request.session.get(GRANTS, {}).items() if now - at < GRANT_SECONDS
    }
    grants[str(package_uuid)] = now
    newest = sorted(grants.items(), key=lambda item: item[1])[-MAX_GRANTS:]
    request.session[GRANTS] = dict(newest)


def package_files_allowed(request, model, package_uuid) -> bool:
    """Whether the signed-in user may fetch the files of `model`'s package `package_uuid`:
    a grant in the session, else the admin's visibility (administrators; shared packages;
    the user's units' collections), which is then granted for the session."""
    at = request.session.get(GRANTS, {}).get(str(package_uuid))
    if at is not None and time.time() - at < GRANT_SECONDS:
        return True
    user = request.user
    if not user.is_authenticated or not user.is_active:
        return False
    if not packages_visible_to(user, model.objects.filter(uuid=package_uuid)).exists():
        return False
    package_grant(request, package_uuid)
    return True


def package_may_be_used(user, model, package_uuid, *, course_id: int) -> bool:
    """Whether `user` may play the package in a lesson of course `course_id`: enrolled in it,
    or the package is visible to them in the admin (their unit's, shared, administrators)."""
    from .models import Enrolment

    if not user.is_authenticated or not user.is_active:
        return False
    if Enrolment.objects.filter(user=user, course_id=course_id).exists():
        return True
    return packages_visible_to(user, model.objects.filter(uuid=package_uuid)).exists()


def h5p_package_is_private(package_uuid) -> bool:
    """Whether the H5P package is in a unit's collection (cached for a minute)."""
    from .models import H5PPackage

    def find():
        package = H5PPackage.objects.filter(uuid=package_uuid).select_related("collection")
        package = package.first()
        return bool(package and package.collection and collection_is_private(package.collection))

    return cache.get_or_set(f"h5p-package-private:{package_uuid}", find, 60)


def _day() -> int:
    return int(time.time() // 86400)


def _mac(user_id: int, package_uuid, day: int) -> str:
    value = f"{user_id}:{package_uuid}:{day}"
    return salted_hmac("courses.package_access.h5p", value, algorithm="sha256").hexdigest()[:32]


def h5p_files_grant(*, user, package_uuid) -> str:
    """The grant segment for `user`'s player of the package today."""
    day = _day()
    return f"{user.pk}.{day}.{_mac(user.pk, package_uuid, day)}"


def h5p_grant_valid(grant: str | None, package_uuid) -> bool:
    """Whether `grant` was made by `h5p_files_grant` for this package today or yesterday."""
    try:
        user_id, day, mac = (grant or "").split(".")
        user_id, day = int(user_id), int(day)
    except ValueError:
        return False
    if not 0 <= _day() - day <= 1:
        return False
    return hmac.compare_digest(mac, _mac(user_id, package_uuid, day))
