#!/usr/bin/env bash
# Writes copies of the system's pkg-config files that carry `-pthread` into DIR (default
# .build/pkgconfig), without it. SwiftPM refuses `-pthread` from pkg-config ("warning: prohibited
# flag(s): -pthread") on every build; glib's gmodule/gthread files put it in Cflags and Libs.
# Dropping it changes nothing here: since glibc 2.34 (Debian 12 has 2.36) the threads library is
# part of libc, and the C headers Folio imports do not depend on _REENTRANT.
# The Makefile puts DIR first on PKG_CONFIG_PATH, so every other file is the system's own.
set -euo pipefail
dir=${1:-.build/pkgconfig}
mkdir -p "$dir"
for sys in $(pkg-config --variable pc_path pkg-config | tr ':' ' '); do
  [ -d "$sys" ] || continue
  for pc in "$sys"/*.pc; do
    [ -f "$pc" ] || continue
    grep -Eq '^(Libs|Cflags):.*-pthread' "$pc" || continue
    out="$dir/$(basename "$pc")"
    [ -f "$out" ] && continue   # an earlier search path wins, as in pkg-config
    sed -E '/^(Libs|Cflags):/ s/ ?-pthread//g' "$pc" > "$out"
  done
done
