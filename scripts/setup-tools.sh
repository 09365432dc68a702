#!/usr/bin/env bash
# Installs every optional tool the test suite runs, on Debian/Ubuntu (as root, or with sudo):
# the shells (dash, busybox, zsh), shellcheck, python3, the tr_TR.UTF-8 locale, Chromium, and
# PowerShell 7.6.9 (pinned; the unpinned .NET tool install fails on these feeds). Idempotent.
# `npm run setup:tools` runs it; .ci/run calls it before the tests.
set -euo pipefail

PWSH_VERSION=7.6.9
SUDO=
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "setup-tools: run as root (or install sudo): apt-get is needed" >&2
    exit 1
  fi
fi

need=()
for pair in dash:dash busybox:busybox zsh:zsh shellcheck:shellcheck python3:python3 setpriv:util-linux \
  localedef:locales chromium:chromium; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
[ -e /usr/share/i18n/locales/tr_TR ] || need+=(locales)
if [ "${#need[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-tools: no apt-get; install these yourself: ${need[*]}" >&2
    exit 1
  fi
  echo "setup-tools: installing ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The Turkish locale (dotless i) for the locale runs of the parity tests.
if ! locale -a 2>/dev/null | grep -iq '^tr_TR\.utf-\?8$'; then
  $SUDO localedef -i tr_TR -f UTF-8 tr_TR.UTF-8
fi

# PowerShell from the .NET tool feed, pinned.
PWSH="$HOME/.dotnet/tools/pwsh"
have=$("$PWSH" -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null || true)
if [ "$have" != "$PWSH_VERSION" ]; then
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "setup-tools: no .NET SDK; install it, then: dotnet tool install --global PowerShell --version $PWSH_VERSION" >&2
    exit 1
  fi
  [ -z "$have" ] || dotnet tool uninstall --global PowerShell >/dev/null
  echo "setup-tools: installing PowerShell $PWSH_VERSION (dotnet tool)"
  dotnet tool install --global PowerShell --version "$PWSH_VERSION" >/dev/null
fi
echo "setup-tools: done. Put ~/.dotnet/tools on PATH for pwsh (the test suite also looks there)."
