"""Test settings: the same code paths as production, made fast and deterministic."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-secret-key-only-used-by-the-test-suite-0123456789"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Throttling is tested on purpose in its own tests; elsewhere it would lock test users out.
AXES_ENABLED = env.bool("AXES_ENABLED", default=False)
# Tests run tasks eagerly unless a test asks for the live worker (tests/live_worker.py) or the
# embedded worker thread (tests/test_embedded_worker.py) explicitly.
CELERY_TASK_ALWAYS_EAGER = True
EMBEDDED_TASK_WORKER = False
# Each test run keeps its cache in the process (a shared Redis would carry cached figures from one
# run's database into the next); conftest.py empties it before every test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
