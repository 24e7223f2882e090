#!/usr/bin/env bash
# Installs what Campaign Hub needs to build and test on Debian 12, from Debian's packages.
# Run as root (or with sudo). README.md says why each library is there.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost-dev libboost-filesystem-dev   # Boost.DLL: loading plugins
  libcurl4-openssl-dev                   # the HTTP connector
  rapidjson-dev                          # JSON, and JSON Schema validation
  libspdlog-dev                          # logging
  libsoci-dev libsqlite3-dev sqlite3     # SQL access; SQLite is the default database
  libpq-dev libmariadb-dev               # headers of SOCI's PostgreSQL and MySQL backends
  postgresql mariadb-server              # real servers for the store tests (tests/db-servers)
  libcli11-dev                           # the command line
  libcpp-httplib-dev                     # the provider simulator's HTTP server
  libgtest-dev libgmock-dev              # tests
  python3                                # the benchmark's script peer
  prometheus-cpp-dev                     # serve's /metrics in the Prometheus text format
  prometheus                             # promtool: the tests check /metrics with it
  libsystemd-dev                         # serve's sd_notify (READY, STOPPING, WATCHDOG)
  libhowardhinnant-date-dev              # cron schedules in named time zones (system tzdata)
  libssl-dev                             # TLS on serve's listener
  libxxhash-dev                          # XXH3: the store's content digest (header-only)
  openssl                                # tests: a throwaway certificate for serve's TLS test
  clang libfuzzer-14-dev                 # scripts/fuzz.sh: libFuzzer targets need clang (tests/fuzz)
  libclang-rt-14-dev                     # clang's ASan, UBSan and libFuzzer runtimes (only recommended)
  clang-format                           # tests: format-check (scripts/check-format.sh)
  clang-tidy                             # CI: scripts/tidy.sh over the production code
  chromium chromium-driver               # tests: the page in a real headless browser (WebDriver)
  fonts-dejavu-core                      # tests: a font for the browser's screenshots
)

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "install-deps: ${#packages[@]} packages present"
