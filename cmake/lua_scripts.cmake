# platform_lua_scripts(<target> <file.lua>...): each Lua script is compiled
# into <target> as `platform::lua::k<CamelName>Lua` (scripts/settle_transaction.lua
# -> kSettleTransactionLua), regenerated whenever the file changes. The code
# that calls a script declares that symbol beside its redis::Script.
function(platform_lua_scripts target)
  foreach(script IN LISTS ARGN)
    get_filename_component(name "${script}" NAME_WE)
    string(REPLACE "_" ";" words "${name}")
    set(symbol "k")
    foreach(word IN LISTS words)
      string(SUBSTRING "${word}" 0 1 first)
      string(TOUPPER "${first}" first)
      string(SUBSTRING "${word}" 1 -1 rest)
      string(APPEND symbol "${first}${rest}")
    endforeach()
    string(APPEND symbol "Lua")
    set(input "${CMAKE_CURRENT_SOURCE_DIR}/${script}")
    set(output "${CMAKE_CURRENT_BINARY_DIR}/lua/${name}.lua.cpp")
    add_custom_command(
      OUTPUT "${output}"
      COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DSYMBOL=${symbol}
              -P "${PROJECT_SOURCE_DIR}/cmake/embed_text.cmake"
      DEPENDS "${input}" "${PROJECT_SOURCE_DIR}/cmake/embed_text.cmake"
      COMMENT "Embedding ${script}"
      VERBATIM)
    target_sources(${target} PRIVATE "${output}")
  endforeach()
endfunction()
