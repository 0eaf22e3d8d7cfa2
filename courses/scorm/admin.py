"""SCORM packages in the Wagtail admin: a snippet whose "add" form takes a SCORM zip.

Adding validates the file in the form (every reason in the user's language) and imports it
through `scorm_package_import`; only administrators may add packages (they are code that runs
at our origin). Editing changes the title only. Trainers see the list and choose packages in
lessons (the SCORM block).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList, Panel
from wagtail.log_actions import log
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from ..collections import package_collection_for
from ..models import ScormPackage
from ..package_admin import ScopedPackagesMixin
from .packages import may_upload, scorm_package_import
from .validation import scorm_package_validate


class ScormPackageForm(WagtailAdminModelForm):
    package_file = forms.FileField(
        label=_("SCORM package (.zip)"),
        required=False,
        help_text=_(
            "A SCORM 1.2 or SCORM 2004 package: a .zip with imsmanifest.xml at its root. "
            "Only administrators may add packages."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["title"].required = False
            self.fields["title"].help_text = _("Leave empty to use the title in the package.")

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            return cleaned
        if not may_upload(getattr(self, "for_user", None)):
            self.add_error(
                None, _("Only an administrator may add SCORM packages (they contain code).")
            )
            return cleaned
        upload = cleaned.get("package_file")
        if not upload:
            self.add_error("package_file", _("Choose a SCORM package (.zip)."))
            return cleaned
        try:
            scorm_package_validate(upload)
        except ValidationError as error:
            self.add_error("package_file", error)
        return cleaned


class UploadPanel(FieldPanel):
    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return self.instance.pk is None and super().is_shown()


class PackageInfoPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/scorm/admin_info_panel.html"

        def is_shown(self):
            return self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["package"] = self.instance
            return context


class ScormPackageCreateView(CreateView):
    def save_instance(self):
        form = self.form
        package = scorm_package_import(
            upload=form.cleaned_data["package_file"],
            user=self.request.user,
            title=form.cleaned_data.get("title") or "",
            collection=form.cleaned_data.get("collection")
            or package_collection_for(self.request.user),
        )
        log(instance=package, action="wagtail.create", user=self.request.user)
        form.instance = package
        return package

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:  # e.g. a member that unpacks to more than declared
            form.add_error("package_file", error)
            return self.form_invalid(form)


class ScormPackageViewSet(ScopedPackagesMixin, SnippetViewSet):
    model = ScormPackage
    icon = "media"
    menu_label = _("SCORM packages")
    menu_order = 310
    add_to_admin_menu = True
    add_view_class = ScormPackageCreateView
    list_display = ["title", "version", "uploaded_by", "created_at"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [
            UploadPanel("package_file"),
            FieldPanel("title"),
            FieldPanel("collection"),
            PackageInfoPanel(heading=_("Package")),
        ],
        base_form_class=ScormPackageForm,
    )
