# ReportRun and the analytics arrive with the reports issue.
