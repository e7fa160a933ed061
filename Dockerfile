# The simulator as an image: gunicorn with several workers, as a non-root user.
#   docker build -t enrollsim .
#   docker run -p 8000:8000 enrollsim                       # SQLite in the volume /srv/enrollsim/instance
#   docker run -p 8000:8000 -e ENROLLSIM_DATABASE_URL=postgresql+psycopg://u:p@db/enrollsim enrollsim
# compose.yaml runs it with PostgreSQL. Every setting is an ENROLLSIM_* variable (README).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ENROLLSIM_BIND=0.0.0.0:8000 \
    ENROLLSIM_WORKERS=2 \
    ENROLLSIM_THREADS=8 \
    ENROLLSIM_FORWARDED_ALLOW_IPS=*

WORKDIR /srv/enrollsim
RUN groupadd --system enrollsim \
    && useradd --system --gid enrollsim --home-dir /srv/enrollsim --shell /usr/sbin/nologin enrollsim

COPY pyproject.toml README.md gunicorn.conf.py ./
COPY app ./app
COPY migrations ./migrations
COPY scenarios ./scenarios
COPY templates ./templates
COPY static ./static
RUN pip install --editable '.[postgres]' \
    && mkdir instance && chown enrollsim:enrollsim instance

USER enrollsim
VOLUME ["/srv/enrollsim/instance"]
EXPOSE 8000
# Liveness only (no token needed, no tenant data shown); /_sim/ready is for a load balancer.
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/_sim/health', timeout=2)"]
# Workers migrate and seed at start behind a database lock; gunicorn.conf.py has the settings.
CMD ["gunicorn", "app:create_app()"]
