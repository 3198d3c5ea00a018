"""`python -m bench`: the system at national scale, measured (see bench/README section in README.md)."""

from bench.run import main

raise SystemExit(main())
