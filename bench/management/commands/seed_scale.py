"""``manage.py seed_scale --offices 250 --years 3``: the benchmarks' NAV-sized dataset.

Installed by the benchmarks' settings only (``DJANGO_SETTINGS_MODULE=bench.settings``), so the
application never imports ``bench``.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bench.dataset import Sizes, is_seeded, seed_scale


class Command(BaseCommand):
    help = "Write a deterministic NAV-sized dataset with COPY (PostgreSQL only; see bench/)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--offices", type=int, default=250)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--representatives", type=int, default=30, help="per office")
        parser.add_argument("--rounds", type=int, default=20, help="per office per year")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--reset", action="store_true", help="truncate the application's tables first"
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="do nothing when a dataset of this many offices is already there",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        offices = options["offices"]
        if options["if_missing"] and is_seeded(offices=offices):
            self.stdout.write(f"A dataset of {offices} offices is already there.")
            return
        sizes = Sizes(
            offices=offices,
            years=options["years"],
            representatives=options["representatives"],
            rounds_per_year=options["rounds"],
            seed=options["seed"],
        )
        report = seed_scale(
            sizes, reset=options["reset"] or options["if_missing"], log=self.stdout.write
        )
        self.stdout.write("\n".join(report.lines()))
        self.stdout.write(self.style.SUCCESS(f"Seeded {offices} offices in {report.seconds:.1f} s"))
