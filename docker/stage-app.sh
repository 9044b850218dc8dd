#!/bin/sh
# Stages one app's runtime tree in OUT: the root and workspace manifests, the production dependencies of
# that app alone (`npm ci --omit=dev -w apps/APP`), and the build output of the app and of the workspace
# libraries it links. Run from the root of a built repository; the Dockerfile's *-stage targets run it
# and so does tools/deploy-check's replay test, so what the test boots is what the image holds.
set -eu
app="$1"
out="$2"
mkdir -p "$out"
cp package.json package-lock.json "$out/"
# npm ci checks every workspace of the lock file against its manifest, so all manifests come along.
for manifest in apps/*/package.json libs/*/package.json tools/*/package.json; do
  mkdir -p "$out/$(dirname "$manifest")"
  cp "$manifest" "$out/$manifest"
done
# Install scripts stay off (what the repository's allowScripts says for npm 11, and npm 10 ignores):
# sharp and onnxruntime-node ship their CPU binaries in packages; a *-gpu target adds CUDA itself.
(cd "$out" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace "apps/$app")
# The patches of patches/ (the root's postinstall applies them in development), applied with the build's own
# patch-package: it is a devDependency, so the production tree does not have it.
root="$(pwd)"
cp -R patches "$out/patches"
(cd "$out" && node "$root/node_modules/patch-package/index.js" --error-on-fail)
rm -rf "$out/patches"
# TypeScript is an optional peer of valibot (through bull-board), which npm keeps as "devOptional" with the
# root's devDependency: nothing loads it at run time, so it goes rather than weigh ~20 MB in every image.
rm -rf "$out/node_modules/typescript"
# The app and the workspace libraries npm linked for it: their build output and nothing else.
cp -R "apps/$app/dist" "$out/apps/$app/dist"
for link in "$out"/node_modules/@gantry/*; do
  workspace="$(cd "$link" && pwd -P)"
  relative="${workspace#"$(cd "$out" && pwd -P)"/}"
  if [ -d "$relative/dist" ] && [ ! -d "$out/$relative/dist" ]; then
    cp -R "$relative/dist" "$out/$relative/dist"
  fi
done
