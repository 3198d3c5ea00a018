"""What every app uses and no domain owns: API base classes, paging, form and admin helpers,
dates, PDF, spreadsheets, downloads and the figures cache. It imports no project app (the app
order is checked by tests/test_architecture.py)."""
