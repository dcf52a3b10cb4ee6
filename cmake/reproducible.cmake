# The same commit, built with the same packages, gives the same bytes in any
# folder on any machine (tests/repro/check proves it; docs/provisioning.md):
# - no absolute path of this machine in a program: __FILE__, the debug
#   information's file names and compilation folder are written relative
#   (the build folder last, as GCC lets the last matching map win and it
#   usually sits inside the source folder);
# - no clock: __DATE__ and __TIME__ are errors in our code (-Wdate-time with
#   -Werror), and the scripts export SOURCE_DATE_EPOCH (the commit's time)
#   for any tool that would stamp one;
# - the linker's build id is a hash of the content (GNU ld's default, sha1),
#   named here so that a change of default does not go unnoticed;
# - archives are deterministic (Debian's binutils: ar D).
add_compile_options(
  "-ffile-prefix-map=${CMAKE_SOURCE_DIR}=."
  "-ffile-prefix-map=${CMAKE_BINARY_DIR}=."
  -Wdate-time)
add_link_options(-Wl,--build-id=sha1)
