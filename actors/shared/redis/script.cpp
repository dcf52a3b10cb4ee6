#include "actors/shared/redis/script.h"

#include <map>
#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/digest.h"

namespace platform::redis {
namespace {

// Every script's text by SHA-1. Written when a Script is constructed (at
// start-up, in practice), read only when Redis answers NOSCRIPT.
struct Known {
  std::mutex mutex;
  std::map<std::string, std::string, std::less<>> text_by_sha1;
};

Known& KnownScripts() {
  static Known* const known = new Known;  // never destroyed: used up to exit
  return *known;
}

}  // namespace

Script::Script(std::string text) : text_(std::move(text)), sha1_(Sha1Hex(text_)) {
  Known& known = KnownScripts();
  std::lock_guard lock(known.mutex);
  known.text_by_sha1.emplace(sha1_, text_);
}

std::vector<std::string> Script::Call(std::vector<std::string> keys,
                                      const std::vector<std::string>& args) const {
  std::vector<std::string> argv;
  argv.reserve(3 + keys.size() + args.size());
  argv.emplace_back("EVALSHA");
  argv.push_back(sha1_);
  argv.push_back(absl::StrCat(keys.size()));
  for (std::string& key : keys) argv.push_back(std::move(key));
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::optional<std::vector<std::string>> WithTextIfUnknown(const Reply& reply,
                                                          const std::vector<std::string>& argv) {
  if (!reply.is_error() || !absl::StartsWith(reply.text, "NOSCRIPT") || argv.size() < 2 ||
      argv[0] != "EVALSHA") {
    return std::nullopt;
  }
  Known& known = KnownScripts();
  std::lock_guard lock(known.mutex);
  const auto found = known.text_by_sha1.find(argv[1]);
  if (found == known.text_by_sha1.end()) return std::nullopt;
  std::vector<std::string> eval = argv;
  eval[0] = "EVAL";
  eval[1] = found->second;
  return eval;
}

}  // namespace platform::redis
