"""Turn the configuration mistakes people actually make into one line they can act on.

A wrong DATABASE_URL, a database server that is down, or an unreachable Redis otherwise end in a
long stack trace that hides the cause; here they print `error: <what> <how to fix>` and exit 2.
"""

import os
import sys

from django.core.exceptions import ImproperlyConfigured


def config_error_message(exc: BaseException) -> str | None:
    """The one line that says what to fix when `exc` is a configuration mistake we recognise, else None."""
    from django.db import OperationalError as DatabaseError
    from kombu.exceptions import OperationalError as BrokerError

    if isinstance(exc, ImproperlyConfigured):
        return str(exc)
    if isinstance(exc, DatabaseError):
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        return (
            f"cannot use the database named by DATABASE_URL ({first}). Check that the server is running "
            "and that DATABASE_URL names the right host, port, user and database."
        )
    if isinstance(exc, BrokerError):
        redis = os.environ.get("REDIS_URL", "")
        return (
            f"cannot reach the task broker at REDIS_URL={redis!r} ({exc}). Start Redis, correct "
            "REDIS_URL, or unset it to run tasks in-process."
        )
    return None


def run_reporting_config_errors(argv: list[str]) -> None:
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except Exception as exc:  # noqa: BLE001 - anything we cannot explain is re-raised below
        message = config_error_message(exc)
        if message is None:
            raise
        print(f"error: {message}", file=sys.stderr)
        sys.exit(2)
