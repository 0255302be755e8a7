#!/bin/sh
# Compose one-shot `temporal-setup` (image temporalio/admin-tools): creates the namespace and registers
# docket's search attributes, the ones lib/search-attributes.ts defines (test/unit/compose.test.ts
# checks that the two lists agree). Idempotent. The temporal CLI reads TEMPORAL_ADDRESS itself.
set -eu

ns="${TEMPORAL_NAMESPACE:-default}"
search_attributes="DocumentStatus:Keyword DocumentChecksum:Keyword ReviewRequired:Bool MinConfidence:Double PageCount:Int ReviewOverdue:Bool"

until temporal operator cluster health 2>/dev/null | grep -q SERVING; do
  echo "temporal-setup: waiting for Temporal at ${TEMPORAL_ADDRESS:-localhost:7233}"
  sleep 2
done

if temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1; then
  echo "temporal-setup: namespace $ns exists"
else
  # Closed documents' histories stay a week: long enough to read a failure and re-drive it.
  temporal operator namespace create --namespace "$ns" --retention 168h
fi

# A new namespace takes a few seconds to reach every server cache: retry each step for a minute.
retry() {
  n=0
  until "$@"; do
    n=$((n + 1))
    [ "$n" -lt 30 ] || return 1
    sleep 2
  done
}

registered() {
  temporal operator search-attribute list --namespace "$ns" | grep -qw "$1"
}

for pair in $search_attributes; do
  name="${pair%%:*}"
  type="${pair#*:}"
  if retry temporal operator search-attribute list --namespace "$ns" >/dev/null 2>&1 && registered "$name"; then
    echo "temporal-setup: search attribute $name exists"
  else
    retry temporal operator search-attribute create --namespace "$ns" --name "$name" --type "$type"
  fi
done
echo "temporal-setup: namespace $ns and search attributes ready"
