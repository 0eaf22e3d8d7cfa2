from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from . import checks  # noqa: F401
        from .h5p import signals  # noqa: F401

        self._bump_content_version_on_changes()
        self._normalise_page_titles()
        self._keep_course_hours_in_step()
        self._unit_groups_follow_scopes()
        self._private_images_named_so()
        self._new_catalogues_get_role_permissions()

    def _private_images_named_so(self):
        """An image saved into a unit's collection gets a private file name, one saved into a
        public collection a plain one (courses.images: how its renditions are served)."""
        from django.db.models.signals import post_save
        from wagtail.images import get_image_model

        def sync(sender, instance, raw=False, **kwargs):
            from .images import image_privacy_sync

            if not raw and instance.file:
                image_privacy_sync(image=instance)

        post_save.connect(
            sync, sender=get_image_model(), weak=False, dispatch_uid="lms-private-images"
        )

    def _new_catalogues_get_role_permissions(self):
        """A course catalogue made after `setup_roles` (by hand, or copied into a language's
        tree by the first translation into it, wagtail-localize) gets the role groups' page
        permissions at once: trainers can edit translations without re-running setup_roles."""
        from django.db.models.signals import post_save

        from .models import CourseIndexPage

        def grant(sender, instance, created, raw=False, **kwargs):
            if created and not raw:
                from .services import catalogue_permissions_grant

                catalogue_permissions_grant(index=instance)

        post_save.connect(
            grant, sender=CourseIndexPage, weak=False, dispatch_uid="lms-catalogue-permissions"
        )

    def _unit_groups_follow_scopes(self):
        """A trainer's unit groups (documents and images of their province, courses.collections)
        follow their scopes, wherever the scopes change."""
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from people.models import Scope

        def sync(sender, instance, **kwargs):
            from .collections import user_unit_groups_sync

            user = get_user_model().objects.filter(pk=instance.user_id).first()
            if user is not None:
                user_unit_groups_sync(user=user)

        for signal in (post_save, post_delete):
            signal.connect(
                sync, sender=Scope, weak=False, dispatch_uid=f"lms-unit-groups-{signal!r}"
            )

    def _bump_content_version_on_changes(self):
        """Start a new content version (core.middleware) whenever published content, a
        Site or a view restriction changes, and on `migrate`, so that no worker reads entries
        that older code cached in another shape."""
        from django.db.models.signals import post_delete, post_migrate, post_save
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from core.middleware import content_version_bump

        def bump(**kwargs):
            content_version_bump()

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(bump, weak=False, dispatch_uid=f"lms-page-cache-{signal!r}")
        post_delete.connect(bump, sender=Page, weak=False, dispatch_uid="lms-page-cache-delete")
        post_migrate.connect(bump, sender=self, weak=False, dispatch_uid="lms-page-cache-migrate")
        for signal in (post_save, post_delete):
            for model in (Site, PageViewRestriction):
                signal.connect(
                    bump, sender=model, weak=False, dispatch_uid=f"lms-{model.__name__}-{signal!r}"
                )

    def _normalise_page_titles(self):
        """Every page title is stored NFC, however the editor's keyboard composed it."""
        from django.db.models.signals import pre_save
        from wagtail.models import get_page_models

        from core.text import nfc

        def normalise(sender, instance, **kwargs):
            instance.title = nfc(instance.title)
            if instance.draft_title:
                instance.draft_title = nfc(instance.draft_title)

        for model in get_page_models():
            pre_save.connect(
                normalise, sender=model, weak=False, dispatch_uid=f"lms-nfc-{model._meta.label}"
            )

    def _keep_course_hours_in_step(self):
        """A course's printed hours follow its live required lessons (courses.hours): recount
        whenever a lesson or the course is published, unpublished, moved or deleted."""
        from django.db import transaction
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .models import CoursePage, LessonPage
        from .services import course_hours_refresh

        def refresh_for(page):
            if isinstance(page, CoursePage):
                course = page
            elif isinstance(page, LessonPage):
                course = CoursePage.objects.filter(path=page.path[: -page.steplen]).first()
            else:
                return
            if course is not None:
                course_hours_refresh(course=course)

        def on_change(sender, instance, **kwargs):
            refresh_for(instance)

        def on_move(sender, instance, parent_page_before=None, **kwargs):
            # A lesson moved between courses changes both.
            refresh_for(instance.specific)
            before = parent_page_before.specific if parent_page_before is not None else None
            if isinstance(before, CoursePage):
                course_hours_refresh(course=before)

        def on_delete(sender, instance, **kwargs):
            path = instance.path[: -instance.steplen]
            transaction.on_commit(
                lambda: [
                    course_hours_refresh(course=course)
                    for course in CoursePage.objects.filter(path=path)
                ]
            )

        for model in (CoursePage, LessonPage):
            for signal in (page_published, page_unpublished):
                signal.connect(
                    on_change,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"lms-hours-{signal!r}-{model}",
                )
        post_page_move.connect(on_move, weak=False, dispatch_uid="lms-hours-move")
        post_delete.connect(
            on_delete, sender=LessonPage, weak=False, dispatch_uid="lms-hours-delete"
        )
