"""Where a representative stands with the published texts, read in one statement.

The seat page asks four things before it can show an invitation: which confidentiality
declaration and which consent text are current, whether the person signed that declaration,
and whether their standing consent is to that consent text. Through the ORM that was four
queries whose building cost more than their running (~2 ms of a page of ~8, issue 20); here it
is one statement, and the rule that decides from it (``AgreementState.consent_update``) is the
one every other reader uses (``panels.pool.consent.consent_update_needed``).
"""

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.db import connection
from django.utils import timezone

from .models import (
    ConfidentialitySigned,
    ConfidentialityText,
    ConsentGiven,
    ConsentText,
)
from .models.agreements import PublishedText
from .texts import current_text_id_sql, current_text_moment

Text = TypeVar("Text", bound=PublishedText)

# What the page shows of a text; its other fields (when it was published) load if asked for.
_TEXT_FIELDS = ("id", "version", "body", "body_nn", "body_en")


@dataclass(frozen=True)
class AgreementState:
    """The current texts and where one representative stands with them."""

    declaration: ConfidentialityText | None
    declaration_signed: bool
    consent_text: ConsentText | None
    # Some consent of theirs that is not withdrawn, and one of those to ``consent_text``.
    consent_standing: bool
    consent_to_current: bool

    @property
    def consent_update(self) -> ConsentText | None:
        """The current consent text, if the person's standing consent is to an older version.

        None when their standing consent is to the current version, or when they have no
        standing consent at all (someone without consent is sent to the consent page instead).
        """
        if self.consent_text is None or not self.consent_standing or self.consent_to_current:
            return None
        return self.consent_text


@functools.cache
def _sql() -> str:
    """The statement; its parameters: the person's id three times, then the moment twice."""
    text_columns = {alias: ", ".join(f"{alias}.{name}" for name in _TEXT_FIELDS) for alias in "dc"}
    tables = {
        "signed": ConfidentialitySigned._meta.db_table,
        "given": ConsentGiven._meta.db_table,
        "declaration": ConfidentialityText._meta.db_table,
        "consent": ConsentText._meta.db_table,
    }
    standing = "g.representative_id = %s AND g.withdrawn_at IS NULL"
    return (
        f'SELECT {text_columns["d"]}, EXISTS (SELECT 1 FROM "{tables["signed"]}" s '  # noqa: S608  # nosec B608: names from the models
        "WHERE s.representative_id = %s AND s.text_id = d.id), "
        f'{text_columns["c"]}, EXISTS (SELECT 1 FROM "{tables["given"]}" g WHERE {standing}), '
        f'EXISTS (SELECT 1 FROM "{tables["given"]}" g WHERE {standing} AND g.text_id = c.id) '
        "FROM (SELECT 1 AS one) AS one "
        f'LEFT JOIN "{tables["declaration"]}" d '
        f"ON d.id = ({current_text_id_sql(ConfidentialityText)}) "
        f'LEFT JOIN "{tables["consent"]}" c ON c.id = ({current_text_id_sql(ConsentText)})'
    )


def _text(model: type[Text], values: tuple[object, ...]) -> Text | None:
    if values[0] is None:
        return None
    return model.from_db(connection.alias, list(_TEXT_FIELDS), list(values))


def agreement_state(*, representative_id: int, now: datetime | None = None) -> AgreementState:
    """The current declaration and consent text and where this person stands with them."""
    moment = current_text_moment(now or timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            _sql(), [representative_id, representative_id, representative_id, moment, moment]
        )
        row = cursor.fetchone()
    width = len(_TEXT_FIELDS)
    return AgreementState(
        declaration=_text(ConfidentialityText, row[:width]),
        declaration_signed=bool(row[width]),
        consent_text=_text(ConsentText, row[width + 1 : 2 * width + 1]),
        consent_standing=bool(row[2 * width + 1]),
        consent_to_current=bool(row[2 * width + 2]),
    )
