# The portal, the Celery worker and beat share this image (see docker-compose.yml).
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=ictmgmt.settings.production
# WeasyPrint renders PDFs with Pango.
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
COPY --from=assets /app/node_modules ./node_modules
RUN pip install --no-cache-dir . \
    && SECRET_KEY=build-only-collectstatic-key-that-is-long-enough-to-pass-the-check-0000 ALLOWED_HOSTS=build \
       python manage.py collectstatic --noinput
RUN useradd --system --home /app ictmgmt && mkdir -p /app/media && chown ictmgmt /app/media
USER ictmgmt
EXPOSE 8000
CMD ["gunicorn", "ictmgmt.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
