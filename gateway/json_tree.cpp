#include "gateway/json_tree.h"

#include "actors/shared/runtime/json_text.h"
#include "rapidjson/reader.h"

namespace platform::gateway {

// RapidJSON's reader calls these as it reads; they append nodes.
class JsonTreeBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, JsonTreeBuilder> {
 public:
  explicit JsonTreeBuilder(JsonTree& tree) : tree_(tree) {}

  bool too_deep() const { return too_deep_; }

  bool Null() { return Add(JsonNode::Kind::kNull) >= 0; }
  bool Bool(bool value) {
    tree_.nodes_[static_cast<size_t>(Add(JsonNode::Kind::kBool))].boolean = value;
    return true;
  }
  bool Int(int value) { return Number(value); }
  bool Uint(unsigned value) { return Number(value); }
  bool Int64(int64_t value) { return Number(static_cast<double>(value)); }
  bool Uint64(uint64_t value) { return Number(static_cast<double>(value)); }
  bool Double(double value) { return Number(value); }
  // RapidJSON decodes a lone surrogate (\udc00) into bytes that are not
  // UTF-8; a text holding one is refused, as if it were not JSON.
  bool String(const char* text, rapidjson::SizeType length, bool) {
    const absl::string_view value(text, length);
    if (!json::IsValidUtf8(value)) return false;
    tree_.nodes_[static_cast<size_t>(Add(JsonNode::Kind::kString))].text = value;
    return true;
  }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    name_ = absl::string_view(text, length);
    return json::IsValidUtf8(name_);
  }
  bool StartObject() { return Open(JsonNode::Kind::kObject); }
  bool EndObject(rapidjson::SizeType) { return Close(); }
  bool StartArray() { return Open(JsonNode::Kind::kArray); }
  bool EndArray(rapidjson::SizeType) { return Close(); }

 private:
  bool Number(double value) {
    tree_.nodes_[static_cast<size_t>(Add(JsonNode::Kind::kNumber))].number = value;
    return true;
  }
  int32_t Add(JsonNode::Kind kind) {
    const auto index = static_cast<int32_t>(tree_.nodes_.size());
    JsonNode& node = tree_.nodes_.emplace_back();
    node.kind = kind;
    node.name = name_;
    name_ = {};
    if (!tree_.open_.empty()) {
      int32_t& last = tree_.last_child_.back();
      if (last < 0) {
        tree_.nodes_[static_cast<size_t>(tree_.open_.back())].first_child = index;
      } else {
        tree_.nodes_[static_cast<size_t>(last)].next_sibling = index;
      }
      last = index;
    }
    return index;
  }
  // Returning false stops the reader before it recurses any deeper.
  bool Open(JsonNode::Kind kind) {
    if (tree_.open_.size() >= JsonTree::kMaxDepth) {
      too_deep_ = true;
      return false;
    }
    const int32_t index = Add(kind);
    tree_.open_.push_back(index);
    tree_.last_child_.push_back(-1);
    return true;
  }
  bool Close() {
    tree_.open_.pop_back();
    tree_.last_child_.pop_back();
    return true;
  }

  JsonTree& tree_;
  absl::string_view name_;
  bool too_deep_ = false;
};

JsonTree::Result JsonTree::Read(absl::string_view text) {
  // Strings are decoded in place (insitu), and numbers are not copied: the
  // reader then never uses its own stack, whose first use in RapidJSON
  // 1.1.0 does arithmetic on a null pointer (undefined behaviour). Without
  // the iterative mode, it recurses once per level: kMaxDepth bounds that.
  constexpr unsigned kFlags = rapidjson::kParseInsituFlag | rapidjson::kParseValidateEncodingFlag;
  // A byte order mark before the text is skipped, as Python's json does.
  if (text.substr(0, 3) == "\xef\xbb\xbf") text.remove_prefix(3);
  text_.assign(text.data(), text.size());
  text_.push_back('\0');  // the in-place stream ends at a NUL
  nodes_.clear();
  open_.clear();
  last_child_.clear();
  rapidjson::InsituStringStream stream(text_.data());
  rapidjson::Reader reader;
  JsonTreeBuilder builder(*this);
  const rapidjson::ParseResult result = reader.Parse<kFlags>(stream, builder);
  if (builder.too_deep()) return Result::kTooDeep;
  if (result.Code() == rapidjson::kParseErrorNumberTooBig) return Result::kNumberOutOfRange;
  // A NUL inside the text ends the in-place stream early: that is not JSON.
  if (!result.IsError() && stream.Tell() != text.size()) return Result::kInvalid;
  return result.IsError() || nodes_.empty() ? Result::kInvalid : Result::kRead;
}

}  // namespace platform::gateway
