#!/usr/bin/env bash
# Installs the Debian packages given as arguments when any is missing. Quiet when all are there.
set -euo pipefail
missing=()
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "folio: missing Debian packages: ${missing[*]}" >&2
  echo "folio: run as root, or: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "folio: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
