from django.contrib import admin
from django.http import HttpRequest

from .models import HonorariumRate, TravelClaim


@admin.register(HonorariumRate)
class HonorariumRateAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "day_rate"]
    ordering = ["-valid_from"]


@admin.register(TravelClaim)
class TravelClaimAdmin(admin.ModelAdmin):
    list_display = ["seat", "amount", "entered_at"]
    # Claims are entered by the office's leader; the admin only reads them.
    readonly_fields = ["seat", "amount", "description", "entered_by", "entered_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
