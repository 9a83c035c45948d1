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

# Contract PDFs embed a CJK font (silo/B2BTrade.Silo/Contracts/ContractRenderer.cs looks in these places).
cjk_font_found() {
  local font
  for font in "${B2BTrade__ContractFontPath:-}" \
      /usr/share/fonts/truetype/wqy/wqy-microhei.ttc /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc \
      /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc \
      /usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc /usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc \
      /usr/share/fonts/wqy-microhei/wqy-microhei.ttc; do
    if [ -n "$font" ] && [ -f "$font" ]; then return 0; fi
  done
  return 1
}
if ! cjk_font_found; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "deploy/run.sh: installing a CJK font for contract PDFs (fonts-wqy-microhei)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1; } \
      || echo "deploy/run.sh: could not install fonts-wqy-microhei: contract PDFs will fail until a CJK font is installed" >&2
  else
    echo "deploy/run.sh: no CJK font found: contract PDFs will fail. Install one: sudo apt-get install -y fonts-wqy-microhei (or fonts-noto-cjk)" >&2
  fi
fi

# `dotnet run --project` starts the app in the project folder: pin the data folder to the repository root.
export B2BTrade__DataDir="${B2BTrade__DataDir:-$ROOT/data}"
exec dotnet run -c Release --no-launch-profile --project "$ROOT/grpc-api/B2BTrade.GrpcApi" -- "$@"
