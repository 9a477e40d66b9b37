#!/bin/bash
# Builds the libcni driver offline from Debian's packages (golang-go, golang-github-appc-cni-dev:
# libcni's source under /usr/share/gocode) in GOPATH mode, into e2e/target/libcni-driver/ (or $1).
# Rebuilds only when main.go is newer than the binary. Prints the binary's path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../target/libcni-driver}"
mkdir -p "$out"
bin="$(cd "$out" && pwd)/libcni-driver"
if [[ ! -x "$bin" || "$here/main.go" -nt "$bin" ]]; then
  [[ -d /usr/share/gocode/src/github.com/containernetworking/cni/libcni ]] ||
    { echo "libcni source missing: apt-get install golang-go golang-github-appc-cni-dev" >&2; exit 1; }
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$here" && GO111MODULE=off GOPATH="$tmp/gopath:/usr/share/gocode" GOPROXY=off GOFLAGS= \
    GOCACHE="$tmp/cache" CGO_ENABLED=0 go build -o "$bin" main.go)
fi
echo "$bin"
