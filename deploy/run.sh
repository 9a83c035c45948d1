#!/usr/bin/env bash
# Runs the platform in its single-node default: `bash deploy/run.sh` from anywhere.
#
# Builds the web app when clients/web/dist is missing or older than its sources (npm ci first when
# node_modules is missing), then runs the API host (Release) with the web app as its web root.
# Data lives in ./data under the repository root unless B2BTrade__DataDir says otherwise; any other
# setting passes through from the environment, e.g.
#   B2BTrade__Operator__Email=ops@example.com B2BTrade__Operator__Password='...' bash deploy/run.sh
#   Kestrel__Endpoints__Web__Url=http://127.0.0.1:6080 bash deploy/run.sh
# Web app, gRPC-Web and /healthz on :5080; native gRPC and reflection on :5081.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WEB="$ROOT/clients/web"
cd "$ROOT"

if [ -f "$WEB/package.json" ]; then
  stale=0
  if [ ! -f "$WEB/dist/index.html" ]; then
    stale=1
  elif [ -n "$(find "$WEB" "$ROOT/protos" \( -path "$WEB/node_modules" -o -path "$WEB/dist" -o -path "$ROOT/protos/bin" -o -path "$ROOT/protos/obj" \) -prune \
      -o -type f -newer "$WEB/dist/index.html" -print -quit)" ]; then
    stale=1
  fi
  if [ $stale -eq 1 ]; then
    echo "deploy/run.sh: building the web app (clients/web)" >&2
    if [ ! -d "$WEB/node_modules" ]; then (cd "$WEB" && npm ci --no-audit --no-fund); fi
    (cd "$WEB" && npm run build)
  fi
  export B2BTrade__WebRoot="${B2BTrade__WebRoot:-$WEB/dist}"
else
  echo "deploy/run.sh: clients/web does not exist: serving the API without the web app" >&2
fi

# `dotnet run --project` starts the app in the project folder: pin the data folder to the repository root.
export B2BTrade__DataDir="${B2BTrade__DataDir:-$ROOT/data}"
exec dotnet run -c Release --no-launch-profile --project "$ROOT/grpc-api/B2BTrade.GrpcApi" -- "$@"
