#pragma once

#include "absl/strings/string_view.h"

namespace platform {

// The platform's version (CMake's project version), as build_info and the
// OpenAPI document give it.
absl::string_view PlatformVersion();

}  // namespace platform
