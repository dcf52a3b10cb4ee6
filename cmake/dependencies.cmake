# Every dependency comes from a Debian 12 package (deploy/packages.txt).
find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_package(absl CONFIG REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(prometheus-cpp CONFIG REQUIRED)
if(PLATFORM_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
endif()
find_package(PkgConfig REQUIRED)
pkg_check_modules(ARGON2 REQUIRED IMPORTED_TARGET libargon2)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)

# CAF 0.17 ships no CMake package: find its libraries and headers directly.
find_library(CAF_CORE_LIBRARY caf_core REQUIRED)
find_library(CAF_IO_LIBRARY caf_io REQUIRED)
find_path(CAF_INCLUDE_DIR caf/all.hpp REQUIRED)
add_library(caf::core UNKNOWN IMPORTED)
set_target_properties(caf::core PROPERTIES IMPORTED_LOCATION "${CAF_CORE_LIBRARY}"
                      INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}"
                      INTERFACE_LINK_LIBRARIES Threads::Threads)
add_library(caf::io UNKNOWN IMPORTED)
set_target_properties(caf::io PROPERTIES IMPORTED_LOCATION "${CAF_IO_LIBRARY}"
                      INTERFACE_LINK_LIBRARIES caf::core)

find_program(GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)
# gRPC's standard .proto files (Debian's grpc-proto).
find_path(GRPC_PROTO_DIR grpc/health/v1/health.proto PATHS /usr/share/grpc-proto REQUIRED)
