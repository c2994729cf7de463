#!/usr/bin/env bash
# One entry point for a fresh Debian/Ubuntu machine (run as root or with sudo):
#   ./dev.sh demo   install, then start the simulator and the desktop connected to it
#   ./dev.sh test   install everything the tests need (PostgreSQL, a CJK font, Xvfb,
#                   LibreOffice Calc), start a private PostgreSQL, run the whole suite
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
venv="$here/.venv"
py=${PYTHON:-python3}

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  command -v apt-get >/dev/null || { echo "dev.sh: no apt-get; install these yourself: $*" >&2; return 0; }
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "dev.sh: apt-get install ${missing[*]}" >&2
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Qt's xcb/offscreen platforms need these libraries; the CJK font makes Chinese render;
# Qt Multimedia (the alert chimes) links PulseAudio's client library.
QT_DEBS=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
         libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
         libxcb-randr0 libxcb-render-util0 libxcb-image0 fonts-noto-cjk libpulse0)

venv_install() {
  [ -x "$venv/bin/python" ] || "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
  "$venv/bin/python" -m pip install -q -e ".[test]"
}

start_postgres() {
  # A private cluster on a fixed loopback port, owned by the postgres user, trust auth.
  local bin pgdata=/tmp/command-center-pg port=${CC_PG_PORT:-54329}
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] || { echo "dev.sh: PostgreSQL binaries not found" >&2; return 1; }
  if ! su postgres -c "$bin/pg_ctl -D $pgdata status" >/dev/null 2>&1; then
    rm -rf "$pgdata"; mkdir -p "$pgdata"; chown postgres "$pgdata"
    su postgres -c "$bin/initdb -D $pgdata -A trust -U postgres -E UTF8" >/dev/null
    su postgres -c "$bin/pg_ctl -D $pgdata -l $pgdata/log -w -o '-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' start" >/dev/null
  fi
  export CC_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
}

case "${1:-}" in
  demo)
    shift
    apt_install python3-venv "${QT_DEBS[@]}"
    venv_install
    exec "$venv/bin/command-center" demo "$@"
    ;;
  test)
    shift
    apt_install python3-venv postgresql xvfb libreoffice-calc-nogui poppler-utils binutils "${QT_DEBS[@]}"
    venv_install
    start_postgres
    export QT_QPA_PLATFORM=offscreen
    "$venv/bin/lint-imports" --no-cache
    "$venv/bin/mypy" supervisor ui widgets
    exec "$venv/bin/python" -m pytest "$@"
    ;;
  *)
    echo "usage: ./dev.sh demo [demo options] | ./dev.sh test [pytest options]" >&2
    exit 2
    ;;
esac
