#!/bin/sh
# Runs crate/wasm/tests in headless Chromium, inside a service worker, against a fresh emulator.
# Usage (from the workspace root): sh crate/wasm/browser-tests.sh
# Needs: wasm32-unknown-unknown target, wasm-bindgen-cli (= the wasm-bindgen version in
# Cargo.lock) on PATH, /usr/bin/chromium and /usr/bin/chromedriver.
set -eu
cargo build -q -p idc-emulator
out=$(mktemp)
# 60 accounts under a 20 req/s throttle, so the browser listing meets 429s; 1 s device polling.
./target/debug/idc-emulator --port 0 --accounts 60 --roles-per-account 3 --throttle-rps 20 \
    --poll-interval-secs 1 >"$out" 2>/dev/null &
emu=$!
trap 'kill $emu 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 50); do grep -q listening "$out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$out")
[ -n "$url" ] || { echo "the emulator did not start" >&2; exit 1; }
# webdriver.json (next to this script) adds --headless --no-sandbox for chromedriver.
cd "$(dirname "$0")"
WASM_BINDGEN_USE_BROWSER=1 WASM_BINDGEN_USE_SERVICE_WORKER=1 \
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
IDC_EMULATOR_URL="$url" \
    cargo test -p ssobridge-wasm --target wasm32-unknown-unknown "$@"
