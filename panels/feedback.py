"""Feedback after an interview day, from the representatives and the staff of a panel.

Each person answers once, by a signed link (``links.feedback_url`` for a seat,
``links.staff_feedback_url`` for a staff interviewer), once the day has started. The office's
leaders read the answers per panel as averages, counts and free texts without names.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .enums import SAT_STATUSES, PanelStatus
from .models import FEEDBACK_QUESTIONS, Feedback, FeedbackRole, Panel, Seat, StaffInterviewer


def feedback_closed_reason(
    *, panel: Panel, seat: Seat | None = None, now: datetime | None = None
) -> str:
    """Why this person cannot give feedback now ("" when they can).

    ``"cancelled"``: the panel was cancelled; ``"not_yet"``: the day has not started;
    ``"not_on_panel"``: the seat was never accepted (declined, withdrawn, no answer…).
    """
    now = now or timezone.now()
    if panel.status == PanelStatus.CANCELLED:
        return "cancelled"
    if panel.starts_at > now:
        return "not_yet"
    if seat is not None and seat.status not in SAT_STATUSES:
        return "not_on_panel"
    return ""


def feedback_given(*, seat: Seat | None = None, staff: StaffInterviewer | None = None) -> bool:
    if seat is not None:
        return Feedback.objects.filter(seat=seat).exists()
    return Feedback.objects.filter(staff_interviewer=staff).exists()


@transaction.atomic
def feedback_submit(
    *,
    panel: Panel,
    ratings: dict[str, int],
    comment: str = "",
    seat: Seat | None = None,
    staff: StaffInterviewer | None = None,
) -> tuple[Feedback | None, bool]:
    """Record one person's answers. Returns (feedback, created).

    Exactly one of ``seat`` and ``staff``. A second answer from the same person changes
    nothing and returns ``(existing, False)``; a closed form returns ``(None, False)``.
    """
    if (seat is None) == (staff is None):
        raise ValueError("give exactly one of seat and staff")
    if feedback_closed_reason(panel=panel, seat=seat):
        return None, False
    existing = (
        Feedback.objects.filter(seat=seat)
        if seat
        else Feedback.objects.filter(staff_interviewer=staff)
    )
    if found := existing.first():
        return found, False
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                panel=panel,
                seat=seat,
                staff_interviewer=staff,
                role=FeedbackRole.REPRESENTATIVE if seat else FeedbackRole.STAFF,
                comment=comment.strip(),
                **{question: ratings[question] for question in FEEDBACK_QUESTIONS},
            )
    except IntegrityError:
        # The same person answered twice at once; the first answer stands.
        return existing.first(), False
    return feedback, True


@dataclass
class QuestionSummary:
    label: str | Promise
    representatives: float | None
    staff: float | None


@dataclass
class FeedbackSummary:
    representatives: int
    staff: int
    questions: list[QuestionSummary]
    comments: list[str]

    @property
    def count(self) -> int:
        return self.representatives + self.staff


QUESTION_LABELS = {
    "well_prepared": _("I was well prepared"),
    "full_member": _("I was treated as a full member of the panel"),
    "practical": _("The practical arrangements worked"),
    "again": _("I would take part again"),
}


def panel_feedback_summary(*, panel: Panel) -> FeedbackSummary:
    """The answers for one interview day, never linked to a person.

    Averages per question and role (None where nobody of that role answered), the counts, and
    the free texts sorted alphabetically, so that their order does not reveal who wrote them.
    """
    rows: dict[str, Mapping[str, Any]] = {
        row["role"]: row
        for row in Feedback.objects.filter(panel=panel)
        .values("role")
        .annotate(n=Count("id"), **{question: Avg(question) for question in FEEDBACK_QUESTIONS})
    }
    representatives = rows.get(FeedbackRole.REPRESENTATIVE, {})
    staff = rows.get(FeedbackRole.STAFF, {})
    comments = sorted(
        Feedback.objects.filter(panel=panel).exclude(comment="").values_list("comment", flat=True),
        key=str.casefold,
    )
    return FeedbackSummary(
        representatives=representatives.get("n", 0),
        staff=staff.get("n", 0),
        questions=[
            QuestionSummary(
                label=QUESTION_LABELS[question],
                representatives=representatives.get(question),
                staff=staff.get(question),
            )
            for question in FEEDBACK_QUESTIONS
        ],
        comments=comments,
    )
