#!/usr/bin/env bash
# Set up everything the project needs on a fresh Debian machine, idempotently:
#   system packages (Java 17+, Maven; with --test also Chromium for the explorer test),
#   the virtual environment at .venv with the project and its pinned spaCy models,
#   and the Neo4j Community runtime (downloaded once from Maven Central into the cache).
# Usage: scripts/setup.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# ------------------------------------------------------------------ system packages
need_apt=()
python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null \
  || die "Python 3.11 or newer is needed as python3; install it and run this again."
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if ! command -v java >/dev/null || ! java -version 2>&1 | grep -qE 'version "(1[7-9]|2[0-9])'; then need_apt+=(openjdk-17-jre-headless); fi
command -v mvn >/dev/null || need_apt+=(maven)
if [ "$want_test" = 1 ]; then command -v chromium >/dev/null || need_apt+=(chromium); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "Installing system packages: ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    die "missing system packages: ${need_apt[*]}; install them (e.g. sudo apt-get install ${need_apt[*]}) and run this again."
  fi
fi

# ------------------------------------------------------------------ Python environment
stamp=.venv/.setup-stamp
want_stamp=$(cat pyproject.toml requirements-models.txt | sha256sum | cut -c1-16)
if [ ! -x .venv/bin/python ]; then
  say "Creating the virtual environment in .venv"
  python3 -m venv .venv
fi
if [ "$(cat "$stamp" 2>/dev/null)" != "$want_stamp" ]; then
  say "Installing the project and its dependencies into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test]"
  say "Installing the spaCy models (pinned by hash)"
  .venv/bin/python -m pip install -q --no-deps --require-hashes -r requirements-models.txt
  echo "$want_stamp" > "$stamp"
fi

# ------------------------------------------------------------------ Neo4j runtime
say "Checking the Neo4j runtime (first run downloads ~140 MB from Maven Central)"
.venv/bin/kg neo4j provision
say "Setup complete."
