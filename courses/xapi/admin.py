"""Django admin (superusers): LRS clients and the state of forwarding.

A new client gets its key and secret on save; the secret is shown once in a message (only
its digest is stored). The "new secret" action replaces a lost one.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from ..models import LrsClient, XapiForwarder


def _show_secret(request, client, secret: str) -> None:
    messages.warning(
        request,
        _("Credentials of %(name)s: key %(key)s, secret %(secret)s. The secret is not shown again.")
        % {"name": client.name, "key": client.key, "secret": secret},
    )


@admin.register(LrsClient)
class LrsClientAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "can_read", "can_write", "active", "created_at"]
    list_filter = ["active", "can_read", "can_write"]
    readonly_fields = ["key", "created_at"]
    filter_horizontal = ["units"]
    actions = ["new_secret"]

    def save_model(self, request, obj, form, change):
        secret = None if change else obj.set_new_secret()
        super().save_model(request, obj, form, change)
        if secret:
            _show_secret(request, obj, secret)

    @admin.action(description=_("Give the selected clients a new secret"))
    def new_secret(self, request, queryset):
        for client in queryset:
            secret = client.set_new_secret()
            client.save(update_fields=["secret_hash"])
            _show_secret(request, client, secret)


@admin.register(XapiForwarder)
class XapiForwarderAdmin(admin.ModelAdmin):
    list_display = ["forwarded", "failures", "next_attempt_at", "last_success_at", "last_error"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False
