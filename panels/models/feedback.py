"""What representatives and staff say after an interview day."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .seats import Panel, Seat, StaffInterviewer


class FeedbackRole(models.TextChoices):
    REPRESENTATIVE = "representative", _("Representative")
    STAFF = "staff", _("Staff interviewer")


FEEDBACK_QUESTIONS = ("well_prepared", "full_member", "practical", "again")


class Feedback(models.Model):
    """One person's short evaluation of one interview day, given by a signed link.

    Shown to the office's leaders only as averages, counts and free texts without names: the
    seat and the staff interviewer are kept to refuse a second answer, never to show who said
    what. Ratings are 1 (disagree) to 5 (agree).
    """

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("panel")
    )
    seat = models.ForeignKey(
        Seat, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback"
    )
    staff_interviewer = models.ForeignKey(
        StaffInterviewer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
    )
    role = models.CharField(_("role"), max_length=16, choices=FeedbackRole.choices)
    well_prepared = models.PositiveSmallIntegerField(_("I was well prepared"))
    full_member = models.PositiveSmallIntegerField(_("I was treated as a full member of the panel"))
    practical = models.PositiveSmallIntegerField(_("The practical arrangements worked"))
    again = models.PositiveSmallIntegerField(_("I would take part again"))
    comment = models.TextField(_("anything else"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["seat"], name="feedback_once_per_seat"),
            models.UniqueConstraint(
                fields=["staff_interviewer"], name="feedback_once_per_staff_interviewer"
            ),
            models.CheckConstraint(
                name="feedback_ratings_between_1_and_5",
                condition=models.Q(
                    well_prepared__gte=1,
                    well_prepared__lte=5,
                    full_member__gte=1,
                    full_member__lte=5,
                    practical__gte=1,
                    practical__lte=5,
                    again__gte=1,
                    again__lte=5,
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panel_id} – {self.get_role_display()}"
