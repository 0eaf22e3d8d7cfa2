"""API keys in the Django admin (administrators only): made here, shown once, revoked here."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .apikeys import key_generate, key_hash, key_prefix
from .models import ApiClient
from .services import api_client_revoke


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "can_read",
        "can_enrol",
        "can_report",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [
        "can_read",
        "can_enrol",
        "can_report",
        ("revoked_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name", "prefix"]
    raw_id_fields = ["units"]
    fields = ["name", "units", "can_read", "can_enrol", "can_report", "rate_limit"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # A key's reach is fixed once it exists: to change it, revoke it and make another.
        return ["units"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if not change:
            key = key_generate()
            obj.prefix, obj.secret_hash = key_prefix(key), key_hash(key)
            obj.created_by = request.user
            super().save_model(request, obj, form, change)
            # Shown once: only the hash is stored.
            self.message_user(
                request,
                _("The new API key (copy it now, it is not shown again): %(key)s") % {"key": key},
                messages.WARNING,
            )
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoke the selected API keys"))
    def revoke(self, request, queryset):
        count = 0
        for client in queryset.filter(revoked_at__isnull=True):
            api_client_revoke(client=client, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d API key revoked.", "%(count)d API keys revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )
