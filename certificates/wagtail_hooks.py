"""Wagtail admin: certificate templates as snippets (with a PDF preview), and a menu entry
to the certificates screens for administrators and managers."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CertificateTemplate
from .selectors import user_manages_certificates


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "is_default", "issuer_name", "serial_prefix"]


register_snippet(CertificateTemplateViewSet)


class CertificatesMenuItem(MenuItem):
    def is_shown(self, request):
        return user_manages_certificates(request.user)


@hooks.register("register_admin_menu_item")
def certificates_menu_item():
    return CertificatesMenuItem(
        _("Certificates"), reverse("certificates:manage_list"), icon_name="doc-full", order=300
    )
