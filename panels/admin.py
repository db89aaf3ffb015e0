"""The administrator's view of the pool: background categories, consent and confidentiality texts.

Representatives' backgrounds, support needs and notes are special-category or private data for
the office's leaders (docs/domain.md): the admin site does not show them.
"""

from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.http import request_user

from .erasure import representative_erase
from .models import (
    Background,
    ConfidentialitySigned,
    ConfidentialityText,
    ConsentGiven,
    ConsentText,
    Representative,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@admin.register(Background)
class BackgroundAdmin(admin.ModelAdmin):
    list_display = ["name", "name_nn", "name_en", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name_en"]}


class DeletionRequestedFilter(admin.SimpleListFilter):
    title = _("deletion requested")
    parameter_name = "deletion_requested"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin
    ) -> list[tuple[str, "StrOrPromise"]]:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(deletion_requested_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deletion_requested_at__isnull=True)
        return queryset


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "status", "created_at", "deletion_requested_at"]
    list_filter = ["status", DeletionRequestedFilter, "offices"]
    search_fields = ["name", "email"]
    readonly_fields = ["deletion_requested_at"]
    actions = ["erase_requested"]
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
        "deletion_requested_at",
    ]
    filter_horizontal = ["offices"]

    def delete_model(self, request: HttpRequest, obj: Representative) -> None:
        """The admin's Delete erases (issue 15, point 4): outbox, free texts, admin log,
        export files and cached pages go too, and the audit log names the administrator."""
        representative_erase(representative=obj, reason="admin_delete", by=request_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Representative]) -> None:
        """The bulk "Delete selected" erases each one, as ``delete_model`` does."""
        for representative in queryset:
            representative_erase(
                representative=representative, reason="admin_delete", by=request_user(request)
            )

    @admin.action(
        description=_("Erase the selected representatives (confirmed deletion requests)"),
        permissions=["delete"],
    )
    def erase_requested(self, request: HttpRequest, queryset: QuerySet[Representative]) -> None:
        """Erase those who asked for it on their page; anyone else selected is left alone."""
        requested = list(queryset.filter(deletion_requested_at__isnull=False))
        for representative in requested:
            representative_erase(
                representative=representative, reason="request", by=request_user(request)
            )
        # The erased rows are gone from the queryset; what is left had not asked.
        skipped = queryset.count()
        if requested:
            self.message_user(
                request,
                ngettext(
                    "%(count)d representative was erased.",
                    "%(count)d representatives were erased.",
                    len(requested),
                )
                % {"count": len(requested)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d representative had not asked to be deleted and was left alone.",
                    "%(count)d representatives had not asked to be deleted and were left alone.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


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
            return ["version", "body", "body_nn", "body_en", "published_at"]
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
