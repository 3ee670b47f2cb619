#!/usr/bin/env bash
# The browser test, alone: builds the book with `cargo run -p book`, shows
# that each planted breakage in fixtures/ is caught, then checks every page
# of the book in headless Chromium. Needs Node.js and Debian's chromium
# (`apt-get install -y chromium`), or CHROMIUM pointing at a Chromium.
set -euo pipefail
cd "$(dirname "$0")"

chromium=${CHROMIUM:-/usr/bin/chromium}
if ! [ -x "$chromium" ]; then
  echo "error: no Chromium at $chromium: install it with \`apt-get install -y chromium\`, or set CHROMIUM" >&2
  exit 1
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "error: the browser test needs Node.js and npm: \`apt-get install -y nodejs npm\`" >&2
  exit 1
fi

# playwright-core, at the version of package-lock.json (no browser download).
locked='require("./package-lock.json").packages["node_modules/playwright-core"].version'
installed='require("./node_modules/playwright-core/package.json").version'
if ! node -e "process.exit($installed === $locked ? 0 : 1)" 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
fi

(cd ../.. && cargo run --quiet -p book >/dev/null)
node check-book.mjs --self-test
node check-book.mjs
