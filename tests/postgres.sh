# Sourced by tests/run: installs PostgreSQL from Debian if it is missing, starts
# a throwaway server on a free loopback port, exports WAYMARK_TEST_POSTGRES, and
# stops the server (and deletes its files) when the calling script exits.
# The server also speaks TLS with a certificate for localhost from a throwaway
# CA, and has a role that may connect over TLS only, with its own database:
# WAYMARK_TEST_POSTGRES_TLS names it (verify-full against that CA), so a test
# that gets in as that role knows its connection was encrypted.

start_postgres() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        echo "== installing PostgreSQL (Debian)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    PG_DIR=$(mktemp -d /tmp/waymark-pg.XXXXXX)
    local as=()
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$PG_DIR"
        as=(runuser -u postgres --)
    fi
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U waymark -A trust --no-sync >/dev/null
    make_test_certificates "$PG_DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR/server.key" "$PG_DIR/server.crt"; fi
    local hba="$PG_DIR/data/pg_hba.conf"
    { echo "hostssl all waymark_tls 127.0.0.1/32 trust"; echo "host all waymark_tls 127.0.0.1/32 reject"; cat "$hba"; } >"$hba.new"
    cat "$hba.new" >"$hba" && rm "$hba.new"
    "${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c ssl=on -c ssl_cert_file=$PG_DIR/server.crt -c ssl_key_file=$PG_DIR/server.key" start >/dev/null
    PG_CTL=("${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data")
    trap stop_postgres EXIT
    "${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U waymark relay
    "${as[@]}" "$bin/psql" -q -h 127.0.0.1 -p "$port" -U waymark -d relay -c "CREATE ROLE waymark_tls LOGIN"
    "${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U waymark -O waymark_tls relay_tls
    export WAYMARK_TEST_POSTGRES="postgres://waymark@127.0.0.1:$port/relay"
    export WAYMARK_TEST_POSTGRES_TLS="postgres://waymark_tls@localhost:$port/relay_tls?sslmode=verify-full&sslrootcert=$PG_DIR/ca.crt"
    echo "== PostgreSQL on 127.0.0.1:$port (TLS too)"
}

# make_test_certificates DIR: a throwaway CA (ca.crt) and a certificate for
# localhost that it signed (server.crt, server.key), valid long enough for
# tests/clock.sh's runs 400 days on.
make_test_certificates() {
    local dir=$1 ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
    openssl req -x509 "${ec[@]}" -days 1000 -subj "/CN=Waymark test CA" -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
    openssl req "${ec[@]}" -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$dir/server.ext"
    openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 1000 \
        -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null
    chmod 600 "$dir/server.key"
}

stop_postgres() {
    "${PG_CTL[@]}" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
}
