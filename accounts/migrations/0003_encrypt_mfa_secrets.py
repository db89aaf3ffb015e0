"""Encrypt the two-factor secrets stored before they were encrypted (accounts.mfa)."""

from django.db import migrations


def encrypt(apps, schema_editor):
    from accounts.mfa import authenticators_encrypt

    authenticators_encrypt(apps.get_model("mfa", "Authenticator").objects.all())


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_nav_ident"), ("mfa", "0003_authenticator_type_uniq")]

    operations = [migrations.RunPython(encrypt, migrations.RunPython.noop)]
