"""Importing a file: the dry run, the commit, and the portal's import runs.

Every import is checked first. The commit checks the file again inside the one transaction that
writes it: if anything is wrong by then (the file, or the data changed since the dry run), the
transaction is rolled back and nothing at all is written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.cache import figures_changed

from .importers.base import ImportReport
from .models import ImportRun, ImportState
from .reading import FileRejected, read_sheet
from .registry import importer_for

logger = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


def import_reason(filename: str) -> str:
    """The audit reason of every row an import writes: it names the file."""
    return f"Imported from {filename}"


def import_file(
    *, kind: str, data: bytes, filename: str, actor, commit: bool = False, progress: Progress | None = None
) -> ImportReport:
    """Dry-run (default) or commit one file of `kind`. Returns the report; `report.committed` says
    whether anything was written (only when the whole file was clean)."""
    progress = progress or (lambda done, total: None)
    report = ImportReport(kind=kind, filename=filename)
    importer = importer_for(kind, actor=actor, reason=import_reason(filename))
    try:
        sheet = read_sheet(data)
    except FileRejected as error:
        report.file_errors.append(str(error))
        return report
    report.notes += sheet.notes
    found = importer.match_headers(sheet, report)
    if found is None:
        return report
    if not sheet.rows:
        report.file_errors.append("The file has its headers but no rows of data below them.")
        return report
    try:
        with transaction.atomic():
            rows = importer.rows(sheet, found, report)
            importer.run(rows, write=commit, progress=progress)
            if commit and report.ok:
                report.committed = True
                figures_changed()  # bulk writes send no signals
            else:
                # A dry run, or something is wrong: whatever the services wrote goes.
                transaction.set_rollback(True)
    except IntegrityError as error:  # the database's constraints are the backstop of the checks
        report.committed = False
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        report.file_errors.append(f"The database refused the import, so nothing was written: {first_line}")
    return report


# ---------------------------------------------------------------------------------------------
# Runs from the portal: the upload is stored, checked and committed by Celery tasks, which report
# their progress through the cache (the commit's own transaction is invisible to other
# connections until it ends, so the row cannot carry it).


def progress_key(run_id: int) -> str:
    return f"import-run:{run_id}:progress"


def run_progress(run_id: int) -> int:
    """0-100 for the progress bar."""
    return cache.get(progress_key(run_id), 0)


def _progress_for(run_id: int) -> Progress:
    def report(done: int, total: int) -> None:
        cache.set(progress_key(run_id), min(99, round(100 * done / max(total, 1))), 3600)

    return report


def import_run_create(*, kind: str, upload, actor) -> ImportRun:
    """Store an uploaded file as a run waiting for its dry run (queued by the caller)."""
    importer_for(kind)  # an unknown kind is refused before anything is stored
    run = ImportRun(kind=kind, filename=upload.name[:200], size=upload.size, created_by=actor)
    run.file.save(upload.name, ContentFile(upload.read()), save=False)
    run.save()
    return run


def _run_file(run: ImportRun, *, commit: bool, actor) -> ImportReport:
    """The stored file checked or committed; an unexpected failure is kept on the run (for its
    page) and raised (for the task's log)."""
    try:
        with run.file.open("rb") as stored:
            data = stored.read()
        return import_file(
            kind=run.kind, data=data, filename=run.filename, actor=actor, commit=commit, progress=_progress_for(run.pk)
        )
    except Exception as error:
        logger.exception("Import run %s failed", run.pk)
        ImportRun.objects.filter(pk=run.pk).update(state=ImportState.FAILED, error=f"{type(error).__name__}: {error}")
        raise


def import_run_check(*, run_id: int) -> ImportRun:
    """The dry run of a stored upload; the report is kept on the run."""
    run = ImportRun.objects.get(pk=run_id)
    cache.set(progress_key(run.pk), 0, 3600)
    report = _run_file(run, commit=False, actor=run.created_by)
    run.report, run.state, run.checked_at = report.to_dict(), ImportState.CHECKED, timezone.now()
    run.save(update_fields=["report", "state", "checked_at"])
    cache.set(progress_key(run.pk), 100, 3600)
    return run


class ImportNotReady(Exception):
    """The run cannot be committed (not checked, not clean, or already committed)."""


def import_run_commit_start(*, run_id: int, actor) -> ImportRun:
    """Mark a clean, checked run as being imported, so that it is committed once (the row lock
    makes a double click or two tabs run one after the other; the second finds it taken)."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run_id)
        if not run.may_commit:
            raise ImportNotReady(
                "Only a checked file without errors can be imported."
                if run.state != ImportState.COMMITTED
                else "This file has already been imported."
            )
        run.state, run.committed_by = ImportState.COMMITTING, actor
        run.save(update_fields=["state", "committed_by"])
    cache.set(progress_key(run.pk), 0, 3600)
    return run


def import_run_commit(*, run_id: int) -> ImportRun:
    """Write a run that `import_run_commit_start` marked: checked again, all or nothing."""
    run = ImportRun.objects.select_related("committed_by").get(pk=run_id)
    report = _run_file(run, commit=True, actor=run.committed_by)
    run.report = report.to_dict()
    if report.committed:
        run.state, run.committed_at = ImportState.COMMITTED, timezone.now()
    else:
        # The data changed since the dry run (or the file did not hold up): back to a checked run
        # whose report shows why; nothing was written.
        run.state, run.checked_at = ImportState.CHECKED, timezone.now()
    run.save(update_fields=["report", "state", "committed_at", "checked_at"])
    cache.set(progress_key(run.pk), 100, 3600)
    return run
