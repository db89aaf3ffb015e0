"""One date format in English (issue 18, point 11): "5 February 2026", as NAV writes English,
not Django's American default ("Feb. 5, 2026", "02/05/2026")."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y H:i"
MONTH_DAY_FORMAT = "j F"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
