from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel, Kind

CHOOSABLE = [(Channel.EMAIL.value, Channel.EMAIL.label), (Channel.SMS.value, Channel.SMS.label)]


class PreferenceForm(forms.Form):
    """Email and SMS per kind (in-app is always on), and quiet hours."""

    quiet_start = forms.TimeField(label=_("Quiet hours from"), required=False)
    quiet_end = forms.TimeField(label=_("Quiet hours until"), required=False)

    def __init__(self, *args, preference=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            initial = preference.channels_for(kind) if preference is not None else []
            self.fields[f"kind_{kind}"] = forms.MultipleChoiceField(
                label=label,
                choices=CHOOSABLE,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=[c for c in initial if c != Channel.IN_APP],
            )
        if preference is not None:
            self.fields["quiet_start"].initial = preference.quiet_start
            self.fields["quiet_end"].initial = preference.quiet_end

    def kind_fields(self):
        return [self[f"kind_{kind}"] for kind in Kind.values]

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("quiet_start") is None) != (cleaned.get("quiet_end") is None):
            raise forms.ValidationError(_("Give both the start and the end of the quiet hours."))
        return cleaned

    def channels(self) -> dict:
        return {kind: self.cleaned_data.get(f"kind_{kind}", []) for kind in Kind.values}
