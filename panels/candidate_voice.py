"""Candidates' voice (issue 18, point 5): an anonymous, optional questionnaire for the
candidates of a panel, reached by a short link or QR code printed on the day plan.

One code per interview of the panel, handed out at random on the day: no name, no sign-in,
and a code is tied to no interview. A code gives one answer (claimed by a conditional update,
so two submissions at once record one). The answer keeps only the panel; the counts are
``reports.candidate_voice``'s, with small counts suppressed as in the statistics.
"""

import secrets
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from interviews.enums import InterviewStatus

from .links import absolute
from .models import CandidateAnswer, CandidateSurveyCode, Panel

# No 0/O, 1/I/L: a code typed from paper is read right.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def code_normalise(code: str) -> str:
    return "".join(code.split()).upper().replace("-", "")


@transaction.atomic
def panel_survey_codes(*, panel: Panel) -> list[CandidateSurveyCode]:
    """The panel's codes, one per scheduled interview: made the first time the day plan is
    opened, and more if interviews were added since (codes are never taken back)."""
    Panel.objects.select_for_update().filter(pk=panel.pk).first()
    codes = list(panel.survey_codes.order_by("id"))
    wanted = panel.interviews.filter(status=InterviewStatus.SCHEDULED).count()
    while len(codes) < wanted:
        codes.append(CandidateSurveyCode.objects.create(panel=panel, code=_new_code()))
    return codes


def survey_url(code: str) -> str:
    return absolute(reverse("candidate_survey", args=[code]))


def survey_qr_svg(code: str) -> str:
    """The short link as a QR code, an SVG drawn on the server (no script, no image file)."""
    image = qrcode.make(
        survey_url(code), image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
    )
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def survey_code_find(code: str) -> CandidateSurveyCode | None:
    return CandidateSurveyCode.objects.filter(code=code_normalise(code)).first()


@transaction.atomic
def candidate_answer_give(*, code: CandidateSurveyCode, answers: dict[str, str]) -> bool:
    """Record ``answers`` for ``code`` if it has not been answered; False if it has.

    ``answers`` maps question names (``CANDIDATE_QUESTIONS``) to choices, "" for none.
    """
    claimed = CandidateSurveyCode.objects.filter(pk=code.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not claimed:
        return False
    CandidateAnswer.objects.create(panel_id=code.panel_id, **answers)
    return True
