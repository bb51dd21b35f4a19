#!/usr/bin/env bash
# Layering check: a file in src/<layer>/ may include headers only from its own layer or from
# layers below it (docs/architecture.md). Layers on the same rank may not include each other.
set -euo pipefail
root="${1:-$(dirname "$0")/..}"
declare -A rank=([core]=1 [earth]=2 [flight]=3 [threats]=4 [orbits]=4 [sensors]=5 [tracking]=6
                 [assessment]=7 [engagement]=8 [sim]=9 [io]=10 [serve]=10)
bad=0
for dir in "$root"/src/*/; do
  layer=$(basename "$dir")
  [ -n "${rank[$layer]:-}" ] || { echo "unknown layer folder: src/$layer"; bad=1; continue; }
  while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"${line#*:}")
    [ "$inc" = "$layer" ] && continue
    if [ -z "${rank[$inc]:-}" ]; then continue; fi
    if [ "${rank[$inc]}" -ge "${rank[$layer]}" ]; then
      echo "layering violation: $file includes $inc/ (rank ${rank[$inc]} >= $layer rank ${rank[$layer]})"
      bad=1
    fi
  done < <(grep -rnoE '#include "[a-z_]+/[^"]+"' "$dir" --include='*.h' --include='*.cc' | grep -v '/test/' || true)
done
[ "$bad" -eq 0 ] && echo "layering: every include points down the layer table"
exit "$bad"
