"""Demo data for the ICT workforce system (`manage.py seed_demo`): a Bhutan-like government with
years of simulated history, so that every list, report and projection has something to show."""

# The change reason on the "+" audit rows the seed writes.
HISTORY_REASON = "Loaded by seed_demo"
