#!/usr/bin/env bash
# Builds infra/ferretdb/bin/ferretdb: FerretDB v1 (SQLite backend, pinned in go.mod/go.sum) through the small
# wrapper in main.go.
#
# One line of the downloaded module is changed before building. FerretDB v1.24 looks up `_id` with the SQLite
# expression `_ferretdb_sjson->'$._id'` but builds the `_id` index on `_ferretdb_sjson->"_id"`; SQLite only
# uses an index whose expression matches, so every lookup by _id scanned the whole collection. Using the
# index's own expression makes lookups by _id (and updates and deletes by _id) index searches. The change is
# applied to a copy in a temporary folder; go.mod, go.sum and the module cache stay as they are.
set -euo pipefail
DIR="$(cd "$(dirname "$0")" && pwd)"
cd "$DIR"
command -v go >/dev/null 2>&1 || { echo "build.sh: Go >= 1.24 is required" >&2; exit 1; }
export CGO_ENABLED=0

go mod download github.com/FerretDB/FerretDB
MODDIR="$(go list -mod=readonly -m -f '{{.Dir}}' github.com/FerretDB/FerretDB)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ferretdb-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cp -R "$MODDIR" "$WORK/FerretDB"
chmod -R u+w "$WORK/FerretDB"

metadata="$WORK/FerretDB/internal/backends/sqlite/metadata/metadata.go"
sed -i "s|IDColumn = DefaultColumn + \"->'\\\$._id'\"|IDColumn = DefaultColumn + \`->\"_id\"\`|" "$metadata"
grep -q 'IDColumn = DefaultColumn + `->"_id"`' "$metadata" || {
  echo "build.sh: FerretDB's IDColumn is not what this script expects; re-check the _id index fix" >&2
  exit 1
}

cp go.mod "$WORK/build.mod"
cp go.sum "$WORK/build.sum"
printf '\nreplace github.com/FerretDB/FerretDB => %s\n' "$WORK/FerretDB" >>"$WORK/build.mod"
mkdir -p bin
go build -modfile="$WORK/build.mod" -mod=readonly -buildvcs=false -trimpath -tags ferretdb_no_postgresql -o bin/ferretdb.tmp .
mv -f bin/ferretdb.tmp bin/ferretdb
