"""The administrator's view of the pool: background categories, consent and confidentiality texts.

Representatives' backgrounds, support needs and notes are special-category or private data for
the office's leaders (DOMAIN.md): the admin site does not show them.
"""

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from .models import (
    Background,
    ConfidentialitySigned,
    ConfidentialityText,
    ConsentGiven,
    ConsentText,
    Representative,
)


@admin.register(Background)
class BackgroundAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "status", "created_at"]
    list_filter = ["status", "offices"]
    search_fields = ["name", "email"]
    fields = [
        "name",
        "email",
        "phone",
        "birth_year",
        "organisation",
        "suggested_by",
        "offices",
        "language",
        "status",
    ]
    filter_horizontal = ["offices"]


class PublishedTextAdmin(admin.ModelAdmin):
    """A published text is frozen: agreements point at the exact words that were read."""

    list_display = ["version", "published_at"]
    ordering = ["-version"]

    def _published(self, obj: ConsentText | ConfidentialityText | None) -> bool:
        return (
            obj is not None
            and obj.published_at is not None
            and obj.published_at <= (timezone.now())
        )

    def get_readonly_fields(
        self, request: HttpRequest, obj: ConsentText | ConfidentialityText | None = None
    ) -> list[str]:
        if self._published(obj):
            return ["version", "body", "body_en", "published_at"]
        return []

    def has_delete_permission(
        self, request: HttpRequest, obj: ConsentText | ConfidentialityText | None = None
    ) -> bool:
        return not self._published(obj) and super().has_delete_permission(request, obj)


admin.site.register(ConsentText, PublishedTextAdmin)
admin.site.register(ConfidentialityText, PublishedTextAdmin)


class AgreementAdmin(admin.ModelAdmin):
    """Records of what a representative agreed to, made only by the representative's link."""

    list_select_related = ["representative", "text"]
    search_fields = ["representative__name", "representative__email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ConsentGiven)
class ConsentGivenAdmin(AgreementAdmin):
    list_display = ["representative", "text", "given_at", "via", "withdrawn_at"]
    list_filter = ["text", "via"]


@admin.register(ConfidentialitySigned)
class ConfidentialitySignedAdmin(AgreementAdmin):
    list_display = ["representative", "text", "signed_at", "via"]
    list_filter = ["text", "via"]
