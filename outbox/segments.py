"""How many SMS segments a text takes, GSM-7 or UCS-2 (3GPP TS 23.038 and 23.040).

A text whose every character is in the GSM 03.38 default alphabet (with its extension table,
whose characters take two septets: ``^{}\\[~]|€``) goes as GSM-7: 160 septets in one SMS, 153
per part of a longer one. Any other character makes the whole text UCS-2: 70 UTF-16 units in
one SMS, 67 per part. Norwegian's æ, ø and å are in the default alphabet; an en dash, curly
quotes or a Sámi á are not, which is why ``gsm_friendly`` replaces the first ones.
"""

import math

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

# Typography that has a plain GSM-7 twin: replaced, so that a date span or a quote in a
# template does not turn the whole message into UCS-2 (less than half the room per segment).
_GSM_TWINS = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "…": "...",
    }
)


def gsm_friendly(text: str) -> str:
    """``text`` with typographic characters replaced by their GSM-7 twins."""
    return text.translate(_GSM_TWINS)


def is_gsm7(text: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def encoding(text: str) -> str:
    """``"GSM-7"`` or ``"UCS-2"``: how the text goes."""
    return "GSM-7" if is_gsm7(text) else "UCS-2"


def segments(text: str) -> int:
    """The number of SMS the text is sent as (0 for an empty text).

    A character is never split between two parts: an extension character (two septets) or a
    character outside the Basic Multilingual Plane (two UTF-16 units) that does not fit at the
    end of a part starts the next one.
    """
    if not text:
        return 0
    if is_gsm7(text):
        units = [2 if char in GSM7_EXTENSION else 1 for char in text]
        single, part = GSM7_SINGLE, GSM7_PART
    else:
        units = [2 if ord(char) > 0xFFFF else 1 for char in text]
        single, part = UCS2_SINGLE, UCS2_PART
    if sum(units) <= single:
        return 1
    count, used = 1, 0
    for size in units:
        if used + size > part:
            count, used = count + 1, 0
        used += size
    return max(count, math.ceil(sum(units) / part))
