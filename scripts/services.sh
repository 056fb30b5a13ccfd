#!/usr/bin/env bash
# Starts the servers the full test suite talks to, on loopback, from Debian's packages:
# PostgreSQL (the store's tests run against it when SUBSIDY_TEST_POSTGRES_URL is set) and Redis (the
# web service's distributed job queue is tested against it when SUBSIDY_TEST_REDIS_URL is set).
# Safe to run again. Used by .ci/run; run it by hand to test against PostgreSQL locally.
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 1
done
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_roles WHERE rolname='subsidy'\"" | grep -q 1 \
  || su postgres -c "psql -q -c \"CREATE ROLE subsidy LOGIN SUPERUSER PASSWORD 'subsidy'\""
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_database WHERE datname='subsidy_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O subsidy subsidy_test"
echo "services: PostgreSQL $version on 127.0.0.1:5432 (database subsidy_test)"

if ! command -v redis-server >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
  # Loopback only, no persistence: a test queue, not a store.
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" --appendonly no \
    --logfile /tmp/subsidy-redis.log >/dev/null
fi
for _ in $(seq 30); do
  redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG && break
  sleep 0.5
done
echo "services: Redis on 127.0.0.1:6379"
