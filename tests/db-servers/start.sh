#!/usr/bin/env bash
# Starts a throwaway PostgreSQL and a throwaway MariaDB on 127.0.0.1 for the tests, each with
# its own data folder under STATE_DIR, a free port and a unix socket inside STATE_DIR, then
# writes STATE_DIR/servers.env: the connection URLs the tests read (see README.md).
#
#   tests/db-servers/start.sh STATE_DIR     # ctest runs it as the `db-servers` setup test
#   tests/db-servers/start.sh STATE_DIR postgresql   # PostgreSQL only: a private server for
#                                           # a test that stops it (the webhook intake test)
#   tests/db-servers/stop.sh STATE_DIR      # stops both, deletes STATE_DIR
#
# The servers refuse to run as root, so as root they run as the `postgres` and `mysql`
# system users (created by their Debian packages); as anyone else, as that user.
set -euo pipefail

state=${1:?usage: start.sh STATE_DIR [postgresql]}
only=${2:-}
here=$(cd "$(dirname "$0")" && pwd)

fail() {
  echo "db-servers: $*" >&2
  exit 1
}

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] ||
  fail "PostgreSQL server not installed (no /usr/lib/postgresql/*/bin/initdb): install the Debian package postgresql (scripts/install-deps.sh does)"
mariadbd=$(command -v mariadbd || command -v mysqld || ls /usr/sbin/mariadbd 2>/dev/null || true)
install_db=$(command -v mariadb-install-db || command -v mysql_install_db || true)
client=$(command -v mariadb || command -v mysql || true)
if [ "$only" != postgresql ]; then
  [ -n "$mariadbd" ] && [ -n "$install_db" ] && [ -n "$client" ] ||
    fail "MariaDB server not installed (no mariadbd or mariadb-install-db): install the Debian package mariadb-server (scripts/install-deps.sh does)"
fi
command -v python3 >/dev/null || fail "python3 is needed to find free ports"

# Leftovers of an earlier run that was not cleaned up.
if [ -d "$state" ]; then "$here/stop.sh" "$state" || true; fi
mkdir -p "$state"
state=$(cd "$state" && pwd)
chmod 755 "$state"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
password() { head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# as USER COMMAND...: runs COMMAND as USER when root, as ourselves otherwise.
as() {
  local user=$1
  shift
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}
pg_user=postgres
my_user=mysql
if [ "$(id -u)" -ne 0 ]; then
  pg_user=$(id -un)
  my_user=$(id -un)
fi

# ---- PostgreSQL ----------------------------------------------------------------------------
pg=$state/postgresql
mkdir -p "$pg"
[ "$(id -u)" -eq 0 ] && chown "$pg_user" "$pg"
pg_port=$(free_port)
hub_pg_password=$(password)
as "$pg_user" "$pg_bin/initdb" -D "$pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
  >"$pg/initdb.log" 2>&1 || fail "initdb failed: $(tail -n 5 "$pg/initdb.log")"
# Only the unix socket in the throwaway folder is trusted; TCP needs a password.
cat >"$pg/data/pg_hba.conf" <<HBA
local all all trust
host all all 127.0.0.1/32 scram-sha-256
HBA
# A test database: durability traded for speed.
pg_options="-c listen_addresses=127.0.0.1 -p $pg_port -k $pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
# A private server is stopped as a crash would be by the test that started it: a commit it
# answered must survive that, so it keeps the default durability.
[ "$only" = postgresql ] &&
  pg_options="-c listen_addresses=127.0.0.1 -p $pg_port -k $pg -c max_connections=50"
# A control script the database-loss test uses to stop and restart the server.
cat >"$pg/ctl" <<CTL
#!/usr/bin/env bash
# $pg/ctl start|stop: this test server only (stop is immediate, as a crash would be).
set -euo pipefail
run() { if [ "\$(id -u)" -eq 0 ]; then runuser -u $pg_user -- "\$@"; else "\$@"; fi; }
case "\${1:-}" in
  start) run "$pg_bin/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -t 30 -o "$pg_options" start >/dev/null ;;
  stop) run "$pg_bin/pg_ctl" -D "$pg/data" -m immediate -w stop >/dev/null ;;
  *) echo "usage: \$0 start|stop" >&2; exit 64 ;;
esac
CTL
chmod 755 "$pg/ctl"
"$pg/ctl" start || fail "PostgreSQL did not start: $(tail -n 5 "$pg/server.log")"
psql() { as "$pg_user" "$pg_bin/psql" -h "$pg" -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
# The hub's user may log in and create and use tables in the `hub` database's schema, nothing
# more (README.md, "Databases"). `hub_admin` is the tests' own: it makes a database per test.
psql -d postgres <<SQL >/dev/null
CREATE ROLE hub LOGIN PASSWORD '$hub_pg_password';
CREATE ROLE hub_admin LOGIN SUPERUSER PASSWORD '$hub_pg_password';
CREATE DATABASE hub;
REVOKE ALL ON DATABASE hub FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE hub TO hub;
\c hub
GRANT USAGE, CREATE ON SCHEMA public TO hub;
SQL

if [ "$only" = postgresql ]; then
  cat >"$state/servers.env.tmp" <<ENV
postgresql=postgresql://host=127.0.0.1 port=$pg_port dbname=hub user=hub password=$hub_pg_password
postgresql_admin=postgresql://host=127.0.0.1 port=$pg_port dbname=postgres user=hub_admin password=$hub_pg_password
postgresql_ctl=$pg/ctl
ENV
  mv "$state/servers.env.tmp" "$state/servers.env"
  echo "db-servers: PostgreSQL on 127.0.0.1:$pg_port ($state/servers.env)"
  exit 0
fi

# ---- MariaDB -------------------------------------------------------------------------------
my=$state/mariadb
mkdir -p "$my"
[ "$(id -u)" -eq 0 ] && chown "$my_user" "$my"
my_port=$(free_port)
hub_my_password=$(password)
as "$my_user" "$install_db" --no-defaults --datadir="$my/data" --auth-root-authentication-method=normal \
  --skip-test-db >"$my/install.log" 2>&1 ||
  fail "mariadb-install-db failed: $(tail -n 5 "$my/install.log")"
user_option=()
[ "$(id -u)" -eq 0 ] && user_option=(--user="$my_user")
"$mariadbd" --no-defaults "${user_option[@]}" --datadir="$my/data" --socket="$my/mysqld.sock" \
  --pid-file="$my/mysqld.pid" --port="$my_port" --bind-address=127.0.0.1 --skip-name-resolve \
  --log-error="$my/server.log" --innodb-flush-log-at-trx-commit=0 --innodb-buffer-pool-size=64M \
  --innodb-log-file-size=16M --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
  --skip-log-bin </dev/null >/dev/null 2>&1 &
for _ in $(seq 1 300); do
  [ -S "$my/mysqld.sock" ] && "$client" --no-defaults -S "$my/mysqld.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
  sleep 0.1
done
"$client" --no-defaults -S "$my/mysqld.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 ||
  fail "MariaDB did not start: $(tail -n 5 "$my/server.log" 2>/dev/null)"
"$client" --no-defaults -S "$my/mysqld.sock" -uroot <<SQL
CREATE DATABASE hub CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER 'hub'@'127.0.0.1' IDENTIFIED BY '$hub_my_password';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX ON hub.* TO 'hub'@'127.0.0.1';
CREATE USER 'hub_admin'@'127.0.0.1' IDENTIFIED BY '$hub_my_password';
GRANT ALL PRIVILEGES ON *.* TO 'hub_admin'@'127.0.0.1' WITH GRANT OPTION;
SQL

cat >"$state/servers.env.tmp" <<ENV
postgresql=postgresql://host=127.0.0.1 port=$pg_port dbname=hub user=hub password=$hub_pg_password
postgresql_admin=postgresql://host=127.0.0.1 port=$pg_port dbname=postgres user=hub_admin password=$hub_pg_password
postgresql_ctl=$pg/ctl
mysql=mysql://host=127.0.0.1 port=$my_port db=hub user=hub password=$hub_my_password charset=utf8mb4
mysql_admin=mysql://host=127.0.0.1 port=$my_port db=mysql user=hub_admin password=$hub_my_password charset=utf8mb4
ENV
mv "$state/servers.env.tmp" "$state/servers.env"
echo "db-servers: PostgreSQL on 127.0.0.1:$pg_port, MariaDB on 127.0.0.1:$my_port ($state/servers.env)"
