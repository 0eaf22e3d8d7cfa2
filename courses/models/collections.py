"""Content per province: the Wagtail collection of each root org unit (a province, a ministry)
and the admin group of the trainers scoped in it, plus the one shared national collection.

Trainers add, edit, delete and choose the documents and images of their own unit's collection
(its subcollections included) and only choose from the national one; documents in a unit's
collection are private: `courses.collections.document_visible_to` decides who may download
them (`before_serve_document` in courses.wagtail_hooks).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UnitCollection(models.Model):
    org_unit = models.OneToOneField(
        "people.OrgUnit",
        verbose_name=_("organisational unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty for the shared national collection."),
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection", on_delete=models.CASCADE, related_name="unit_link"
    )
    national = models.BooleanField(default=False, editable=False)
    group = models.OneToOneField(
        "auth.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("unit collection")
        verbose_name_plural = _("unit collections")
        constraints = [
            # One national collection, the only row without a unit; every unit has its group.
            models.UniqueConstraint(
                fields=["national"], condition=Q(national=True), name="unitcollection_one_national"
            ),
            models.CheckConstraint(
                condition=Q(national=True, org_unit__isnull=True)
                | Q(national=False, org_unit__isnull=False, group__isnull=False),
                name="unitcollection_national_or_unit",
            ),
        ]

    def __str__(self):
        return str(self.collection)
