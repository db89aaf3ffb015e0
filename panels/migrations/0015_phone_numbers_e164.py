"""Stored phone numbers in E.164 (issue 19): ``912 34 567`` becomes ``+4791234567``.

A number that does not parse as a valid number is left as it was typed: nothing is lost, and
the form asks for a valid one the next time the person is changed.
"""

import phonenumbers
from django.db import migrations


def normalise(apps, schema_editor) -> None:
    Representative = apps.get_model("panels", "Representative")
    for pk, phone in Representative.objects.exclude(phone="").values_list("pk", "phone"):
        try:
            number = phonenumbers.parse(phone, "NO")
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(number):
            continue
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if e164 != phone:
            Representative.objects.filter(pk=pk).update(phone=e164)


class Migration(migrations.Migration):
    dependencies = [("panels", "0014_representative_contact")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
