"""Two-factor sign-in for the demo's HR adviser and administrator (issue 18).

Two-factor sign-in is required of them, so a newcomer trying the demo as HR would otherwise meet
a QR code with no authenticator app at hand. ``seed_demo`` gives them an authenticator with a
published key and prints it; any TOTP tool makes the code (``oathtool --totp -b KEY``). A demo key
is no secret: never run ``seed_demo`` against a production database.
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from accounts.mfa import secret_decrypt

from .models import User

DEMO_TOTP_SECRETS = {
    "hr@navpanel.no": "NAVPANELDEMOHRADVISERTOTPKEYHRHR",
    "admin@navpanel.no": "NAVPANELDEMOADMINISTRATORTOTPKEY",
}


def demo_authenticators() -> dict[str, str]:
    """Each demo account that exists, with the key of its authenticator (made when missing)."""
    keys = {}
    for user in User.objects.filter(email__in=DEMO_TOTP_SECRETS).order_by("email"):
        existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if existing is None:
            TOTP.activate(user, DEMO_TOTP_SECRETS[user.email])
            keys[user.email] = DEMO_TOTP_SECRETS[user.email]
        else:
            keys[user.email] = secret_decrypt(existing.data["secret"])
    return keys
