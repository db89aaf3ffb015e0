"""One date format in nynorsk, the bokmål one (issue 19): "5. februar 2026" everywhere; Django's
own nn catalogue gives the month and weekday names (februar, tysdag)."""

from navpanel.formats.nb.formats import *  # noqa: F403
