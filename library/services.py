"""Writes of the library room: the archive's moderation setup (groups, permissions, the
workflow), safe to re-run from `seed_demo`, `bootstrap` or `manage.py library_setup`."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from people.services import ROLE_GROUPS

from .models import CultureArchiveIndexPage, LibraryIndexPage, ScopedApprovalTask

MODERATORS = "Culture moderators"
WORKFLOW_NAME = "Culture archive moderation"


def _page_permission(codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


@transaction.atomic
def culture_moderation_setup() -> dict:
    """Contributors (the Trainers and Managers groups) may add and edit archive entries but
    only submit them for moderation; the Culture moderators group may also publish, and approves
    submissions in its manager scope through one workflow assigned to every archive index.
    Trainers also add and edit library items (publishing them too, as they do courses)."""
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    moderators.permissions.add(access_admin)
    contributors = [Group.objects.get_or_create(name=name)[0] for name in ROLE_GROUPS.values()]
    for group in contributors:
        group.permissions.add(access_admin)
    grants = [(group, ["add_page", "change_page", "view_page"]) for group in contributors]
    grants.append((moderators, ["add_page", "change_page", "publish_page", "view_page"]))
    created = 0
    archives = list(CultureArchiveIndexPage.objects.all())
    for archive in archives:
        for group, codenames in grants:
            for codename in codenames:
                created += GroupPagePermission.objects.get_or_create(
                    group=group, page=archive, permission=_page_permission(codename)
                )[1]
    trainers = Group.objects.get(name=ROLE_GROUPS["trainer"])
    for library in LibraryIndexPage.objects.all():
        for codename in ("add_page", "change_page", "publish_page", "view_page"):
            created += GroupPagePermission.objects.get_or_create(
                group=trainers, page=library, permission=_page_permission(codename)
            )[1]
    root = Collection.get_first_root_node()
    for group in [moderators, *contributors]:
        for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
            for action in ("add", "choose"):
                created += GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root,
                    permission=Permission.objects.get(
                        content_type__app_label=app, codename=f"{action}_{model}"
                    ),
                )[1]
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = ScopedApprovalTask.objects.filter(name="Moderator approval").first()
    if task is None:
        task = ScopedApprovalTask.objects.create(name="Moderator approval")
        task.groups.add(moderators)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for archive in archives:
        WorkflowPage.objects.update_or_create(page=archive, defaults={"workflow": workflow})
    return {"permissions": created, "archives": len(archives)}
