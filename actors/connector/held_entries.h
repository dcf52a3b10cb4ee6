#pragma once

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"

namespace platform::connector {

// The stream entries this connector holds: read (or reclaimed) and not yet
// settled or handed back. The reclaimer keeps them from looking abandoned
// (their idle time in Redis is reset, so no other connector takes them and
// their delivery count stays as it is, however long the PSP keeps them),
// and never hands one out a second time. The reader and the reclaimer add,
// the acker removes.
// Thread-safe; a std::mutex, as in CallRegistry, for ThreadSanitizer.
class HeldEntries {
 public:
  void Add(const std::string& entry_id);
  void Remove(const std::string& entry_id);
  bool Contains(const std::string& entry_id) const;
  std::vector<std::string> List() const;

 private:
  mutable std::mutex mutex_;
  std::set<std::string> ids_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace platform::connector
