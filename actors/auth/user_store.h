#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace platform::auth {

struct User {
  int64_t id = 0;
  std::string username;
  // Exactly one of these is set: a plain password (the reference's format)
  // or an argon2 encoded hash ("$argon2id$v=19$...").
  std::string password;
  std::string password_hash;
  bool enabled = false;

  // Constant time in the password's content for plain passwords; argon2's
  // own verification for hashes.
  bool PasswordMatches(absl::string_view candidate) const;
};

// The users of the platform, read from the users file at start (and again on
// SIGHUP). Usernames are case-sensitive. Immutable once loaded.
class UserStore {
 public:
  // The file is a JSON list of {"id", "username", "password" or
  // "password_hash", "enabled"}. Any problem is reported with the file name.
  static absl::StatusOr<UserStore> LoadFile(const std::string& path);
  static absl::StatusOr<UserStore> Parse(absl::string_view json);

  const User* Find(absl::string_view username) const;
  size_t size() const { return users_.size(); }

 private:
  std::unordered_map<std::string, User> users_;
};

}  // namespace platform::auth
