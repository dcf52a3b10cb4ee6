# Warnings are errors in our own code; generated code gets no such flags.
function(platform_strict target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                                           -Wnon-virtual-dtor)
  if(PLATFORM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
