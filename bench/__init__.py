"""The benchmark: seeds (or reuses) the national-scale data set on PostgreSQL, serves the portal
under gunicorn with production settings, and times the pages, API calls and computations that
users wait for. Query counts are pinned (the run fails when one grows); timings are reported,
not asserted, because shared machines are noisy."""
