"""Print the demo accounts, one per role, and how to sign in as the one with two-factor authentication."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import override
from django_otp.oath import totp

from ikms.accounts.demo import (
    DEMO_PASSWORD,
    TWO_FACTOR_RECOVERY_CODES,
    TWO_FACTOR_SECRET,
    TWO_FACTOR_USERNAME,
    all_accounts,
    ensure_two_factor_account,
    two_factor_key_hex,
)
from ikms.accounts.roles import ROLE_LABELS


class Command(BaseCommand):
    help = ("Print the demo accounts (one per role) and their password; on a demo database, first make sure the "
            "two-factor demo account has its published key and recovery codes.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--code", action="store_true",
                            help=f"Print only the code {TWO_FACTOR_USERNAME}'s authenticator app shows now")

    def handle(self, *args, code: bool, **options) -> None:
        if code:
            self.stdout.write(f"{totp(bytes.fromhex(two_factor_key_hex())):06d}")
            return
        enrolled = ensure_two_factor_account() is not None
        self.stdout.write(f"Demo accounts / Demo konti (password / parole: {DEMO_PASSWORD})")
        for acc in all_accounts():
            with override("en"):
                en = str(ROLE_LABELS[acc.role])
            with override("lv"):
                lv = str(ROLE_LABELS[acc.role])
            extra = "  [2FA]" if acc.username == TWO_FACTOR_USERNAME else ""
            self.stdout.write(f"  {acc.username:<18} {lv} / {en}{extra}")
        self.stdout.write("  (anonymous)        Publiskais reģistrs / Public register: no sign-in")
        if not enrolled:
            return
        rule = ("on: IKVD staff and experts must set up an authenticator app / ieslēgta: IKVD darbiniekiem un "
                "ekspertiem jāiestata autentifikatora lietotne") if settings.IKMS_REQUIRE_2FA else (
                "off: the other accounts sign in with the password alone / izslēgta: pārējie konti ienāk tikai ar "
                "paroli")
        self.stdout.write(
            f"Two-factor authentication / Divfaktoru autentifikācija (IKMS_REQUIRE_2FA {rule}):\n"
            f"  {TWO_FACTOR_USERNAME} is asked for a code after the password / pēc paroles prasa kodu.\n"
            f"  Key for an authenticator app / Atslēga autentifikatora lietotnei: {TWO_FACTOR_SECRET} "
            f"(time-based, 6 digits, 30 s / laikā balstīts, 6 cipari, 30 s)\n"
            f"  The code now / Kods tagad: python manage.py demo_accounts --code\n"
            f"  Recovery codes, each works once until the next `make demo` / Atkopšanas kodi, katrs derīgs vienu "
            f"reizi līdz nākamajam `make demo`: {' '.join(TWO_FACTOR_RECOVERY_CODES)}")
