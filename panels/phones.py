"""Phone numbers: validated and stored in E.164 with ``phonenumbers`` (issue 19).

A number is read as Norwegian unless it says otherwise (``+46 …``, ``0046 …``). Any valid
number can be stored; an SMS goes only to a Norwegian mobile number (docs/decisions.md): a
landline cannot take one, and SMS abroad is neither in the gateway agreement nor in the sender
name rules the office's name is sent under.
"""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "NO"
MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}

NOT_A_NUMBER = _("Enter a phone number, for example 912 34 567 or +47 912 34 567.")
NOT_FOR_SMS_LANDLINE = _(
    "This is not a mobile number (a landline, for example), so it cannot receive SMS. "
    "Enter a mobile number, or choose email."
)
NOT_FOR_SMS_ABROAD = _(
    "SMS can only go to a Norwegian mobile number (+47). Enter one, or choose email."
)


def phone_normalise(value: str) -> str:
    """``value`` in E.164 (``+4791234567``), or ``""`` for an empty one.

    Raises ``ValidationError`` (field ``phone``'s message) for what is not a valid number.
    """
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(NOT_A_NUMBER, code="invalid") from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(NOT_A_NUMBER, code="invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_sms_check(e164: str) -> None:
    """Raise ``ValidationError`` unless an SMS can go to ``e164`` (a Norwegian mobile)."""
    number = phonenumbers.parse(e164, DEFAULT_REGION)
    if phonenumbers.region_code_for_number(number) != DEFAULT_REGION:
        raise ValidationError(NOT_FOR_SMS_ABROAD, code="abroad")
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ValidationError(NOT_FOR_SMS_LANDLINE, code="landline")


def phone_display(e164: str) -> str:
    """``+4791234567`` → ``912 34 567`` (a Norwegian mobile as Norwegians write it), a
    Norwegian landline ``22 33 44 55``, a foreign number in its international form."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == DEFAULT_REGION:
        digits = str(number.national_number)
        if len(digits) == 8 and phonenumbers.number_type(number) in MOBILE_TYPES:
            return f"{digits[:3]} {digits[3:5]} {digits[5:]}"
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
