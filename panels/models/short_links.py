"""Short links for SMS (issue 19): a random code the server maps to a signed link."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .people import Representative
from .seats import Seat


class ShortLink(models.Model):
    """``/r/k/<code>`` stands for ``path``, a signed link's path, so that an SMS stays short.

    Opening it only redirects to that path: it changes nothing, as the long link's GET changes
    nothing. It works as long as the long link does: a seat's while the seat's panel is not
    over plus the grace (``panels.links.seat_link_ends_at``, read from the panel each time, so
    that a moved panel moves it too), a person's link until ``expires_at``. The retention job
    deletes it after that; erasing the person deletes theirs (``representative`` cascades).
    """

    code = models.CharField(_("code"), max_length=16, unique=True)
    path = models.CharField(_("link"), max_length=600)
    representative = models.ForeignKey(
        Representative,
        on_delete=models.CASCADE,
        related_name="short_links",
        verbose_name=_("representative"),
    )
    seat = models.ForeignKey(
        Seat,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seat"),
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("short link")
        verbose_name_plural = _("short links")

    def __str__(self) -> str:
        return self.code
