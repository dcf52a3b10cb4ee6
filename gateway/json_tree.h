#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace platform::gateway {

// One value of a JSON text. Its children (of an array or object) are linked:
// first_child, then each one's next_sibling; a member of an object carries
// its name.
struct JsonNode {
  enum class Kind : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  double number = 0;       // every JSON number, as an IEEE double
  absl::string_view text;  // a string's value, escapes decoded
  absl::string_view name;  // the member's name, in an object
  int32_t first_child = -1;
  int32_t next_sibling = -1;
};

// A JSON text read into nodes, strictly as RFC 8259 has it (UTF-8 only, no
// comments, no trailing commas, no NaN; a byte order mark is skipped), by
// RapidJSON's reader. A tree kept
// for the next text reuses its memory: reading allocates nothing once it
// has seen a text as big. Nesting is bounded (kMaxDepth), so a hostile text
// cannot exhaust the thread's stack.
class JsonTree {
 public:
  static constexpr int kMaxDepth = 100;
  enum class Result { kRead, kInvalid, kTooDeep, kNumberOutOfRange };

  Result Read(absl::string_view text);

  const JsonNode& root() const { return nodes_.front(); }
  const JsonNode& node(int32_t index) const { return nodes_[static_cast<size_t>(index)]; }

 private:
  friend class JsonTreeBuilder;
  std::string text_;  // the text read, strings decoded in place
  std::vector<JsonNode> nodes_;
  std::vector<int32_t> open_;        // the arrays and objects not closed yet
  std::vector<int32_t> last_child_;  // of each of them
};

}  // namespace platform::gateway
