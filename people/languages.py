"""The languages content is written in (courses, library items): one list for every room.

The codes are the interface's (settings.LANGUAGES: Vietnamese, English and the minority
languages by ISO 639 code); the labels are the languages' names in the interface language.
A test keeps the two lists in step.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentLanguage(models.TextChoices):
    VI = "vi", _("Vietnamese")
    EN = "en", _("English")
    JRA = "jra", _("Jrai")
    EDE = "rad", _("Ede")
    BDQ = "bdq", _("Bahnar")
    HNJ = "hnj", _("Hmong")
    KHM = "km", _("Khmer")
    TYZ = "tyz", _("Tay")
