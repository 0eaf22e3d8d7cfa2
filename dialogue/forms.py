from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BODY_MAX, COMMENT_MAX, TITLE_MAX

LIKERT_CHOICES = [
    (5, _("5 – very satisfied")),
    (4, _("4 – satisfied")),
    (3, _("3 – neither")),
    (2, _("2 – unsatisfied")),
    (1, _("1 – very unsatisfied")),
]


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Your question or message"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


class SurveyForm(forms.Form):
    overall = forms.TypedChoiceField(
        label=_("Overall, how satisfied are you with the course?"),
        choices=LIKERT_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    useful = forms.TypedChoiceField(
        label=_("Is what you learnt useful for your work and life?"),
        choices=LIKERT_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    clear = forms.TypedChoiceField(
        label=_("Were the lessons easy to follow?"),
        choices=LIKERT_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything else you want to tell us? (optional)"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
