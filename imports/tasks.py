from celery import shared_task


@shared_task(soft_time_limit=600, time_limit=660)
def check_import_run(run_id: int) -> str:
    """The dry run of an uploaded file; failure is kept on the run for the page to show."""
    from .services import import_run_check

    return import_run_check(run_id=run_id).state


@shared_task(soft_time_limit=900, time_limit=960)
def commit_import_run(run_id: int) -> str:
    """The commit of a checked file, all or nothing."""
    from .services import import_run_commit

    return import_run_commit(run_id=run_id).state
