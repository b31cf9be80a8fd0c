# Local PostgreSQL and Redis for the integration tests. Source it (bash):
#
#   source .ci/services.sh      # starts both (or reuses running ones), exports
#                               # SLOTBOT_TEST_POSTGRES_URL and SLOTBOT_TEST_REDIS_URL
#   slotbot_services_stop       # stops what this shell started (also on EXIT,
#                               # unless the caller has an EXIT trap of its own)
#
# Runs as root on Debian 12; installs postgresql and redis-server with apt-get
# only when their binaries are missing. The database is throwaway (fsync off).

SLOTBOT_PG_BIN=${SLOTBOT_PG_BIN:-/usr/lib/postgresql/15/bin}
SLOTBOT_PG_PORT=${SLOTBOT_PG_PORT:-55432}
SLOTBOT_REDIS_PORT=${SLOTBOT_REDIS_PORT:-56379}

_slotbot_install_services() {
    local missing=()
    [ -x "$SLOTBOT_PG_BIN/pg_ctl" ] || missing+=(postgresql)
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "services.sh: installing ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -q &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

# initdb and the server refuse to run as root.
_slotbot_as_postgres() {
    runuser -u postgres -- "$@"
}

_slotbot_start_postgres() {
    if "$SLOTBOT_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$SLOTBOT_PG_PORT"; then
        return 0  # already running (sourced twice, or left by an earlier run)
    fi
    SLOTBOT_PG_DATA=$(mktemp -d /tmp/slotbot-postgres.XXXXXX) || return 1
    chown postgres:postgres "$SLOTBOT_PG_DATA" &&
        _slotbot_as_postgres "$SLOTBOT_PG_BIN/initdb" -D "$SLOTBOT_PG_DATA" -U postgres \
            --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null || return 1
    # max_connections: each pytest worker's concurrency tests open dozens at once.
    _slotbot_as_postgres "$SLOTBOT_PG_BIN/pg_ctl" -D "$SLOTBOT_PG_DATA" -w -t 60 \
        -l "$SLOTBOT_PG_DATA/server.log" \
        -o "-h 127.0.0.1 -p $SLOTBOT_PG_PORT -k $SLOTBOT_PG_DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
        start >/dev/null || { cat "$SLOTBOT_PG_DATA/server.log" >&2; return 1; }
    SLOTBOT_STARTED_POSTGRES=1
}

_slotbot_create_database() {
    local exists
    exists=$("$SLOTBOT_PG_BIN/psql" -h 127.0.0.1 -p "$SLOTBOT_PG_PORT" -U postgres \
        -tAc "SELECT 1 FROM pg_database WHERE datname = 'slotbot_test'") || return 1
    [ "$exists" = 1 ] ||
        "$SLOTBOT_PG_BIN/createdb" -h 127.0.0.1 -p "$SLOTBOT_PG_PORT" -U postgres slotbot_test
}

_slotbot_start_redis() {
    if redis-cli -h 127.0.0.1 -p "$SLOTBOT_REDIS_PORT" ping >/dev/null 2>&1; then
        return 0
    fi
    redis-server --port "$SLOTBOT_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
        --daemonize yes \
        --logfile /tmp/slotbot-redis.log || return 1
    local _
    for _ in $(seq 50); do
        redis-cli -h 127.0.0.1 -p "$SLOTBOT_REDIS_PORT" ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    SLOTBOT_STARTED_REDIS=1
}

# Stops the servers this shell started; leaves ones it found running alone.
slotbot_services_stop() {
    if [ -n "${SLOTBOT_STARTED_POSTGRES:-}" ]; then
        _slotbot_as_postgres "$SLOTBOT_PG_BIN/pg_ctl" -D "$SLOTBOT_PG_DATA" -m fast -w stop >/dev/null
        rm -rf "$SLOTBOT_PG_DATA"
        unset SLOTBOT_STARTED_POSTGRES
    fi
    if [ -n "${SLOTBOT_STARTED_REDIS:-}" ]; then
        redis-cli -h 127.0.0.1 -p "$SLOTBOT_REDIS_PORT" shutdown nosave >/dev/null 2>&1
        unset SLOTBOT_STARTED_REDIS
    fi
}

if _slotbot_install_services && _slotbot_start_postgres && _slotbot_create_database &&
    _slotbot_start_redis; then
    export SLOTBOT_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$SLOTBOT_PG_PORT/slotbot_test"
    export SLOTBOT_TEST_REDIS_URL="redis://127.0.0.1:$SLOTBOT_REDIS_PORT/0"
    # Keep a caller's own EXIT trap; it should call slotbot_services_stop itself.
    [ -n "$(trap -p EXIT)" ] || trap slotbot_services_stop EXIT
else
    echo "services.sh: could not start PostgreSQL and Redis" >&2
    slotbot_services_stop
    return 1
fi
