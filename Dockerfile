# Image for web, worker and beat. Built from the same constraints.txt that CI installs.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=ozgportal.settings.production
WORKDIR /app

RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml constraints.txt ./
COPY ozgportal ozgportal
COPY catalog catalog
COPY themenfelder themenfelder
COPY labore labore
RUN pip install --no-cache-dir -c constraints.txt . gunicorn
COPY . .
RUN if [ -f package.json ]; then npm ci --omit=dev && make -s assets || true; fi \
    && SECRET_KEY=build-only-$(head -c 64 /dev/urandom | base64 | tr -d '\n') python manage.py collectstatic --noinput

RUN useradd --system --uid 10001 ozg && chown -R ozg /app
USER ozg
EXPOSE 8000
CMD ["gunicorn", "ozgportal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
