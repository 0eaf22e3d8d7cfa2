"""`{% offline_config %}`: what static/js/offline.js needs on every page, as a JSON script
(the service worker's URL, the sync URL, the learner, the words it shows offline)."""

from django import template
from django.urls import reverse
from django.utils.html import json_script
from django.utils.translation import gettext as _

register = template.Library()


def offline_messages() -> dict:
    return {
        "offline": _("You are offline."),
        "pending": _("Waiting to be sent:"),
        "sending": _("Sending what you did offline…"),
        "sent": _("Everything you did offline has been sent."),
        "login": _("Log in again to send what you did offline."),
        "refused": _("Not recorded:"),
        "dismiss": _("Close"),
        "done_queued": _("Marked as done on this phone: it will be sent when you are online."),
        "graded_later": _("Will be graded when you are online."),
        "kept": _("Your answers are kept on this phone."),
        "graded": _("Graded on the server:"),
        "passed": _("Passed"),
        "not_passed": _("Not passed yet"),
        "see_result": _("See the result"),
        "choose": _("Choose an answer."),
        "needs_network": _("This activity needs a connection."),
    }


@register.simple_tag(takes_context=True)
def offline_config(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    if context.get("offline_anonymous"):  # the offline page, one copy for every learner
        signed_in = False
    config = {
        "user": user.pk if signed_in else 0,
        "worker": reverse("service_worker"),
        "sync": reverse("courses:offline_sync") if signed_in else "",
        "messages": offline_messages(),
    }
    return json_script(config, "offline-config")
