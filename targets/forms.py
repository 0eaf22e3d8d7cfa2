"""Forms: the admin forms (unit choices limited to the manager's scope), dashboard filters and
the population upload."""

import html

from django import forms
from django.core.cache import cache
from django.utils.choices import BaseChoiceIterator, normalize_choices
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from core.cache import UNKNOWN_VERSION, Version
from courses.models import CoursePage, Topic
from courses.translation import sources
from people.models import EthnicGroup, Profile, Scope, TargetGroup
from people.selectors import units_visible_to

from .models import Population, ReportDeadline, TrainingTarget


class ScopedUnitFormMixin:
    """Offer only units inside the editing user's manager scopes (administrators: all)."""

    unit_field = "scope_unit"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get(self.unit_field)
        if field is not None and self.for_user is not None:
            field.queryset = units_visible_to(self.for_user, role=Scope.Role.MANAGER).order_by(
                "path"
            )


class TrainingTargetForm(ScopedUnitFormMixin, WagtailAdminModelForm):
    class Meta:
        model = TrainingTarget
        fields = [
            "name",
            "description",
            "scope_unit",
            "target_groups",
            "ethnic_group",
            "any_minority",
            "gender",
            "courses",
            "topic",
            "target_percent",
            "deadline",
            "reporting_year",
            "owner",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courses"].queryset = sources(CoursePage.objects).order_by("title")
        self.fields["target_groups"].widget = forms.CheckboxSelectMultiple(
            choices=self.fields["target_groups"].choices
        )
        self.fields["owner"].required = False

    def clean(self):
        data = super().clean()
        courses, topic = data.get("courses"), data.get("topic")
        if courses is not None and bool(courses) == bool(topic):
            raise forms.ValidationError(
                _("Choose either the courses that count or a topic, not both and not neither.")
            )
        if data.get("any_minority") and data.get("ethnic_group"):
            raise forms.ValidationError(
                _("Choose one ethnic group or “any minority ethnic group”, not both.")
            )
        return data


class PopulationForm(ScopedUnitFormMixin, WagtailAdminModelForm):
    unit_field = "org_unit"

    class Meta:
        model = Population
        fields = ["org_unit", "target_group", "year", "ethnic_group", "gender", "count"]


class ReportDeadlineForm(ScopedUnitFormMixin, WagtailAdminModelForm):
    unit_field = "unit"

    class Meta:
        model = ReportDeadline
        fields = ["year", "level", "unit", "due_date"]

    def clean_unit(self):
        unit = self.cleaned_data.get("unit")
        if unit is None and self.for_user is not None and not self.for_user.is_superuser:
            raise forms.ValidationError(_("Choose one of your units."))
        return unit


class SharedChoices(BaseChoiceIterator):
    """Choices normalised once and shared by every form of the process, with their <option>
    markup escaped once per language. Django normalises a list of choices on every
    assignment and deep-copies it with every form: for the filter bar's hundred options that
    was most of the form's cost on every view of a target page. Never changed in place: new
    choices are a new object (see `filter_choices`)."""

    def __init__(self, choices):
        self.choices = normalize_choices(list(choices))
        self._options: dict[str, tuple[tuple[str, str, str], ...]] = {}

    def __iter__(self):
        return iter(self.choices)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def options(self) -> tuple[tuple[str, str, str], ...]:
        """Per option: its value as text, the escaped markup before where " selected" goes,
        and after it, in the active language (the labels may be lazy translations)."""
        language = get_language()
        options = self._options.get(language)
        if options is None:
            options = self._options[language] = tuple(
                (
                    str(key),
                    f'<option value="{html.escape(str(key))}"',
                    f">{html.escape(str(label))}</option>",
                )
                for key, label in self.choices
            )
        return options


class QuickSelect(forms.Select):
    """A <select> drawn in Python: Django draws each <option> through a template, and the
    filter bar's five selects (a hundred options) cost more than the figures of a province
    page (bench/README.md, "Targets"). Same markup, no option groups (none are used here)."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = "" if value is None else str(value)
        choices = self.choices
        if isinstance(choices, SharedChoices):  # escaped once: only the selected mark here
            options = "".join(
                f"{head} selected{tail}" if key == selected else head + tail
                for key, head, tail in choices.options()
            )
        else:
            # f-strings with `html.escape` per text (what Django's `escape` calls, without
            # its lazy-string wrapper): format_html per option was most of this widget's
            # time, and this is the same markup.
            options = []
            for key, label in choices:
                key = str(key)
                mark = " selected" if key == selected else ""
                options.append(
                    f'<option value="{html.escape(key)}"{mark}>{html.escape(str(label))}</option>'
                )
            options = "".join(options)
        attributes = _attributes(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        return mark_safe(f"<select{attributes}>{options}</select>")  # every text is escaped


def _attributes(attrs: dict) -> str:
    """`flatatt`'s markup with `html.escape` per text: its two format_html_join calls were
    most of what was left of the filter bar's cost once the options were escaped once
    (bench/README.md, "Targets"). Same order: valued attributes by name, then the true
    booleans by name; False and None are left out."""
    valued = sorted(
        (key, value)
        for key, value in attrs.items()
        if not isinstance(value, bool) and value is not None
    )
    flags = sorted(key for key, value in attrs.items() if value is True)
    return "".join(
        f' {html.escape(key)}="{html.escape(str(value))}"' for key, value in valued
    ) + "".join(f" {html.escape(key)}" for key in flags)


class QuickNumberInput(forms.NumberInput):
    """Django's number input drawn in Python: the same markup as its two templates
    (django/forms/widgets/input.html and attrs.html), without a template render per view."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<input type="{html.escape(widget["type"])}" name="{html.escape(name)}"']
        if widget["value"] is not None:
            parts.append(f' value="{html.escape(str(widget["value"]))}"')
        for key, attribute in widget["attrs"].items():
            if attribute is True:
                parts.append(f" {html.escape(key)}")
            elif attribute is not False:
                parts.append(f' {html.escape(key)}="{html.escape(str(attribute))}"')
        return mark_safe("".join(parts) + ">")  # every text is escaped


# --- the filters' reference lists, cached ----------------------------------------------------
# Target groups, ethnic groups and courses change a few times a year; a province page read them
# with three queries on every view. They are read together from the shared cache under one
# version that saving or deleting any of them bumps (targets.signals), and from the database
# when the cache cannot be read.
REFERENCE = Version("targets:reference-version")
REFERENCE_SECONDS = 24 * 3600


def _reference_lists() -> dict[str, list[tuple[str, str]]]:
    return {
        "target_group": [
            (str(pk), name) for pk, name in TargetGroup.objects.values_list("pk", "name")
        ],
        "ethnic_group": [
            (str(pk), name) for pk, name in EthnicGroup.objects.values_list("pk", "name")
        ],
        "course": [
            (str(pk), title)
            for pk, title in sources(CoursePage.objects)
            .order_by("title")
            .values_list("pk", "title")
        ],
    }


def reference_lists() -> dict[str, list[tuple[str, str]]]:
    """The filters' (value, label) lists: two cache reads, or three queries on a miss."""
    return _reference_lists_at(REFERENCE.current())


def _reference_lists_at(version: int) -> dict[str, list[tuple[str, str]]]:
    if version == UNKNOWN_VERSION:
        return _reference_lists()
    key = f"targets:filter-lists:{version}"
    lists = cache.get(key)
    if lists is None:
        lists = _reference_lists()
        cache.set(key, lists, REFERENCE_SECONDS)
    return lists


# The filter bar's choices of the current reference version, built once per process: a view
# reads only the version (one cache read); the lists themselves when it changes.
_SHARED: dict[int, dict[str, SharedChoices]] = {}


def filter_choices() -> dict[str, SharedChoices]:
    """The choices of the filters whose options are reference data, as `SharedChoices`."""
    version = REFERENCE.current()
    shared = _SHARED.get(version)
    if shared is None:
        lists = _reference_lists_at(version)
        shared = {
            "target_group": SharedChoices([("", _("The target's groups")), *lists["target_group"]]),
            "ethnic_group": SharedChoices(
                [
                    ("", _("All ethnic groups")),
                    (FilterForm.MINORITY, _("Any minority ethnic group")),
                    *lists["ethnic_group"],
                ]
            ),
            "course": SharedChoices([("", _("All courses that count")), *lists["course"]]),
        }
        if version != UNKNOWN_VERSION:  # the cache cannot be read: not kept either
            _SHARED.clear()  # an older version's lists are never read again
            _SHARED[version] = shared
    return shared


def reference_bump() -> None:
    """The filters' lists are read again once the current transaction commits."""
    REFERENCE.bump_after_commit()


class FilterForm(forms.Form):
    """Dashboard filters (GET). Empty fields keep the target's own settings."""

    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=QuickNumberInput,
    )
    # The choices of these three are set per form from `filter_choices()`.
    target_group = forms.ChoiceField(label=_("Target group"), required=False, widget=QuickSelect)
    MINORITY = "minority"
    ethnic_group = forms.ChoiceField(label=_("Ethnic group"), required=False, widget=QuickSelect)
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=SharedChoices([("", _("All genders")), *Profile.Gender.choices]),
        required=False,
        widget=QuickSelect,
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=SharedChoices([("", _("All topics")), *Topic.choices]),
        required=False,
        widget=QuickSelect,
    )
    course = forms.ChoiceField(label=_("Course"), required=False, widget=QuickSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in filter_choices().items():
            self.fields[name].choices = choices

    def chips(self) -> list[tuple[str, str]]:
        """The active filters as (label, the field's name) for removable chips: valid,
        non-empty values only (what the figures are counted under). No query of its own: the
        choices are the form's own lists."""
        if not self.is_bound or not self.is_valid():
            return []
        chips = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            if isinstance(field, forms.ChoiceField):
                text = str(dict(field.choices).get(value, value))
            else:
                text = str(value)
            chips.append((f"{field.label}: {text}", name))
        return chips

    def overrides(self) -> dict:
        """Criteria overrides from valid input (invalid input is ignored, never a 500)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "year": data.get("year"),
            "target_group_id": int(data["target_group"]) if data.get("target_group") else None,
            "ethnic_group_id": int(data["ethnic_group"])
            if data.get("ethnic_group") not in ("", None, self.MINORITY)
            else None,
            "minority": data.get("ethnic_group") == self.MINORITY,
            "gender": data.get("gender") or "",
            "topic": data.get("topic") or "",
            "course_id": int(data["course"]) if data.get("course") else None,
        }


class PopulationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: unit_code, target_group, year, count, and optionally ethnic_group and "
            "gender (a header row first)."
        ),
    )
