#!/usr/bin/env bash
# Builds infra/ferretdb/bin/ferretdb: upstream FerretDB v1 (SQLite backend, pinned in go.mod/go.sum) through
# the small wrapper in main.go. Upstream is used as published; the ledger keeps to what FerretDB v1 supports
# (see README "MongoDB without Docker").
set -euo pipefail
DIR="$(cd "$(dirname "$0")" && pwd)"
cd "$DIR"
command -v go >/dev/null 2>&1 || { echo "build.sh: Go >= 1.24 is required" >&2; exit 1; }
export CGO_ENABLED=0
mkdir -p bin
go build -mod=readonly -buildvcs=false -trimpath -tags ferretdb_no_postgresql -o bin/ferretdb.tmp .
mv -f bin/ferretdb.tmp bin/ferretdb
