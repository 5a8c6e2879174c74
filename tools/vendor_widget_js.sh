#!/usr/bin/env bash
# Re-create kopiresearch/plot/_vendor/: the two scripts the standalone network HTML inlines
# (kopiresearch.plot.write_network_html), taken from the npm registry and checked against the
# SHA-256 recorded in kopiresearch/plot/_interactive.py (VENDOR_SHA256).
#   require.js 2.3.8 (MIT)  and  @jupyter-widgets/html-manager 1.0.7 dist/embed-amd.js (BSD-3)
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/kopiresearch/plot/_vendor"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent requirejs@2.3.8 @jupyter-widgets/html-manager@1.0.7 >/dev/null
mkdir r h
tar xzf requirejs-2.3.8.tgz -C r
tar xzf jupyter-widgets-html-manager-1.0.7.tgz -C h
echo "c1fc6b1d53af7522f78d664922abb32acac64ed0ecccb8f907f1e6fc7262563a  r/package/require.js" | sha256sum -c -
echo "e6f8d17290f3cbe78a0a0d72c0a6c49be5d8bfb4e36fbcd43013ac1954531808  h/package/dist/embed-amd.js" | sha256sum -c -
mkdir -p "$out"
gzip -9 -n -c r/package/require.js > "$out/require.js.gz"
gzip -9 -n -c h/package/dist/embed-amd.js > "$out/html-manager-embed-amd.js.gz"
cp h/package/LICENSE "$out/LICENSE.html-manager.txt"
cp h/package/dist/embed.js.LICENSE.txt "$out/THIRD-PARTY.html-manager.txt"
head -3 r/package/require.js | grep -i license > "$out/LICENSE.require.txt"
echo "wrote $out"
