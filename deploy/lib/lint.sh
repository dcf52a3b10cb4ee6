# The formatter and the linter over every C++ source of ours. Sourced by
# deploy/test --lint; needs the release build (clang-tidy reads its
# compile_commands.json and the generated protobuf headers).
# shellcheck shell=bash

lint_format() {
  say "clang-format (.clang-format)"
  local files
  mapfile -t files < <(cd "$ROOT" && git ls-files '*.cpp' '*.h')
  [ ${#files[@]} -gt 0 ] || die "lint: no sources found (is $ROOT a git checkout?)"
  (cd "$ROOT" && clang-format-14 --dry-run --Werror "${files[@]}") ||
    die "lint: sources not formatted; run: clang-format-14 -i \$(git ls-files '*.cpp' '*.h')"
  echo "${#files[@]} files formatted"
}

lint_tidy() {
  say "clang-tidy (.clang-tidy)"
  local database="$ROOT/build/release/compile_commands.json"
  [ -s "$database" ] || die "lint: $database is missing; build the release preset first"
  # Every translation unit of ours that the release build compiles (the
  # fuzz targets are clang-only and left to their own preset); headers
  # are checked through them.
  local log="$ROOT/build/release/clang-tidy.log"
  # The compile commands are GCC's: a GCC-only warning flag there is not
  # clang's business.
  run-clang-tidy-14 -quiet -p "$ROOT/build/release" -j "$(nproc)" \
    -extra-arg=-Wno-unknown-warning-option \
    "^$ROOT/(actors|gateway|tests|tools)/" >"$log" 2>&1 || {
    sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '(warning|error):' | sort -u >&2
    die "lint: clang-tidy found the above (whole log: build/release/clang-tidy.log)"
  }
  echo "clang-tidy clean on $(grep -c "\"file\": \"$ROOT/\(actors\|gateway\|tests\|tools\)/" "$database") files"
}
