#!/usr/bin/env bash
# Debian's Chromium for the browser tests and the dashboard benchmark (driven by playwright-core; no browser is
# ever downloaded by Playwright). Installed with apt when /usr/bin/chromium (or CHROMIUM_PATH) is absent.
set -euo pipefail
path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$path" ]; then
  echo "chromium: $path ($("$path" --version 2>/dev/null | head -1))"
  exit 0
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo -n"
echo "chromium: installing Debian's chromium package" >&2
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >&2
"$path" --version
