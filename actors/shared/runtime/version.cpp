#include "actors/shared/runtime/version.h"

namespace platform {

absl::string_view PlatformVersion() { return PLATFORM_VERSION; }

}  // namespace platform
