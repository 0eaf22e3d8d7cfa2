"""Where image renditions are stored and which address each one gets.

A rendition's file name starts with its original's (Wagtail names renditions after the
original file), and an original in a unit's private collection is named `pv-<token>-...`
(`courses.images.image_privacy_sync`). So the name alone, with no query, tells a private
rendition from a public one: a public rendition keeps its media URL (the web server's fast
path, /media/images/), a private one gets the address of `courses.images.private_image`, which
checks who asks. The web server never serves /media/images/pv-* itself (deploy/nginx).

This module is loaded while Wagtail's models are built (the rendition field's storage), so it
imports no models.
"""

import posixpath

from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

PRIVATE_PREFIX = "pv-"


def is_private_name(name: str) -> bool:
    """Whether a stored image file name (a rendition's or an original's) is a private one."""
    return posixpath.basename(name).startswith(PRIVATE_PREFIX)


class PrivateRenditionURLs:
    """A storage whose private renditions are addressed through the app's checking view."""

    def url(self, name):
        if is_private_name(name):
            from django.urls import reverse

            return reverse("courses:private_image", args=[posixpath.basename(name)])
        return super().url(name)


class FileSystemRenditionStorage(PrivateRenditionURLs, FileSystemStorage):
    """Local disk (the embedded default and one-machine installations)."""


class S3RenditionStorage(PrivateRenditionURLs, S3Storage):
    """S3-compatible object storage: public renditions keep their signed URLs."""
