"""One date format in bokmål (issue 18, point 11): "5. februar 2026" everywhere, where the short
form would give "05.02.2026" too."""

DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = "j. F Y H:i"
SHORT_DATE_FORMAT = "j. F Y"
SHORT_DATETIME_FORMAT = "j. F Y H:i"
MONTH_DAY_FORMAT = "j. F"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
