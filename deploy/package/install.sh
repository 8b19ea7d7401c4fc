#!/bin/sh
# `sh deploy/package/install.sh TARBALL PREFIX`: installs the server package (built by
# deploy/package/build.ts) into PREFIX, giving PREFIX/bin/komari and PREFIX/bin/komari-healthcheck.
# The package carries its dependencies (bundleDependencies): no registry is needed. The Dockerfile
# and the package test both install through this script.
set -eu
if [ "$#" -ne 2 ]; then
  echo "usage: sh deploy/package/install.sh TARBALL PREFIX" >&2
  exit 2
fi
if [ ! -f "$1" ]; then
  echo "install.sh: no such package file: $1" >&2
  exit 2
fi
exec npm install --global --prefix "$2" --omit=dev --no-audit --no-fund --loglevel=error "$1"
