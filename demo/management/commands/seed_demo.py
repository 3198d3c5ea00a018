from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.logins import existing_logins
from demo.reset import existing_data
from demo.seed import seed_demo

KIND_LABELS = [
    ("ministry", "ministries"),
    ("department", "departments"),
    ("autonomous", "autonomous agencies"),
    ("dzongkhag", "dzongkhags"),
    ("thromde", "thromdes"),
]


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Fill an empty database with Bhutan-like demo data: about 65 agencies with ICT units and sanctioned "
        "posts, N professionals in service with Y years of simulated history (appointments, transfers, "
        "promotions, leave and exits), and demo logins for every role. Deterministic for a given --seed and day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--professionals", type=positive_int, default=320, help="Professionals in service today (default 320)."
        )
        parser.add_argument(
            "--years", type=positive_int, default=10, help="Years of history before today, 1 to 30 (default 10)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Seed only an empty database; otherwise keep the data and list the logins (used by make demo).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="First delete all agencies, professionals, their history and non-superuser accounts.",
        )

    def handle(self, *args, professionals, years, seed, reset, if_empty, **options):
        if years > 30:
            raise CommandError("--years goes up to 30: the simulated careers start about 30 years before the history.")
        if reset and if_empty:
            raise CommandError("--reset and --if-empty contradict each other; give one of them.")
        if not reset:
            found = [f"{count:,} {what}" for what, count in existing_data().items() if count]
            if found and if_empty:
                self.stdout.write("The database already has data; nothing was seeded.")
                self._write_logins(existing_logins())
                return
            if found:
                listed = found[0] if len(found) == 1 else ", ".join(found[:-1]) + " and " + found[-1]
                raise CommandError(
                    f"The database already has {listed}; run with --reset to replace all demo data, "
                    "or use an empty database."
                )
        summary = seed_demo(professionals=professionals, years=years, seed=seed, reset=reset)
        self._report(summary, seed=seed, years=years)

    def _report(self, summary, *, seed: int, years: int) -> None:
        out = self.stdout
        kinds = summary.agencies_by_kind
        out.write(
            self.style.SUCCESS(
                f"Demo data seeded in {summary.seconds:.1f} s (seed {seed}, {years} years of history up to "
                f"{summary.today:%d %b %Y})."
            )
        )
        by_kind = ", ".join(f"{kinds[code]} {label}" for code, label in KIND_LABELS if kinds[code])
        out.write(f"  Agencies: {sum(kinds.values())} ({by_kind}), {summary.ict_units} ICT units")
        statuses = summary.statuses
        in_service = ", ".join(
            f"{statuses[s]} {s.replace('_', ' ')}" for s in ("active", "eol", "study_leave", "seconded")
        )
        exited = ", ".join(
            f"{statuses[s]} {s.replace('_', ' ')}"
            for s in ("resigned", "retired", "left_cadre", "terminated", "deceased")
            if statuses[s]
        )
        out.write(f"  Professionals in service: {summary.in_service:,} ({in_service})")
        out.write(f"  Professionals who left: {summary.exited:,} ({exited})")
        rows = summary.rows
        out.write(
            f"  {rows['placements']:,} placements, {rows['status_events']:,} status events, "
            f"{rows['grade_changes']:,} grade changes, {rows['qualifications']:,} qualifications, "
            f"{summary.sanctioned_posts:,} sanctioned-post rows"
        )
        out.write(
            f"  {summary.pending_changes} status changes due (leave ended, superannuation reached) "
            "wait for confirmation"
        )
        out.write(f"  {summary.transfer_requests} transfer requests in every state, with numbered office orders")
        if summary.competencies is not None:
            c = summary.competencies
            out.write(
                f"  {c.assessments:,} assessments, {c.programmes} training programmes with {c.requests} requests, "
                f"{c.certifications:,} certifications ({c.expiring_soon} expiring within 60 days), "
                f"{c.memberships} expert-pool memberships, {c.deployments} deployments"
            )
        if summary.meetings is not None:
            meetings = summary.meetings
            states = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in sorted(meetings.by_status.items()))
            out.write(
                f"  {meetings.events} events with {meetings.invitations:,} invitations, "
                f"{meetings.action_items} action items ({states})"
            )
        self._write_logins(summary.logins)

    def _write_logins(self, logins) -> None:
        out = self.stdout
        if not logins:
            out.write("There are no demo logins in this database (create one with: manage.py createsuperuser).")
            return
        out.write("")
        out.write("Demo logins:")
        width = max(len(login.username) for login in logins)
        role_width = max(len(login.role) for login in logins)
        out.write(f"  {'Username':<{width}}  {'Role':<{role_width}}  Scope")
        for login in logins:
            out.write(f"  {login.username:<{width}}  {login.role:<{role_width}}  {login.scope}")
        out.write(f"Password for every demo login: {settings.DEMO_PASSWORD} (DEMO_PASSWORD)")
