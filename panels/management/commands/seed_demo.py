from django.core.management.base import BaseCommand

from accounts.demo import demo_authenticators
from panels.demo.seed import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create demo offices, staff, representatives and hiring rounds (safe to run twice)."

    def handle(self, *args: object, **options: object) -> None:
        logins = seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Demo logins:"))
        for login in logins:
            self.stdout.write(f"  {login.email:<34} {login.role}")
        self.stdout.write(f"  password for all: {DEMO_PASSWORD}")
        self.stdout.write("Two-factor keys (HR and the administrator must give a code too):")
        for email, key in demo_authenticators().items():
            self.stdout.write(f"  {email:<34} {key}   code: oathtool --totp -b {key}")
