"""One date format in nynorsk, as in bokmål (issue 19): "5. februar 2026" everywhere, the short
form too; Django's own nn formats give the month and weekday names (februar, tysdag)."""

DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = "j. F Y H:i"
SHORT_DATE_FORMAT = "j. F Y"
SHORT_DATETIME_FORMAT = "j. F Y H:i"
MONTH_DAY_FORMAT = "j. F"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
