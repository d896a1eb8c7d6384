"""`manage.py send_reminders`: e-mail reminders before task deadlines and accreditation terms end, and of case
deadlines due soon or overdue (ikms.cases.reminders, every case type)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ikms.accreditation.reminders import send_reminders
from ikms.cases.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = "Send reminders before task deadlines, before accreditation terms end and of case deadlines."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--days", type=int, default=30, help="remind of tasks due within this many days")

    def handle(self, *args, today: str | None, days: int, **options) -> None:
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError("--today must be YYYY-MM-DD / --today jābūt GGGG-MM-DD") from None
        if days < 1:
            raise CommandError("--days must be at least 1 / --days jābūt vismaz 1")
        sent = send_reminders(today=day, task_days=days)
        cases = send_deadline_reminders(today=day)
        self.stdout.write(f"tasks: {sent['tasks']}, terms: {sent['terms']}, case deadlines: {cases['deadlines']}, "
                          f"e-mails: {sent['emails'] + cases['emails']}")
