from django.contrib import admin

from accounts.admin import UserAdmin
from accounts.models import User

from .models import HiringRound, Office, OfficeRole, RoundTransition


class OfficeRoleInline(admin.TabularInline):
    model = OfficeRole
    extra = 0
    fields = ["kind", "scope", "office", "county"]


# A staff user's offices and roles are edited on the user's own admin page. Registered here,
# over the accounts app's registration, because accounts sits below interviews.
admin.site.unregister(User)


@admin.register(User)
class UserWithRolesAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, OfficeRoleInline]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "county",
        "email",
        "contact_name",
        "consent_renewal_months",
        "cap_per_month",
        "cap_per_quarter",
    ]
    list_filter = ["county"]
    search_fields = ["name"]


@admin.register(OfficeRole)
class OfficeRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "scope", "office", "county"]
    list_filter = ["kind", "scope", "county"]
    autocomplete_fields = ["user", "office"]


class RoundTransitionInline(admin.TabularInline):
    model = RoundTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "by", "at"]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(HiringRound)
class HiringRoundAdmin(admin.ModelAdmin):
    list_display = ["position_title", "office", "state", "created_at"]
    list_filter = ["state", "office__county"]
    search_fields = ["position_title", "office__name"]
    readonly_fields = ["state", "closed_at", "created_by"]
    inlines = [RoundTransitionInline]
