#!/usr/bin/env bash
# The crates a team's crate pulls in with natsfault's default features (`cargo tree -p natsfault
# -e normal`, each name and version once), checked against a limit: the light dev-dependency
# stays light. Usage: scripts/count-crates.sh [LIMIT]   (default 220)
set -euo pipefail
limit=${1:-220}
root="$(cd "$(dirname "$0")/.." && pwd)"
n=$(cargo tree --manifest-path "$root/Cargo.toml" -p natsfault -e normal --prefix none --locked \
  | sed -E 's/ \((\*|proc-macro)\)//g' | sort -u | wc -l)
echo "natsfault with default features: $n crates (limit $limit)"
if [ "$n" -gt "$limit" ]; then
  echo "natsfault's default features pull in $n crates, more than $limit: a new dependency belongs behind a feature" >&2
  exit 1
fi
