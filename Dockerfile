# Slotbot: a slim image that runs as an unprivileged user.
#   docker build -t slotbot .
#   docker run --env-file .env slotbot serve telegram --health-port 8080
# compose.yaml runs the whole production set (bot, worker with beat, PostgreSQL, Redis, Mailpit).

FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY bots bots
COPY config config
COPY core core
COPY mail mail
COPY nlp nlp
COPY storage storage
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim-bookworm
# pg_dump/pg_restore for `slotbot backup` and `slotbot restore` (client 15: use PostgreSQL 15).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin slotbot \
    && mkdir /data && chown slotbot:slotbot /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER slotbot
WORKDIR /data
ENV PYTHONUNBUFFERED=1 \
    SLOTBOT_DATABASE_URL=sqlite:////data/slotbot.db
VOLUME ["/data"]
# 3000: Slack over HTTP (/slack/events); 3001: Telegram's webhook with `all`; 8080: health.
EXPOSE 3000 3001 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/readyz', timeout=4)"]
ENTRYPOINT ["slotbot"]
CMD ["serve", "all", "--health-port", "8080"]
