#!/usr/bin/env bash
# Fails when git tracks index or build output: tantivy segment files (*.idx, *.pos, *.term,
# *.store, *.fast, *.fieldnorm, *.del), a meta.json beside them, .managed.json, lock files
# (*.lock; Cargo.lock is committed on purpose) and anything under a target/ folder.
# Lists every such path, one a line, on stderr; exits 1 if there is one, 0 if not.
set -euo pipefail
cd "$(dirname "$0")/.."

tracked=()
while IFS= read -r -d '' path; do
    tracked+=("$path")
done < <(git ls-files -z)

# Folders that hold a tracked segment file: a meta.json there is an index's, not a fixture's.
declare -A segment_dirs=()
for path in "${tracked[@]}"; do
    case "$path" in
    *.idx | *.pos | *.term | *.store | *.fast | *.fieldnorm | *.del)
        dir="${path%/*}"
        [[ "$dir" == "$path" ]] && dir="."
        segment_dirs["$dir"]=1
        ;;
    esac
done

stray=()
for path in "${tracked[@]}"; do
    name="${path##*/}"
    dir="${path%/*}"
    [[ "$dir" == "$path" ]] && dir="."
    case "$name" in
    *.idx | *.pos | *.term | *.store | *.fast | *.fieldnorm | *.del | .managed.json)
        stray+=("$path")
        continue
        ;;
    Cargo.lock) ;;
    *.lock)
        stray+=("$path")
        continue
        ;;
    meta.json)
        if [[ -n "${segment_dirs[$dir]:-}" ]]; then
            stray+=("$path")
            continue
        fi
        ;;
    esac
    if [[ "$path" == target/* || "$path" == */target/* ]]; then
        stray+=("$path")
    fi
done

if ((${#stray[@]})); then
    echo "git tracks ${#stray[@]} file(s) of index or build output; remove them with" \
        "\`git rm --cached\` (.gitignore keeps them out):" >&2
    printf '  %s\n' "${stray[@]}" >&2
    exit 1
fi
