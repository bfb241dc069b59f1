#!/usr/bin/env bash
# Long crash soak: 1,000 SIGKILLs at random moments while publishing 2,000-row snapshots (CI runs 50), then 400
# admin commands beside a live server under uploads (CI runs 48).
# Usage: bench/crash-soak.sh [kills] [admin rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
RUMBO_CRASH_KILLS="${1:-1000}" cargo test --release -p server --test crash -- --nocapture
# Admin commands (user add, token create, check, gc) beside a live server under upload load: 100 rounds.
RUMBO_ADMIN_ROUNDS="${2:-100}" cargo test --release -p server --test hostile admin_commands -- --nocapture
