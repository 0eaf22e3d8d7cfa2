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

    def _bump_content_version_on_changes(self):
        """Start a new content version (courses.middleware) whenever published content, a
        Site or a view restriction changes, and on `migrate`, so that no worker reads entries
        that older code cached in another shape."""
        from django.db.models.signals import post_delete, post_migrate, post_save
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .middleware import content_version_bump

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

        from people.text import nfc

        def normalise(sender, instance, **kwargs):
            instance.title = nfc(instance.title)
            if instance.draft_title:
                instance.draft_title = nfc(instance.draft_title)

        for model in get_page_models():
            pre_save.connect(
                normalise, sender=model, weak=False, dispatch_uid=f"lms-nfc-{model._meta.label}"
            )
