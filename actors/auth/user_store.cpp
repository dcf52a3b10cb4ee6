#include "actors/auth/user_store.h"

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace platform::auth {
namespace {

using google::protobuf::ListValue;
using google::protobuf::Value;

absl::Status Bad(size_t index, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("user #", index + 1, ": ", problem));
}

const Value* Member(const google::protobuf::Struct& object, const char* key) {
  const auto it = object.fields().find(key);
  return it == object.fields().end() ? nullptr : &it->second;
}

}  // namespace

bool User::PasswordMatches(absl::string_view candidate) const {
  if (!password_hash.empty()) {
    return argon2_verify(password_hash.c_str(), candidate.data(), candidate.size(), Argon2_id) ==
           ARGON2_OK;
  }
  // Compare fixed-size digests so that neither the content nor the length of
  // the stored password shows in the time taken.
  unsigned char stored[SHA256_DIGEST_LENGTH];
  unsigned char given[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(password.data()), password.size(), stored);
  SHA256(reinterpret_cast<const unsigned char*>(candidate.data()), candidate.size(), given);
  return CRYPTO_memcmp(stored, given, SHA256_DIGEST_LENGTH) == 0;
}

absl::StatusOr<UserStore> UserStore::Parse(absl::string_view json) {
  ListValue list;
  if (!google::protobuf::util::JsonStringToMessage(
           google::protobuf::StringPiece(json.data(), json.size()), &list)
           .ok()) {
    return absl::InvalidArgumentError("not a JSON list of users");
  }
  UserStore store;
  for (int i = 0; i < list.values_size(); ++i) {
    const size_t index = static_cast<size_t>(i);
    const Value& entry = list.values(i);
    if (entry.kind_case() != Value::kStructValue) {
      return Bad(index, "not a JSON object");
    }
    const auto& object = entry.struct_value();
    User user;
    const Value* id = Member(object, "id");
    // A JSON number is a double: an integer only up to 2^53 in magnitude
    // (and converting one beyond int64's range is undefined).
    constexpr double kLargestExactInteger = 9007199254740992.0;
    if (id == nullptr || id->kind_case() != Value::kNumberValue ||
        !(std::fabs(id->number_value()) <= kLargestExactInteger) ||
        id->number_value() != std::trunc(id->number_value())) {
      return Bad(index, "\"id\" must be an integer");
    }
    user.id = static_cast<int64_t>(id->number_value());
    const Value* username = Member(object, "username");
    if (username == nullptr || username->kind_case() != Value::kStringValue ||
        username->string_value().empty()) {
      return Bad(index, "\"username\" must be a non-empty string");
    }
    user.username = username->string_value();
    const Value* password = Member(object, "password");
    const Value* hash = Member(object, "password_hash");
    if ((password == nullptr) == (hash == nullptr)) {
      return Bad(index, "give exactly one of \"password\" and \"password_hash\"");
    }
    if (password != nullptr) {
      if (password->kind_case() != Value::kStringValue || password->string_value().empty()) {
        return Bad(index, "\"password\" must be a non-empty string");
      }
      user.password = password->string_value();
    } else {
      if (hash->kind_case() != Value::kStringValue ||
          hash->string_value().rfind("$argon2id$", 0) != 0) {
        return Bad(index, "\"password_hash\" must be an argon2id encoded hash");
      }
      user.password_hash = hash->string_value();
    }
    const Value* enabled = Member(object, "enabled");
    if (enabled == nullptr || enabled->kind_case() != Value::kBoolValue) {
      return Bad(index, "\"enabled\" must be true or false");
    }
    user.enabled = enabled->bool_value();
    std::string key = user.username;
    if (!store.users_.emplace(std::move(key), std::move(user)).second) {
      return Bad(index, "duplicate username");
    }
  }
  return store;
}

absl::StatusOr<UserStore> UserStore::LoadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::NotFoundError(absl::StrCat("cannot read users file ", path));
  }
  std::ostringstream content;
  content << file.rdbuf();
  absl::StatusOr<UserStore> store = Parse(content.str());
  if (!store.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("users file ", path, ": ", store.status().message()));
  }
  return store;
}

const User* UserStore::Find(absl::string_view username) const {
  const auto it = users_.find(std::string(username));
  return it == users_.end() ? nullptr : &it->second;
}

}  // namespace platform::auth
