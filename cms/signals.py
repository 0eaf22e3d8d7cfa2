"""Saving site settings refreshes the cached copy (see cms.context_processors)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from core.middleware import content_version_bump

from .models import SiteSettings


@receiver(post_save, sender=SiteSettings)
def site_settings_saved(sender, created, **kwargs):
    # A new row replaces nothing that could be cached (settings are created on first read).
    if not created:
        content_version_bump()
