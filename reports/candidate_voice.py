"""The candidates' answers as counts per office (issue 18, point 5), for the leaders and HR.

Small counts are hidden by the statistics' one rule, ``suppression.suppress`` ("<5", and
whatever would let it be worked out from the totals), so that no candidate's answer can be
singled out. Only the offices in the reader's scope, and only the year asked for.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import cast

from django.db import models
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from interviews.selectors import offices_for_user
from panels.models import CANDIDATE_QUESTIONS, CandidateAnswer

from .statistics import Row, ShownTable
from .suppression import suppress


@dataclass
class QuestionTable:
    id: str
    question: str
    shown: ShownTable


def candidate_voice_report(*, user: User, year: int) -> list[QuestionTable]:
    """One table a question: a row per office with answers, a column per choice, totals."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(date(year, 1, 1), time.min, tzinfo=zone)
    end = datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=zone)
    answers = CandidateAnswer.objects.filter(
        panel__round__office__in=offices_for_user(user),
        panel__starts_at__gte=start,
        panel__starts_at__lt=end,
    )
    offices = {
        office.pk: office
        for office in offices_for_user(user).filter(pk__in=answers.values("panel__round__office"))
    }
    ordered = sorted(offices.values(), key=lambda office: office.name)
    rows = [Row(label=office.name, office=office) for office in ordered]
    tables = []
    for question in CANDIDATE_QUESTIONS:
        field = cast("models.CharField[str, str]", CandidateAnswer._meta.get_field(question))
        counts: dict[int, dict[str, int]] = defaultdict(dict)
        for office_id, choice, number in (
            answers.exclude(**{question: ""})
            .values_list("panel__round__office", question)
            .annotate(number=Count("pk"))
            .order_by()
        ):
            counts[office_id][choice] = number
        choices = list(field.choices or [])
        values = [
            [counts[office.pk].get(value, 0) for value, _label in choices] for office in ordered
        ]
        tables.append(
            QuestionTable(
                id=f"voice-{question}",
                question=str(field.verbose_name),
                shown=ShownTable(
                    columns=[str(label) for _value, label in choices],
                    rows=rows,
                    table=suppress(values, row_totals=True, column_totals=True),
                ),
            )
        )
    return tables
