#!/usr/bin/env bash
# The shared-store suites (`server/tests/store.rs`, `replicas.rs`) against Garage, the S3 server the issue names as
# the reference, instead of CI's s3s-fs: the test harness starts a one-node Garage cluster (layout, imported key, a
# bucket per store) when `RUMBO_S3_SERVER` names a `garage` program. Garage is not in the bootstrap (its build takes
# about an hour: BENCHMARKS.md); install it once with the command below, or pass a built one as GARAGE.
#   cargo install garage --version 2.5.0 --locked --root .tools/garage
# Usage: bench/garage.sh [extra cargo test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
garage="${GARAGE:-$PWD/.tools/garage/bin/garage}"
[ -x "$garage" ] || { echo "no Garage at $garage: cargo install garage --version 2.5.0 --locked --root .tools/garage" >&2; exit 1; }
"$garage" --version
RUMBO_S3_SERVER="$garage" cargo test -p server --test store --test replicas "$@"
