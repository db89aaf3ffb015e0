"""navpanel's panel models, one module per part of the domain (docs/domain.md).

The representatives and their backgrounds (``people``), the panel and its seats (``seats``), what a
person agrees to (``agreements``), what is said afterwards (``feedback``), the pool's imports
(``imports``) and the SMS short links (``short_links``). Everything is importable from
``panels.models`` as before.
"""

from .agreements import (
    ConfidentialitySigned,
    ConfidentialityText,
    ConsentGiven,
    ConsentText,
    LinkVia,
    PublishedText,
)
from .feedback import (
    CANDIDATE_QUESTIONS,
    FEEDBACK_QUESTIONS,
    CandidateAnswer,
    CandidateSurveyCode,
    Feedback,
    FeedbackRole,
)
from .imports import (
    PoolImport,
)
from .payroll import (
    HonorariaExport,
)
from .people import (
    Background,
    BackgroundWant,
    Representative,
)
from .seats import (
    ConflictOfInterest,
    Panel,
    Seat,
    SeatBooking,
    SeatTransition,
    StaffInterviewer,
)
from .short_links import (
    ShortLink,
)

__all__ = [
    "CANDIDATE_QUESTIONS",
    "FEEDBACK_QUESTIONS",
    "Background",
    "BackgroundWant",
    "CandidateAnswer",
    "CandidateSurveyCode",
    "ConfidentialitySigned",
    "ConfidentialityText",
    "ConflictOfInterest",
    "ConsentGiven",
    "ConsentText",
    "Feedback",
    "FeedbackRole",
    "HonorariaExport",
    "LinkVia",
    "Panel",
    "PoolImport",
    "PublishedText",
    "Representative",
    "Seat",
    "SeatBooking",
    "SeatTransition",
    "ShortLink",
    "StaffInterviewer",
]
