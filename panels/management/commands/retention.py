"""``manage.py retention [--dry-run]``: erase what the retention rules say is due."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from panels.retention import RetentionPlan, retention_run


class Command(BaseCommand):
    help = (
        "Erase candidates' names past retention, representatives who did not renew consent, "
        "and audit events past retention. Prints counts and ids, never names."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be erased; change nothing."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        plan = retention_run(dry_run=dry_run)
        self.stdout.write(_report(plan, dry_run=dry_run))


def _ids(ids: list[int]) -> str:
    return ", ".join(str(pk) for pk in ids) if ids else "-"


def _report(plan: RetentionPlan, *, dry_run: bool) -> str:
    verb = "would erase" if dry_run else "erased"
    return "\n".join(
        [
            f"retention ({'dry run, nothing changed' if dry_run else 'done'})",
            f"candidates' names {verb}: {len(plan.candidate_ids)} "
            f"(rounds: {_ids(plan.round_ids)}; candidate ids: {_ids(plan.candidate_ids)})",
            f"representatives {verb}: {len(plan.representative_ids)} "
            f"(ids: {_ids(plan.representative_ids)})",
            f"audit events {'past retention' if dry_run else 'purged'}: {plan.audit_events} "
            f"(before {plan.audit_before:%Y-%m-%d})",
        ]
    )
