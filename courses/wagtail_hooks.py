from wagtail.snippets.models import register_snippet

from .h5p.admin import H5PPackageViewSet

register_snippet(H5PPackageViewSet)
