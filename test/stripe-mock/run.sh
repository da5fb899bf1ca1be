#!/usr/bin/env bash
# Runs the Stripe webhook endpoint provider (through Pulumi's dynamic-provider host) against Stripe's official
# mock server, stripe-mock, which checks requests against Stripe's current OpenAPI description.
# Needs Go; without it, says so and exits 0 (the vitest file then reports its test as skipped, not passed).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v go >/dev/null 2>&1; then
    echo "stripe-mock: Go is not installed; not run"
    exit 0
fi

gobin="${GOBIN:-$(go env GOPATH)/bin}"
GOBIN="$gobin" go install github.com/stripe/stripe-mock@latest
log="$(mktemp)"
"$gobin/stripe-mock" -http-addr 127.0.0.1:0 >"$log" 2>&1 &
mock_pid=$!
trap 'kill "$mock_pid" 2>/dev/null || true; rm -f "$log"' EXIT

port=""
for _ in $(seq 1 150); do
    port="$(grep -oE 'Listening for HTTP at address: 127\.0\.0\.1:[0-9]+' "$log" | grep -oE '[0-9]+$' || true)"
    [ -n "$port" ] && break
    kill -0 "$mock_pid" 2>/dev/null || { cat "$log"; echo "stripe-mock exited"; exit 1; }
    sleep 0.2
done
if [ -z "$port" ]; then
    cat "$log"
    echo "stripe-mock: no listening address within 30 s"
    exit 1
fi

echo "stripe-mock listening on 127.0.0.1:$port"
STRIPE_MOCK_URL="http://127.0.0.1:$port" npm exec -- vitest run test/stripe-mock/stripeMock.test.ts
