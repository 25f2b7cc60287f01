# Production image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY portal ./portal
COPY partnership ./partnership
COPY governance ./governance
COPY metrics ./metrics
RUN pip install --no-cache-dir .
COPY . .
# collectstatic needs settings, and settings need a database URL: a placeholder is enough.
RUN DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput
RUN useradd --create-home lockstep && mkdir -p /app/var && chown lockstep /app/var
USER lockstep
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
