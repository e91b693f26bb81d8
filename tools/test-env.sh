#!/usr/bin/env bash
# Installs and starts what the tests need: Debian chromium + chromium-driver + CJK fonts (browser tests, report PDFs),
# poppler-utils and zbar-tools (reading PDFs and QR codes back), and a PostgreSQL server on 127.0.0.1 with a test role. Idempotent; run as root.
set -euo pipefail

need=()
for package in chromium chromium-driver fonts-noto-cjk fonts-wqy-microhei poppler-utils zbar-tools postgresql; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || need+=("$package")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "test-env: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# PostgreSQL: one cluster, listening on 127.0.0.1, a role that may create databases.
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
if ! pg_isready -h 127.0.0.1 -q; then
  pg_ctlcluster "$version" main start
fi
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -q && break; sleep 1; done
pg_isready -h 127.0.0.1 -q || { echo "test-env: PostgreSQL did not start" >&2; exit 1; }

# Test classes run in parallel, each with its tenants' pools (and 50 concurrent report issues):
# the default 100 connections are not enough.
if [ "$(runuser -u postgres -- psql -tAq -c 'SHOW max_connections')" -lt 300 ]; then
  runuser -u postgres -- psql -q -c "ALTER SYSTEM SET max_connections = 300"
  pg_ctlcluster "$version" main restart
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -q && break; sleep 1; done
fi

user="${VCMS_TEST_PG_USER:-vcms_test}"
password="${VCMS_TEST_PG_PASSWORD:-vcms_test_pw}"
runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$user') THEN
    CREATE ROLE $user LOGIN PASSWORD '$password' CREATEDB;
  END IF;
END
\$\$;
SQL
echo "test-env: chromium $(chromium --version 2>/dev/null | head -1 | awk '{print $2}'), PostgreSQL $version on 127.0.0.1, role $user"
