"""The SMS segment counter (outbox/segments.py): GSM-7 and UCS-2, single and concatenated."""

import pytest

from outbox.segments import encoding, gsm_friendly, segments


@pytest.mark.parametrize(
    ("text", "expected_encoding", "expected_segments"),
    [
        ("", "GSM-7", 0),
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        # Norwegian letters are in the GSM 03.38 default alphabet.
        ("Blåbærsyltetøy ÆØÅ " * 8, "GSM-7", 1),
        # An extension character takes two septets: 80 of them fill one SMS.
        ("€" * 80, "GSM-7", 1),
        ("€" * 81, "GSM-7", 2),
        # ... and is never split: 152 septets then '€' start a third part of 153.
        ("a" * 152 + "€" + "a" * 152, "GSM-7", 3),
        # One Sámi letter makes the whole text UCS-2.
        ("á" + "a" * 69, "UCS-2", 1),
        ("á" + "a" * 70, "UCS-2", 2),
        ("á" + "a" * 133, "UCS-2", 2),
        ("á" + "a" * 134, "UCS-2", 3),
        # An emoji is two UTF-16 units.
        ("🙂" * 35, "UCS-2", 1),
        ("🙂" * 36, "UCS-2", 2),
    ],
)
def test_segments_are_counted_as_the_network_sends_them(text, expected_encoding, expected_segments):
    assert encoding(text) == expected_encoding
    assert segments(text) == expected_segments


def test_typographic_dashes_and_quotes_become_their_gsm_twins():
    text = gsm_friendly("mandag 12. oktober 09:00–15:00 «Veileder» … ’ok’")

    assert text == "mandag 12. oktober 09:00-15:00 \"Veileder\" ... 'ok'"
    assert encoding(text) == "GSM-7"
