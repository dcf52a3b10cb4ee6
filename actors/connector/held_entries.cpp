#include "actors/connector/held_entries.h"

namespace platform::connector {

void HeldEntries::Add(const std::string& entry_id) {
  std::lock_guard lock(mutex_);
  ids_.insert(entry_id);
}

void HeldEntries::Remove(const std::string& entry_id) {
  std::lock_guard lock(mutex_);
  ids_.erase(entry_id);
}

bool HeldEntries::Contains(const std::string& entry_id) const {
  std::lock_guard lock(mutex_);
  return ids_.count(entry_id) != 0;
}

std::vector<std::string> HeldEntries::List() const {
  std::lock_guard lock(mutex_);
  return {ids_.begin(), ids_.end()};
}

}  // namespace platform::connector
