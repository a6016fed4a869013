#!/usr/bin/env bash
# The console's browser tests drive Debian's chromium (playwright-core brings no browser of its own).
# Nothing to do when it is installed; otherwise install it with apt-get, or stop with a clear message:
# a missing browser fails the test run, it is never skipped.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi

fail() {
  echo "ensure-chromium: $1" >&2
  echo "ensure-chromium: install it yourself with: apt-get install -y chromium fonts-liberation (as root), then run the tests again." >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 || fail "$CHROMIUM is missing and apt-get is not available (Debian or Ubuntu needed)."

if [ "$(id -u)" -eq 0 ]; then
  AS_ROOT=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  AS_ROOT=(sudo -n)
else
  fail "$CHROMIUM is missing and this user cannot install packages (not root, no password-less sudo)."
fi

echo "ensure-chromium: installing Debian's chromium for the console's browser tests…" >&2
export DEBIAN_FRONTEND=noninteractive
"${AS_ROOT[@]}" apt-get update -qq || fail "apt-get update failed."
# fonts-liberation: metric-compatible fonts, so pages and screenshots render the same on every machine.
"${AS_ROOT[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null || fail "apt-get install chromium failed."
[ -x "$CHROMIUM" ] || fail "chromium was installed but $CHROMIUM is not there."
echo "ensure-chromium: $("$CHROMIUM" --version)" >&2
