"""Django's and allauth's own strings whose Norwegian we say better (issue 18, point 11).

Their catalogues say "Glemt ditt passord?", "Vennligst autentiser deg …" and "Feltet er
påkrevet."; listed here, the strings land in our catalogue (``make messages``), whose
translations come first (``LOCALE_PATHS``). Nothing imports this module: it exists for
``makemessages``.
"""

from django.utils.translation import gettext_noop

OVERRIDDEN = (
    gettext_noop("Forgot your password?"),
    gettext_noop("Please reauthenticate to safeguard your account."),
    gettext_noop("Please type your current password."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("This field is required."),
)
