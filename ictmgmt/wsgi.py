import os

from django.core.wsgi import get_wsgi_application

from ictmgmt.embedded_worker import embedded_worker_enable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ictmgmt.settings.production")

application = get_wsgi_application()

# Without REDIS_URL, tasks sent by requests run in a worker thread of this process (runserver
# loads this module too); with it, they go to Redis and a worker process.
embedded_worker_enable()
