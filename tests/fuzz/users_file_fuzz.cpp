// A users file of any content, to the loader auth runs at start and on
// SIGHUP: it must load or refuse with a message, never crash, and what it
// loads must be findable by name. (Password checks are not driven here: an
// argon2 hash names its own memory cost, and the file is the operator's.)
#include <cstddef>
#include <cstdint>

#include "actors/auth/user_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view json(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<platform::auth::UserStore> users = platform::auth::UserStore::Parse(json);
  if (!users.ok()) {
    if (users.status().message().empty()) __builtin_trap();  // a refusal says why
    return 0;
  }
  (void)users->Find("alice");
  (void)users->Find("");
  return 0;
}
