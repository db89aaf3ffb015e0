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


class CandidateSurveyCode(models.Model):
    """A one-time code for the candidates' anonymous questionnaire (issue 18, point 5).

    The day plan of a panel prints one code (as a short link and a QR code) per interview, to
    be handed out at random; a code is not tied to an interview or a candidate. ``used_at``
    is set when it is answered, so one code gives one answer.
    """

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="survey_codes", verbose_name=_("panel")
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    used_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("candidate questionnaire code")
        verbose_name_plural = _("candidate questionnaire codes")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.panel_id}: {self.code}"


class CandidateAnswer(models.Model):
    """One candidate's anonymous answers: no name, no code, no time; only the panel, whose
    office and date the counts are grouped by. Every question may be left unanswered ("")."""

    class Meeting(models.TextChoices):
        GOOD = "good", _("Good")
        NEUTRAL = "neutral", _("Neither good nor bad")
        BAD = "bad", _("Bad")

    class Helped(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    class Keep(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNSURE = "unsure", _("Don't know")

    panel = models.ForeignKey(
        Panel, on_delete=models.CASCADE, related_name="candidate_answers", verbose_name=_("panel")
    )
    meeting = models.CharField(
        _("What was it like to meet user representatives on the interview panel?"),
        max_length=16,
        choices=Meeting.choices,
        blank=True,
    )
    helped = models.CharField(
        _("Did the user representatives' questions help you show what you can do?"),
        max_length=16,
        choices=Helped.choices,
        blank=True,
    )
    keep = models.CharField(
        _("Should NAV keep having user representatives on its interview panels?"),
        max_length=16,
        choices=Keep.choices,
        blank=True,
    )

    class Meta:
        verbose_name = _("candidate's answer")
        verbose_name_plural = _("candidates' answers")

    def __str__(self) -> str:
        return f"{self.panel_id}: {self.meeting or '-'}"


CANDIDATE_QUESTIONS = ("meeting", "helped", "keep")
