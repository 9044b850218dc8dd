#!/usr/bin/env bash
# Scores the sentiment model of an earlier commit on one of today's unseen sets:
#   tools/sentiment-model/evaluate-at-commit.sh <commit> unseen/<file>.jsonl
# The commit's own corpus and feature code are trained as they were (the artefact is deterministic),
# so an old model and the new one are compared on the very same texts. Needs `npm ci` here.
set -euo pipefail
commit=${1:?usage: evaluate-at-commit.sh <commit> <unseen file>}
unseen=$(realpath "${2:?usage: evaluate-at-commit.sh <commit> <unseen file>}")
root=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

git -C "$root" archive "$commit" tsconfig.base.json apps/llm tools/sentiment-model | tar -x -C "$work"
# The installed packages serve the old sources too, except the workspace link, which must point at
# the old engine rather than today's.
mkdir -p "$work/node_modules/@gantry"
for entry in "$root"/node_modules/* "$root"/node_modules/.bin; do
  [ "$(basename "$entry")" = "@gantry" ] || ln -s "$entry" "$work/node_modules/"
done
ln -s "$work/apps/llm" "$work/node_modules/@gantry/llm-worker"
for nested in apps/llm tools/sentiment-model; do
  [ ! -d "$root/$nested/node_modules" ] || ln -s "$root/$nested/node_modules" "$work/$nested/node_modules"
done

rm -f "$work"/tools/sentiment-model/unseen/*.jsonl
mkdir -p "$work/tools/sentiment-model/unseen"
cp "$unseen" "$work/tools/sentiment-model/unseen/"
cd "$work/tools/sentiment-model"
node --conditions=@gantry/source --import tsx src/train.ts
node --conditions=@gantry/source --import tsx src/evaluate-unseen.ts
