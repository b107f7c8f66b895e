# Image for web, worker, beat and the one-shot setup. Built from the same constraints.txt that CI installs.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=ozgportal.settings.production
WORKDIR /app

# Node.js and make only to copy the KERN UX assets from npm at build time (no CDN at run time).
RUN apt-get update && apt-get install -y --no-install-recommends make nodejs npm && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml constraints.txt ./
COPY ozgportal ozgportal
COPY catalog catalog
COPY themenfelder themenfelder
COPY labore labore
COPY berichte berichte
RUN pip install --no-cache-dir -c constraints.txt .

COPY . .
RUN make assets \
    && SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
       python manage.py collectstatic --noinput -v0 \
    && rm -rf node_modules

# The opendata and media volumes take these directories' owner when first mounted.
RUN useradd --system --uid 10001 ozg && mkdir -p /app/var/opendata /app/var/media && chown -R ozg /app
USER ozg
EXPOSE 8000
# Workers, access log and how a response is written: ozgportal/gunicorn.conf.py (the same for every start).
CMD ["gunicorn", "-c", "ozgportal/gunicorn.conf.py", "ozgportal.wsgi:application", "--bind", "0.0.0.0:8000"]
