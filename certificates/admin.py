"""Django admin (superusers): certificates with their errors, and a retry action."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Certificate, CertificateEvent, SigningKey
from .services import certificate_retry


class EventInline(admin.TabularInline):
    model = CertificateEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "actor", "reason"]
    readonly_fields = fields


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = [
        "serial",
        "holder_name",
        "course_title",
        "status",
        "created_at",
        "attempts",
        "requeues",
        "next_attempt_at",
        "error",
    ]
    list_filter = ["status"]
    search_fields = ["serial", "holder_name"]
    readonly_fields = [f.name for f in Certificate._meta.fields]
    inlines = [EventInline]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # proof and audit trail: revoke instead

    @admin.action(description=_("Retry issuing the selected certificates"))
    def retry(self, request, queryset):
        done = 0
        for certificate in queryset.filter(status__in=["failed", "pending"]):
            try:
                certificate_retry(certificate=certificate, actor=request.user)
                done += 1
            except ValidationError:
                continue
        messages.success(request, _("%(count)d certificate(s) queued again.") % {"count": done})


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    list_display = ["kid", "active", "created_at"]
    readonly_fields = ["kid", "public_key", "active", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # old keys must stay to verify what they signed
