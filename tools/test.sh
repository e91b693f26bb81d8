#!/usr/bin/env bash
# The README's test command: installs what the tests need, then runs every test
# (unit, integration on SQLite and PostgreSQL, browser) and prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

bash tools/test-env.sh || exit 1
export VCMS_TEST_PG="${VCMS_TEST_PG:-Host=127.0.0.1;Port=5432;Username=vcms_test;Password=vcms_test_pw;Database=postgres}"

results="${TEST_RESULTS:-$PWD/TestResults}"
rm -rf "$results"
mkdir -p "$results"
dotnet build Verification.Cms.sln -c Release -nologo -clp:ErrorsOnly || exit 1
dotnet test Verification.Cms.sln -c Release --no-build -nologo \
  --logger "trx;LogFileName=tests.trx" --results-directory "$results" \
  -- xUnit.ParallelizeTestCollections=true
status=$?

# A plain summary line from the trx results.
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(f).getroot().find(".//{*}Counters")
    if c is not None:
        passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
        skipped += int(c.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
