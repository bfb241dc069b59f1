#!/usr/bin/env bash
# Long crash soak: 1,000 SIGKILLs at random moments while publishing (CI runs 50).
# Usage: bench/crash-soak.sh [kills]
set -euo pipefail
cd "$(dirname "$0")/.."
RUMBO_CRASH_KILLS="${1:-1000}" cargo test --release -p server --test crash -- --nocapture
