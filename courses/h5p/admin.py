"""H5P packages in the Wagtail admin: a snippet whose "add" form takes an `.h5p` file.

Adding validates the file in the form (errors name the file and the rule, in the user's
language) and then imports it through `h5p_package_import`; editing changes only the title
and licence. The edit page shows the main library, the libraries and where the package is used
(Wagtail's reference index, which also powers the usage count in the side panel).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList, Panel
from wagtail.log_actions import log
from wagtail.models import ReferenceIndex
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from ..collections import package_collection_for
from ..models import H5PPackage
from ..package_admin import ScopedPackagesMixin
from .packages import (
    changed_libraries_error,
    changed_library_versions,
    h5p_package_import,
    may_add_libraries,
    new_library_versions,
)
from .validation import package_validate


class H5PPackageForm(WagtailAdminModelForm):
    package_file = forms.FileField(
        label=_("H5P file (.h5p)"),
        required=False,
        help_text=_(
            "The package must bundle its libraries. New library versions can be added only "
            "by an administrator."
        ),
    )

    approve_library_changes = forms.BooleanField(
        label=_("Approve library changes"),
        required=False,
        help_text=_(
            "Administrators only: replace the code of an installed library version with the "
            "package's (every activity using that version will run the new code)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_add_libraries(getattr(self, "for_user", None)):
            self.fields.pop("approve_library_changes", None)
        if self.instance.pk is None:
            self.fields["title"].required = False
            self.fields["title"].help_text = _("Leave empty to use the title in the package.")

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            return cleaned
        upload = cleaned.get("package_file")
        if not upload:
            self.add_error("package_file", _("Choose an .h5p file."))
            return cleaned
        try:
            validated = package_validate(upload)
            changed = changed_library_versions(upload, validated)
            if changed and not cleaned.get("approve_library_changes"):
                raise changed_libraries_error(changed)
            new = new_library_versions(validated)
            if new and not may_add_libraries(getattr(self, "for_user", None)):
                raise ValidationError(
                    [
                        ValidationError(
                            _(
                                "%(library)s %(version)s: this package brings an H5P library "
                                "the site does not have yet; only an administrator may "
                                "upload it."
                            ),
                            code="new_library",
                            params={"library": lib.machine_name, "version": lib.version},
                        )
                        for lib in new
                    ]
                )
        except ValidationError as error:
            self.add_error("package_file", error)
        return cleaned


class UploadPanel(FieldPanel):
    """The file field, shown only when adding a package."""

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return self.instance.pk is None and super().is_shown()


class PackageInfoPanel(Panel):
    """Read-only facts about an imported package, and where it is used."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/h5p/admin_info_panel.html"

        def is_shown(self):
            return self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            package = self.instance
            context["package"] = package
            context["libraries"] = package.libraries.order_by("machine_name")
            context["usage"] = [
                source
                for source, _refs in ReferenceIndex.get_references_to(
                    package
                ).group_by_source_object()
                if source is not None
            ]
            return context


class H5PPackageCreateView(CreateView):
    def save_instance(self):
        form = self.form
        package = h5p_package_import(
            collection=package_collection_for(self.request.user),
            upload=form.cleaned_data["package_file"],
            user=self.request.user,
            title=form.cleaned_data.get("title") or "",
            approve_library_changes=bool(form.cleaned_data.get("approve_library_changes")),
        )
        log(instance=package, action="wagtail.create", user=self.request.user)
        form.instance = package
        return package

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:  # e.g. a zip bomb found while extracting
            form.add_error("package_file", error)
            return self.form_invalid(form)


class H5PPackageViewSet(ScopedPackagesMixin, SnippetViewSet):
    model = H5PPackage
    icon = "pick"
    menu_label = _("H5P activities")
    menu_order = 300
    add_to_admin_menu = True
    add_view_class = H5PPackageCreateView
    list_display = ["title", "main_library", "license", "uploaded_by", "created_at"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [
            UploadPanel("package_file"),
            UploadPanel("approve_library_changes"),
            FieldPanel("title"),
            FieldPanel("license"),
            PackageInfoPanel(heading=_("Package")),
        ],
        base_form_class=H5PPackageForm,
    )
