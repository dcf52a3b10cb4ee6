#pragma once

namespace platform {

// Raises this process's soft limit on open files (RLIMIT_NOFILE) to its hard
// limit, and returns the soft limit now in force. A server that accepts
// connections needs a descriptor for each; the soft limit many shells and
// services start with (1024) is far below what the hard limit allows.
long RaiseOpenFileLimit();

}  // namespace platform
