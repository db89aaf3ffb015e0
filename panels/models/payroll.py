"""What HR has exported for payroll: after that, the day's seats and travel claims are fixed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interviews.models import Office


class HonorariaExport(models.Model):
    """One office's honoraria for ``date_from``–``date_to`` (local dates) went to payroll.

    Written when HR downloads the honoraria (CSV or Excel, ``reports.views.honoraria``), one row
    per office in the file. From then on nothing that changes what that office owes for a day
    in the period can be undone on the leader's pages (``panels.exported``): payroll may
    already have paid it, and a correction is HR's to make.
    """

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="+", verbose_name=_("office")
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    file_format = models.CharField(_("format"), max_length=8)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("exported by"),
    )
    exported_at = models.DateTimeField(_("exported"), auto_now_add=True)

    class Meta:
        verbose_name = _("honoraria export")
        verbose_name_plural = _("honoraria exports")
        ordering = ["-exported_at", "-id"]
        indexes = [models.Index(fields=["office", "date_from", "date_to"])]

    def __str__(self) -> str:
        return f"{self.office_id}: {self.date_from:%Y-%m-%d}–{self.date_to:%Y-%m-%d}"
