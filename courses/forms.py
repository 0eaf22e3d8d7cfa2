"""Admin forms of the course pages: ASCII slugs for every page type, and the lesson form in
which "required for completion" is a choice the trainer makes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.pages import AsciiSlugPageForm


def _required_choice(value):
    return {"True": True, "False": False}.get(value)


class LessonPageForm(AsciiSlugPageForm):
    """A new lesson has no answer to "required for completion?": the trainer picks one."""

    required = forms.TypedChoiceField(
        label=_("Counts for completion"),
        choices=[
            ("True", _("Required: counts for completion and the certificate")),
            ("False", _("Optional: extra reading, does not count")),
        ],
        coerce=_required_choice,
        empty_value=None,
        widget=forms.RadioSelect,
        help_text=_("Choose whether a learner must complete this lesson to complete the course."),
        error_messages={
            "required": _("Choose whether this lesson counts for completion."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # No default: an explicit choice (a draft saved before it is "not chosen yet").
            self.initial.pop("required", None)
            self.instance.required = None
        else:
            self.initial["required"] = str(bool(self.instance.required))
