# The formatter and the linter over every C++ source of ours. Sourced by
# deploy/test --lint. clang-tidy reads a compile command per source, which
# the release build (a unity build: many sources to a unit) does not have:
# build/lint is the release configuration one source to a unit, of which
# only the generated protobuf code is made.
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
  local build="$ROOT/build/lint"
  cmake --preset release -S "$ROOT" -B "$build" -DCMAKE_UNITY_BUILD=OFF >/dev/null
  cmake --build "$build" --target platform_proto_sources test_reflection_proto_sources >/dev/null
  local database="$build/compile_commands.json"
  # Every translation unit of ours that the release build compiles (the
  # fuzz targets are clang-only and left to their own preset); headers
  # are checked through them.
  local log="$build/clang-tidy.log"
  # The compile commands are GCC's: a GCC-only warning flag there is not
  # clang's business.
  run-clang-tidy-14 -quiet -p "$build" -j "$(nproc)" \
    -extra-arg=-Wno-unknown-warning-option \
    "^$ROOT/(actors|gateway|tests|tools)/" >"$log" 2>&1 || {
    sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '(warning|error):' | sort -u >&2
    die "lint: clang-tidy found the above (whole log: build/lint/clang-tidy.log)"
  }
  echo "clang-tidy clean on $(grep -c "\"file\": \"$ROOT/\(actors\|gateway\|tests\|tools\)/" "$database") files"
}
