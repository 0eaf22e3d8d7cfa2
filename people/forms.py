"""The learner's profile form. The commune is chosen by typing its name, not from a list."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import nfc, search_key

from .models import EthnicGroup, OrgUnit, Profile, TargetGroup
from .selectors import MAX_QUERY_CHARS, SELECTABLE_KINDS

ID_PATTERN = re.compile(r"[0-9]{1,18}")
# How commune-level names begin, accent-free: "Xã", "Phường", "Đặc khu", and the former
# "Thị trấn"; a learner may leave it out.
UNIT_PREFIXES = ("xa", "phuong", "dac khu", "thi tran")


class OrgUnitSearchWidget(forms.Widget):
    """A search box that fills a hidden unit id (static/js/unit-search.js).

    Without JavaScript the typed name is still sent and resolved on the server when it matches
    exactly one commune.
    """

    template_name = "people/widgets/org_unit_search.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.initial_label = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["query_name"] = f"{name}_query"
        context["widget"]["label"] = (
            value.get("query", "") if isinstance(value, dict) else self.initial_label
        )
        return context

    def value_from_datadict(self, data, files, name):
        return {"id": data.get(name, ""), "query": data.get(f"{name}_query", "")}

    def format_value(self, value):
        if isinstance(value, dict):
            return value.get("id") or ""
        return "" if value is None else str(value)


class OrgUnitSearchField(forms.Field):
    widget = OrgUnitSearchWidget
    default_error_messages = {
        "required": _("Type the name of your commune or ward and choose it from the list."),
        "invalid": _("This unit does not exist or no longer exists. Choose one from the list."),
        "ambiguous": _("Several units are called “%(query)s”. Choose the right one from the list."),
        "not_found": _("No commune or ward called “%(query)s”. Check the spelling."),
    }

    def to_python(self, value):
        if not value:
            return None
        if not isinstance(value, dict):
            value = {"id": value, "query": ""}
        unit_id, query = str(value.get("id") or "").strip(), nfc(value.get("query") or "")
        units = OrgUnit.objects.filter(valid_to__isnull=True, kind__in=SELECTABLE_KINDS)
        if unit_id:
            if not ID_PATTERN.fullmatch(unit_id):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            unit = units.filter(pk=int(unit_id)).first()
            if unit is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            return unit
        if not query:
            return None
        matches = _units_named(units, query)
        if not matches:
            raise forms.ValidationError(
                self.error_messages["not_found"], code="not_found", params={"query": query}
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"query": query}
            )
        return matches[0]


def _units_named(units, query: str) -> list[OrgUnit]:
    """Units a typed name means (used when the page ran without JavaScript).

    Accepts the name with or without its prefix ("Ia Grai", "Xã Ia Grai") and the search
    list's label, which adds the province after a comma ("Xã Ia Grai, Gia Lai").
    """
    name, *context = [part for part in (p.strip() for p in query.split(",")) if part]
    key = search_key(name)[:MAX_QUERY_CHARS]
    matches = list(
        units.filter(search_name__in=[key, *(f"{prefix} {key}" for prefix in UNIT_PREFIXES)])[:20]
    )
    if context and matches:
        province = search_key(context[-1])
        roots = {
            unit.path: unit.search_name
            for unit in OrgUnit.objects.filter(
                path__in={m.path[: OrgUnit.steplen] for m in matches}
            ).only("path", "search_name")
        }
        matches = [
            m for m in matches if roots.get(m.path[: OrgUnit.steplen], "").endswith(province)
        ]
    return matches


class ProfileForm(forms.ModelForm):
    org_unit = OrgUnitSearchField(label=_("Commune / ward where you live or work"))
    target_groups = forms.ModelMultipleChoiceField(
        label=_("You are (choose all that apply)"),
        queryset=TargetGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    ethnic_group = forms.ModelChoiceField(
        label=_("Ethnic group"),
        queryset=EthnicGroup.objects.all(),
        required=False,
        empty_label=_("— choose —"),
    )

    class Meta:
        model = Profile
        fields = [
            "full_name",
            "gender",
            "birth_year",
            "ethnic_group",
            "org_unit",
            "target_groups",
            "position",
            "phone",
            "preferred_language",
        ]
        widgets = {
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        help_texts = {"full_name": _("As on your ID card, with diacritics.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        if self.instance and self.instance.org_unit_id:
            from .selectors import unit_label

            self.fields["org_unit"].widget.initial_label = unit_label(self.instance.org_unit)

    def clean_full_name(self):
        name = nfc(self.cleaned_data.get("full_name", ""))
        if len(name) < 2:
            raise forms.ValidationError(_("Enter your full name."))
        return name

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        this_year = datetime.date.today().year
        if year is not None and not (this_year - 100 <= year <= this_year - 10):
            raise forms.ValidationError(
                _("Enter a birth year between %(low)s and %(high)s.")
                % {"low": this_year - 100, "high": this_year - 10}
            )
        return year

    def clean_phone(self):
        return re.sub(r"[\s.\-()]", "", self.cleaned_data.get("phone", ""))
