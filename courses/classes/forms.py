"""Forms of the class pages. They only parse input; rules live in the services."""

import datetime
import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from core.text import nfc
from people.forms import OrgUnitSearchField
from people.models import EthnicGroup, Profile, Scope, TargetGroup
from people.selectors import units_visible_to, user_is_unrestricted

from ..models import CoursePage
from ..models.classes import ALL_WEEKDAYS, TrainingSession
from ..translation import sources


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SessionForm(forms.ModelForm):
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=CoursePage.objects.none(), empty_label=_("— choose —")
    )
    venue = OrgUnitSearchField(label=_("Venue (commune / ward)"))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Class days of the week"),
        choices=[(str(n), name) for n, name in WEEKDAYS.items()],
        initial=list(ALL_WEEKDAYS),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the days of the week the class meets.")},
    )
    trainers = forms.ModelMultipleChoiceField(
        label=_("Other trainers"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = TrainingSession
        fields = [
            "course",
            "title",
            "venue",
            "address",
            "start_date",
            "end_date",
            "capacity",
            "weekdays",
            "hours_per_day",
            "self_checkin",
            "checkin_mode",
            "trainers",
        ]
        widgets = {
            "checkin_mode": forms.RadioSelect(),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "capacity": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["hours_per_day"].required = False
        self.fields["course"].queryset = sources(CoursePage.objects.live()).order_by("title")
        trainers = get_user_model().objects.filter(scopes__role=Scope.Role.TRAINER)
        if not user_is_unrestricted(user):
            trainers = trainers.filter(
                scopes__org_unit__in=units_visible_to(user, role=Scope.Role.TRAINER)
            )
        self.fields["trainers"].queryset = (
            trainers.exclude(pk=user.pk).select_related("profile").distinct().order_by("username")
        )
        self.fields["trainers"].label_from_instance = lambda u: (
            getattr(u, "profile", None) and u.profile.display_name or u.get_username()
        )
        if self.instance.pk:
            from people.selectors import unit_label

            self.fields["venue"].widget.initial_label = unit_label(self.instance.venue)
            self.initial["venue"] = self.instance.venue_id
            self.initial["weekdays"] = list(self.instance.weekdays)
        self.fields["checkin_mode"].required = False

    def clean_checkin_mode(self):
        # Optional in the form (the class keeps its mode; a new class gets the rotating code).
        return self.cleaned_data.get("checkin_mode") or (
            self.instance.checkin_mode if self.instance.pk else TrainingSession.CheckinMode.ROTATING
        )

    def clean_weekdays(self):
        return "".join(sorted(set(self.cleaned_data.get("weekdays") or [])))

    def clean_hours_per_day(self):
        # Empty means the usual half day (the model's default).
        value = self.cleaned_data.get("hours_per_day")
        return TrainingSession.hours_per_day.field.default if value is None else value

    def clean_title(self):
        return nfc(self.cleaned_data.get("title", ""))

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            # Said here in words (the database constraint would only name itself).
            self.add_error("end_date", _("The class cannot end before it starts."))
        return data

    def clean_address(self):
        return nfc(self.cleaned_data.get("address", ""))


class LearnerSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, phone or commune"), max_length=100, required=False)


class NewLearnerForm(forms.ModelForm):
    """A person with no account: the trainer creates it (username and PIN are generated)."""

    org_unit = OrgUnitSearchField(label=_("Commune / ward where they live or work"))
    ethnic_group = forms.ModelChoiceField(
        label=_("Ethnic group"),
        queryset=EthnicGroup.objects.all(),
        required=False,
        empty_label=_("— choose —"),
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Profile
        fields = [
            "full_name",
            "birth_year",
            "gender",
            "ethnic_group",
            "org_unit",
            "target_groups",
            "phone",
        ]
        widgets = {
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }
        help_texts = {"full_name": _("As on the ID card, with diacritics.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True

    def clean_full_name(self):
        name = nfc(self.cleaned_data.get("full_name", ""))
        if len(name) < 2:
            raise forms.ValidationError(_("Enter the full name."))
        return name

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        this_year = datetime.date.today().year
        if year is not None and not (this_year - 100 <= year <= this_year - 5):
            raise forms.ValidationError(
                _("Enter a birth year between %(low)s and %(high)s.")
                % {"low": this_year - 100, "high": this_year - 5}
            )
        return year

    def clean_phone(self):
        from people.accounts import phone_normalise

        return phone_normalise(self.cleaned_data.get("phone", ""))


class TableUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class SheetPhotoForm(forms.Form):
    photo = forms.ImageField(
        label=_("Photo of the signed sheet"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


SCORE_FIELD = re.compile(r"^score-(\d{1,18})$")
