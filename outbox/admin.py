from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Every email and SMS, readable and never editable: a row is a record of what was (to be) sent.

    Failed rows can be queued again with the Retry action, by those with the change permission.
    """

    list_display = [
        "created_at",
        "channel",
        "kind",
        "office",
        "to",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "error",
    ]
    list_filter = ["status", "channel", "kind", ("office", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["key", "=to"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    # One tuple for both: a tuple[str, ...] is what either attribute's type accepts.
    fields = readonly_fields = (
        "key",
        "channel",
        "kind",
        "office",
        "to",
        "from_header",
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "claimed_at",
        "next_attempt_at",
        "sent_at",
        "message_id",
        "attachment_names",
        "body_text",
        "body_html",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboxMessage]:
        return super().get_queryset(request).select_related("office")

    @admin.display(description=_("last error"))
    def error(self, message: OutboxMessage) -> str:
        return Truncator(message.last_error).chars(120)

    @admin.display(description=_("Message-ID"))
    def message_id(self, message: OutboxMessage) -> str:
        return message.message_id

    @admin.display(description=_("from"))
    def from_header(self, message: OutboxMessage) -> str:
        return message.from_header

    @admin.display(description=_("attachments"))
    def attachment_names(self, message: OutboxMessage) -> str:
        return ", ".join(a["filename"] for a in message.attachments)

    @admin.action(description=_("Retry the selected failed emails"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        selected = queryset.count()
        retried = services.messages_retry(message_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext(
                "%(count)d email was queued again.",
                "%(count)d emails were queued again.",
                retried,
            )
            % {"count": retried},
        )
        if retried < selected:
            skipped = selected - retried
            self.message_user(
                request,
                ngettext(
                    "%(count)d selected email was not failed and was left as it was.",
                    "%(count)d selected emails were not failed and were left as they were.",
                    skipped,
                )
                % {"count": skipped},
                level="warning",
            )

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("outbox.change_outboxmessage")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
