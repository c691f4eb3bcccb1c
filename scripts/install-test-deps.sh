#!/usr/bin/env bash
# Installs what the test suite needs on a clean Debian machine with the .NET 10 SDK.
# Idempotent: does nothing when everything is present. One line per program: "program debian-package".
set -euo pipefail

command -v dotnet >/dev/null || { echo "the .NET 10 SDK (dotnet) is required" >&2; exit 1; }

need=()
while read -r program package; do
  [ -z "$program" ] && continue
  command -v "$program" >/dev/null || need+=("$package")
done <<'LIST'
ffmpeg ffmpeg
redis-server redis-server
openssl openssl
Xvfb xvfb
/usr/games/supertux2 supertux
chromium chromium
LIST

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}"
fi
