"""Print the demo accounts, one per role."""

from django.core.management.base import BaseCommand
from django.utils.translation import override

from ikms.accounts.demo import DEMO_PASSWORD, all_accounts
from ikms.accounts.roles import ROLE_LABELS


class Command(BaseCommand):
    help = "Print the demo accounts (one per role) and their password."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Demo accounts / Demo konti (password / parole: {DEMO_PASSWORD})")
        for acc in all_accounts():
            with override("en"):
                en = str(ROLE_LABELS[acc.role])
            with override("lv"):
                lv = str(ROLE_LABELS[acc.role])
            self.stdout.write(f"  {acc.username:<18} {lv} / {en}")
        self.stdout.write("  (anonymous)        Publiskais reģistrs / Public register: no sign-in")
