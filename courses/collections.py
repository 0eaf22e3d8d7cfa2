"""Collections per unit: setting them up, who belongs to them, and who may download what.

A trainer scoped anywhere in a root org unit's subtree (a commune of Gia Lai, Gia Lai itself)
belongs to that unit's group, which may add, change, delete and choose documents and images in
the unit's collection. Every trainer may choose (not change) what is in the national
collection. Documents in a unit's collection are private to the people who may manage or
choose them there (and administrators); the national collection and anything outside the unit
collections are public, as Wagtail serves them.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, CollectionViewRestriction, GroupCollectionPermission

from people.models import OrgUnit, Scope

from .models import UnitCollection

MEDIA_MODELS = (("wagtaildocs", "document"), ("wagtailimages", "image"))
UNIT_ACTIONS = ("add", "change", "delete", "choose")
NATIONAL_NAME = "Thư viện chung (toàn quốc)"
GROUP_PREFIX = "Giảng viên · "


def _permissions(actions) -> list[Permission]:
    return list(
        Permission.objects.filter(
            content_type__app_label__in=[app for app, _ in MEDIA_MODELS],
            codename__in=[f"{action}_{model}" for action in actions for _, model in MEDIA_MODELS],
        )
    )


def _grant(group: Group, collection: Collection, permissions) -> int:
    created = 0
    for permission in permissions:
        _, made = GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission
        )
        created += made
    return created


@transaction.atomic
def national_collection_setup(*, trainers: Group) -> int:
    """The shared national collection: every trainer chooses from it, administrators fill it."""
    link = UnitCollection.objects.filter(national=True).select_related("collection").first()
    created = 0
    if link is None:
        collection = Collection.get_first_root_node().add_child(name=NATIONAL_NAME)
        link = UnitCollection.objects.create(national=True, collection=collection)
        created += 1
    return created + _grant(trainers, link.collection, _permissions(["choose"]))


@transaction.atomic
def unit_collection_setup(*, unit: OrgUnit) -> UnitCollection:
    """The collection, group, permissions and download restriction of a root unit; safe to
    re-run (a renamed unit renames its collection)."""
    link = UnitCollection.objects.filter(org_unit=unit).select_related("collection").first()
    if link is None:
        collection = Collection.get_first_root_node().add_child(name=unit.name)
        group, _ = Group.objects.get_or_create(name=f"{GROUP_PREFIX}{unit.code}")
        link = UnitCollection.objects.create(org_unit=unit, collection=collection, group=group)
    elif link.collection.name != unit.name:
        link.collection.name = unit.name
        link.collection.save(update_fields=["name"])
    _grant(link.group, link.collection, _permissions(UNIT_ACTIONS))
    # Wagtail's own privacy setting on the collection (shown in the admin), on top of the
    # serve hook: only this unit's trainers (and administrators) download its documents.
    restriction, _ = CollectionViewRestriction.objects.get_or_create(
        collection=link.collection,
        defaults={"restriction_type": CollectionViewRestriction.GROUPS},
    )
    restriction.groups.add(link.group)
    return link


@transaction.atomic
def unit_collections_setup(*, trainers: Group) -> int:
    """Collections for the national library and every root unit; takes the old site-wide
    document and image rights away from the Trainers group, and moves each document or image
    left in the root collection into the unit of the trainer who uploaded it (when that is one
    unit). Returns how many permissions and collections were created."""
    created = national_collection_setup(trainers=trainers)
    existing = set(UnitCollection.objects.values_list("org_unit_id", flat=True))
    for unit in OrgUnit.objects.filter(depth=1):
        created += unit.pk not in existing
        unit_collection_setup(unit=unit)
    root = Collection.get_first_root_node()
    GroupCollectionPermission.objects.filter(
        group=trainers, collection=root, permission__in=_permissions(UNIT_ACTIONS)
    ).delete()
    _adopt_root_media(root)
    _private_images_renamed()
    return created


def _private_images_renamed() -> None:
    """Images already in a unit's collection before images were private get their private
    names (courses.images), so none keeps a public media URL."""
    from django.db.models import Q
    from wagtail.images import get_image_model

    from .images import image_privacy_sync

    paths = [link.collection.path for link in _unit_links()]
    if not paths:
        return
    inside = Q()
    for path in paths:
        inside |= Q(collection__path__startswith=path)
    images = get_image_model().objects.filter(inside).exclude(file__contains="/pv-")
    for image in images.select_related("collection"):
        image_privacy_sync(image=image)


def _adopt_root_media(root: Collection) -> None:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    links = {link.org_unit.path: link.collection for link in _unit_links()}
    for model in (get_document_model(), get_image_model()):
        uploaders = (
            model.objects.filter(collection=root, uploaded_by_user__isnull=False)
            .values_list("uploaded_by_user_id", flat=True)
            .distinct()
        )
        for user_id in uploaders:
            roots = _root_paths(user_id)
            if len(roots) == 1 and roots[0] in links:
                model.objects.filter(collection=root, uploaded_by_user_id=user_id).update(
                    collection=links[roots[0]]
                )


def _unit_links():
    return UnitCollection.objects.filter(national=False).select_related("org_unit", "collection")


def _root_paths(user_id: int) -> list[str]:
    paths = Scope.objects.filter(user_id=user_id, role=Scope.Role.TRAINER).values_list(
        "org_unit__path", flat=True
    )
    return sorted({path[: OrgUnit.steplen] for path in paths})


@transaction.atomic
def user_unit_groups_sync(*, user) -> None:
    """Make a user's unit groups match their trainer scopes (each scope's root unit); runs on
    every Scope save and delete. A root unit without its collection gets one here."""
    roots = _root_paths(user.pk)
    wanted = []
    for unit in OrgUnit.objects.filter(depth=1, path__in=roots):
        wanted.append(unit_collection_setup(unit=unit).group_id)
    unit_groups = UnitCollection.objects.filter(national=False).values_list("group_id", flat=True)
    user.groups.remove(*Group.objects.filter(pk__in=unit_groups).exclude(pk__in=wanted))
    user.groups.add(*Group.objects.filter(pk__in=wanted))


def collection_is_private(collection) -> bool:
    """A unit's collection (or one below it) is private to that unit: its documents and
    images are not for everyone."""
    top = collection.path[: Collection.steplen * 2]
    return UnitCollection.objects.filter(national=False, collection__path=top).exists()


def document_is_private(document) -> bool:
    """A document in a unit's collection (or below it) is private to that unit."""
    return collection_is_private(document.collection)


def document_visible_to(user, document) -> bool:
    """Whether `user` may download `document`: anyone for a public one; for a private one an
    administrator or someone who may manage or choose it in its collection."""
    if not document_is_private(document):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(type(document))
    return policy.user_has_any_permission_for_instance(
        user, ["change", "delete", "choose"], document
    )


def package_collection_for(user):
    """The collection a package uploaded by `user` joins: their unit's when they are a trainer
    of exactly one root unit, else None (administrators, the command line: shared)."""
    if user is None or not user.is_authenticated:
        return None
    roots = _root_paths(user.pk)
    if len(roots) != 1:
        return None
    link = _unit_links().filter(org_unit__path=roots[0]).first()
    return link.collection if link else None


def packages_visible_to(user, queryset):
    """H5P and SCORM packages a user sees in the admin: all for an administrator; for others
    the shared ones (no collection, or the national library's) and their units' collections
    (subcollections included)."""
    from django.db.models import Q

    if user.is_superuser:
        return queryset
    own = UnitCollection.objects.filter(
        Q(national=True) | Q(group__in=user.groups.all())
    ).values_list("collection__path", flat=True)
    visible = Q(collection__isnull=True)
    for path in own:
        visible |= Q(collection__path__startswith=path)
    return queryset.filter(visible)
