#!/usr/bin/env python
"""Django's command-line utility, with configuration errors reported in one line."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmgmt.settings.local")
    from ictmgmt.startup import run_reporting_config_errors

    run_reporting_config_errors(sys.argv)


if __name__ == "__main__":
    main()
