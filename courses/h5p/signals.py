"""A deleted package's content folder goes once the deletion commits (libraries are shared)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from ..models import H5PPackage
from .packages import h5p_package_delete_files


@receiver(post_delete, sender=H5PPackage)
def package_files_remove(sender, instance, **kwargs):
    from core.middleware import content_version_bump

    uuid = instance.uuid
    content_version_bump()  # cached lesson activities must not point at it any more
    transaction.on_commit(lambda: h5p_package_delete_files(package_uuid=uuid))
