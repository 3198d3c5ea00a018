"""The Celery application, configured from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmgmt.settings.local")

app = Celery("ictmgmt")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(bind=True, ignore_result=False)
def ping(self) -> str:
    """Round-trip check used by the health test: answers from whichever worker ran it."""
    return f"pong from {self.request.hostname}"
