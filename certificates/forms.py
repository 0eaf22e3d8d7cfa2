from django import forms
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    """Why a certificate is revoked or re-issued: required, kept in the audit trail."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason.")},
    )
