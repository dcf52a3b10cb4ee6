# Run by platform_lua_scripts at build time:
#   cmake -DINPUT=<file.lua> -DOUTPUT=<file.cpp> -DSYMBOL=<name> -P embed_text.cmake
# writes a C++ source that defines `const char platform::lua::<name>[]` as
# the file's text, so a script lives in its own .lua file and in the program.
file(READ "${INPUT}" text)
string(FIND "${text}" ")lua\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string's end, )lua\"")
endif()
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT} by cmake/embed_text.cmake; do not edit.
namespace platform::lua {
extern const char ${SYMBOL}[];
const char ${SYMBOL}[] = R\"lua(${text})lua\";
}  // namespace platform::lua
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
