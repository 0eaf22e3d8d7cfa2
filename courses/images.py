"""Private images: the images of a unit's collection (attendance photos, a class's pictures)
are shown only to who may see them.

An original in a unit's collection is stored as `original_images/pv-<token>-<name>`, so every
rendition of it is named `images/pv-<token>-...` (`courses.image_storage`): such a rendition is
addressed through `private_image` below, which serves it only to

- administrators and the people who may change or choose it in its collection (its unit's
  trainers);
- anyone, when a live page that is not a lesson and has no view restriction uses it (a course
  cover in the public catalogue);
- a learner enrolled in the course of a live lesson that uses it (Wagtail's reference index
  says which pages use an image).

Everyone else gets a 404, so a guessed address tells nothing. Public images (the national
collection, anything outside the unit collections) keep their plain media URLs and the web
server's fast path. Moving an image between a unit's collection and a public one renames its
original and drops its renditions, which are made again under the new name when next used.
"""

import re
import secrets

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, ReferenceIndex

from .collections import collection_is_private
from .image_storage import PRIVATE_PREFIX, is_private_name

_MARK = re.compile(rf"^{re.escape(PRIVATE_PREFIX)}([0-9a-f]{{16}})-")


def image_visible_to(user, image) -> bool:
    """Whether `user` may see `image` (any rendition of it); the rules are the module's."""
    if not collection_is_private(image.collection):
        return True
    if user.is_authenticated and user.is_active:
        if user.is_superuser:
            return True
        from wagtail.permissions import policy_registry

        policy = policy_registry.get_by_type(type(image))
        if policy.user_has_any_permission_for_instance(user, ["change", "choose"], image):
            return True
    return _used_where_user_may_see(user, image)


def _used_where_user_may_see(user, image) -> bool:
    from .models import Enrolment, LessonPage

    page_ids = ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(get_image_model()),
        to_object_id=str(image.pk),
        base_content_type=ContentType.objects.get_for_model(Page),
    ).values("object_id")
    pages = list(
        Page.objects.live()
        .filter(pk__in=[int(pk) for pk in page_ids.values_list("object_id", flat=True)])
        .values_list("path", "content_type_id")
    )
    if not pages:
        return False
    lesson_type = ContentType.objects.get_for_model(LessonPage).pk
    public = [path for path, kind in pages if kind != lesson_type]
    if public:
        ancestors = {
            path[:end]
            for path in public
            for end in range(Page.steplen, len(path) + 1, Page.steplen)
        }
        restricted = set(
            PageViewRestriction.objects.filter(page__path__in=ancestors).values_list(
                "page__path", flat=True
            )
        )
        for path in public:
            if not any(path.startswith(r) for r in restricted):
                return True
    if not user.is_authenticated:
        return False
    courses = {path[: -Page.steplen] for path, kind in pages if kind == lesson_type}
    return Enrolment.objects.filter(user=user, course__path__in=courses).exists()


def image_privacy_sync(*, image) -> bool:
    """Give the original the private name when the image is in a unit's collection and the
    plain name when it is not; on a change the renditions go (they are made again under the
    new name). Returns whether the file was renamed."""
    private = collection_is_private(image.collection)
    if private == is_private_name(image.file.name):
        return False
    old = image.file.name
    base = old.rsplit("/", 1)[-1]
    base = f"{PRIVATE_PREFIX}{secrets.token_hex(8)}-{base}" if private else _MARK.sub("", base)
    with image.open_file() as source:
        content = source.read()
    # Saving a file resets the image's dimension fields on the instance; the picture is the same.
    kept = {field: getattr(image, field) for field in ("width", "height", "file_size")}
    image.file.save(base, ContentFile(content), save=False)
    for field, value in kept.items():
        setattr(image, field, value)
    type(image).objects.filter(pk=image.pk).update(file=image.file.name)
    image.file.storage.delete(old)
    for rendition in image.renditions.all():
        # Now, not on commit (Wagtail's own clean-up): the old name must stop answering.
        rendition.file.delete(save=False)
        rendition.delete()
    return True


@require_GET
def private_image(request, name: str):
    """A private rendition, to who may see its image (else 404, as for a missing one)."""
    found = _MARK.match(name)
    if found is None:
        raise Http404
    image = (
        get_image_model()
        .objects.select_related("collection")
        .filter(file__startswith=f"original_images/{found.group(0)}")
        .first()
    )
    if image is None:
        raise Http404
    rendition = image.renditions.filter(file=f"images/{name}").first()
    if rendition is None or not image_visible_to(request.user, image):
        raise Http404
    response = FileResponse(rendition.file.open("rb"))
    # The name changes whenever the picture does; only the browser keeps it, never a proxy.
    patch_cache_control(response, private=True, max_age=86400)
    response["X-Content-Type-Options"] = "nosniff"
    return response
