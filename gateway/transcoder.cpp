#include "gateway/transcoder.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/json_text.h"
#include "gateway/json_tree.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/reflection.h"
#include "platform/api/v1/http.pb.h"

namespace platform::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

using Kind = JsonNode::Kind;

// A value and the tree it is in (for its children).
struct Json {
  const JsonTree& tree;
  const JsonNode& node;

  bool Is(Kind kind) const { return node.kind == kind; }
  template <typename Visit>
  void ForEachChild(Visit visit) const {
    for (int32_t i = node.first_child; i >= 0; i = tree.node(i).next_sibling) {
      visit(Json{tree, tree.node(i)});
    }
  }
};

struct IntegerRange {
  int64_t min;
  uint64_t max;
};

IntegerRange RangeOf(FieldDescriptor::CppType type) {
  switch (type) {
    case FieldDescriptor::CPPTYPE_INT32:
      return {std::numeric_limits<int32_t>::min(),
              static_cast<uint64_t>(std::numeric_limits<int32_t>::max())};
    case FieldDescriptor::CPPTYPE_UINT32:
      return {0, std::numeric_limits<uint32_t>::max()};
    case FieldDescriptor::CPPTYPE_UINT64:
      return {0, std::numeric_limits<uint64_t>::max()};
    default:
      return {std::numeric_limits<int64_t>::min(),
              static_cast<uint64_t>(std::numeric_limits<int64_t>::max())};
  }
}

bool IsDecimal(absl::string_view text) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A JSON value as an integer of the field's type, or nothing.
bool ReadInteger(const Json& value, FieldDescriptor::CppType type, int64_t* as_signed,
                 uint64_t* as_unsigned) {
  const IntegerRange range = RangeOf(type);
  if (value.Is(Kind::kNumber)) {
    const double number = value.node.number;
    if (!std::isfinite(number) || number != std::trunc(number) ||
        std::fabs(number) >= kMaxExactJsonInteger) {
      return false;
    }
    if (number < static_cast<double>(range.min) || number > static_cast<double>(range.max)) {
      return false;
    }
    *as_signed = static_cast<int64_t>(number);
    *as_unsigned = number < 0 ? 0 : static_cast<uint64_t>(number);
    return true;
  }
  if (value.Is(Kind::kString)) {
    const absl::string_view text = value.node.text;
    if (!IsDecimal(text)) return false;
    if (type == FieldDescriptor::CPPTYPE_UINT32 || type == FieldDescriptor::CPPTYPE_UINT64) {
      return absl::SimpleAtoi(text, as_unsigned) && *as_unsigned <= range.max;
    }
    return absl::SimpleAtoi(text, as_signed) && *as_signed >= range.min &&
           (*as_signed < 0 || static_cast<uint64_t>(*as_signed) <= range.max);
  }
  return false;
}

// The member of `object` that fills `field`: named by the proto name, else
// by the lowerCamel JSON name. When a name appears twice, the last counts.
const JsonNode* MemberFor(const Json& object, const FieldDescriptor& field) {
  const JsonNode* found = nullptr;
  object.ForEachChild([&](const Json& member) {
    if (member.node.name == field.name()) found = &member.node;
  });
  if (found != nullptr || field.json_name() == field.name()) return found;
  object.ForEachChild([&](const Json& member) {
    if (member.node.name == field.json_name()) found = &member.node;
  });
  return found;
}

// Each kind of field, one value: set on a singular field, appended to a
// repeated one. False when the value does not fit the field.
bool SetString(Message& message, const FieldDescriptor& field, const Json& value) {
  if (!value.Is(Kind::kString)) return false;
  std::string text(value.node.text);
  if (field.type() == FieldDescriptor::TYPE_BYTES) {
    std::string decoded;
    if (!absl::Base64Unescape(text, &decoded) && !absl::WebSafeBase64Unescape(text, &decoded)) {
      return false;
    }
    text = std::move(decoded);
  }
  const Reflection& r = *message.GetReflection();
  field.is_repeated() ? r.AddString(&message, &field, std::move(text))
                      : r.SetString(&message, &field, std::move(text));
  return true;
}

bool SetInteger(Message& message, const FieldDescriptor& field, const Json& value) {
  int64_t as_signed = 0;
  uint64_t as_unsigned = 0;
  if (!ReadInteger(value, field.cpp_type(), &as_signed, &as_unsigned)) return false;
  const Reflection& r = *message.GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      const auto v = static_cast<int32_t>(as_signed);
      repeated ? r.AddInt32(&message, &field, v) : r.SetInt32(&message, &field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      const auto v = static_cast<uint32_t>(as_unsigned);
      repeated ? r.AddUInt32(&message, &field, v) : r.SetUInt32(&message, &field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT64:
      repeated ? r.AddUInt64(&message, &field, as_unsigned)
               : r.SetUInt64(&message, &field, as_unsigned);
      break;
    default:
      repeated ? r.AddInt64(&message, &field, as_signed) : r.SetInt64(&message, &field, as_signed);
  }
  return true;
}

bool SetFloating(Message& message, const FieldDescriptor& field, const Json& value) {
  if (!value.Is(Kind::kNumber)) return false;
  const Reflection& r = *message.GetReflection();
  const double v = value.node.number;
  if (field.cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
    field.is_repeated() ? r.AddFloat(&message, &field, static_cast<float>(v))
                        : r.SetFloat(&message, &field, static_cast<float>(v));
  } else {
    field.is_repeated() ? r.AddDouble(&message, &field, v) : r.SetDouble(&message, &field, v);
  }
  return true;
}

bool SetBool(Message& message, const FieldDescriptor& field, const Json& value) {
  if (!value.Is(Kind::kBool)) return false;
  const Reflection& r = *message.GetReflection();
  field.is_repeated() ? r.AddBool(&message, &field, value.node.boolean)
                      : r.SetBool(&message, &field, value.node.boolean);
  return true;
}

bool SetEnum(Message& message, const FieldDescriptor& field, const Json& value) {
  if (!value.Is(Kind::kString)) return false;
  const auto* enum_value = field.enum_type()->FindValueByName(std::string(value.node.text));
  if (enum_value == nullptr) return false;
  const Reflection& r = *message.GetReflection();
  field.is_repeated() ? r.AddEnum(&message, &field, enum_value)
                      : r.SetEnum(&message, &field, enum_value);
  return true;
}

bool SetValue(Message& message, const FieldDescriptor& field, const Json& value);

// A nested message from a JSON object, member by member (maps are not read).
bool SetNested(Message& message, const FieldDescriptor& field, const Json& value) {
  if (!value.Is(Kind::kObject) || field.is_map()) return false;
  const Reflection& r = *message.GetReflection();
  Message* nested =
      field.is_repeated() ? r.AddMessage(&message, &field) : r.MutableMessage(&message, &field);
  const Descriptor& descriptor = *nested->GetDescriptor();
  for (int i = 0; i < descriptor.field_count(); ++i) {
    const FieldDescriptor& inner = *descriptor.field(i);
    const JsonNode* member = MemberFor(value, inner);
    if (member != nullptr && !SetValue(*nested, inner, Json{value.tree, *member})) return false;
  }
  return true;
}

// One value into a singular field or appended to a repeated one.
bool SetScalar(Message& message, const FieldDescriptor& field, const Json& value) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return SetString(message, field, value);
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64:
      return SetInteger(message, field, value);
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
      return SetFloating(message, field, value);
    case FieldDescriptor::CPPTYPE_BOOL:
      return SetBool(message, field, value);
    case FieldDescriptor::CPPTYPE_ENUM:
      return SetEnum(message, field, value);
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return SetNested(message, field, value);
  }
  return false;
}

bool SetValue(Message& message, const FieldDescriptor& field, const Json& value) {
  if (!field.is_repeated()) return SetScalar(message, field, value);
  if (!value.Is(Kind::kArray)) return false;
  bool all = true;
  value.ForEachChild([&](const Json& element) { all = all && SetScalar(message, field, element); });
  return all;
}

const FieldDescriptor* UnreadableMembersField(const Descriptor& descriptor) {
  for (int i = 0; i < descriptor.field_count(); ++i) {
    const FieldDescriptor* field = descriptor.field(i);
    if (field->is_repeated() && field->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
        field->options().GetExtension(api::v1::json_unreadable_members)) {
      return field;
    }
  }
  return nullptr;
}

// Protobuf's parser refuses a number beyond the range of a double (1e400)
// although JSON's grammar allows it. Such a number cannot be any field's
// value, so it is turned into a string that no integer field reads: the
// member then counts as unreadable ("Invalid amount"), not the body as
// broken. Only number tokens outside strings are touched.
std::string QuoteOutOfRangeNumbers(absl::string_view json) {
  std::string out;
  out.reserve(json.size() + 8);
  size_t i = 0;
  while (i < json.size()) {
    const char c = json[i];
    if (c == '"') {  // copy a string literal whole, escapes included
      const size_t start = i++;
      while (i < json.size() && json[i] != '"') i += json[i] == '\\' ? 2 : 1;
      i = std::min(i + 1, json.size());
      out.append(json.data() + start, i - start);
      continue;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      const size_t start = i;
      while (i < json.size() && std::strchr("+-.0123456789eE", json[i]) != nullptr) ++i;
      const std::string token(json.substr(start, i - start));
      double value = 0;
      if (!absl::SimpleAtod(token, &value) || std::isinf(value)) {
        absl::StrAppend(&out, "\"", token, "\"");
      } else {
        out += token;
      }
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

// One tree per thread, kept: its memory serves every body after the first.
JsonTree& ThreadTree() {
  thread_local JsonTree tree;
  return tree;
}

JsonTree::Result ReadJson(absl::string_view json, JsonTree& tree) {
  const JsonTree::Result result = tree.Read(json);
  if (result != JsonTree::Result::kNumberOutOfRange) return result;
  return tree.Read(QuoteOutOfRangeNumbers(json));
}

}  // namespace

absl::Status JsonToMessage(absl::string_view json, Message& message) {
  if (json.find_first_not_of(" \t\r\n") == absl::string_view::npos) {
    return absl::InvalidArgumentError("Request body is empty");
  }
  JsonTree& tree = ThreadTree();
  switch (ReadJson(json, tree)) {
    case JsonTree::Result::kRead:
      break;
    case JsonTree::Result::kTooDeep:
      return absl::InvalidArgumentError("Request body is nested too deeply");
    default:
      return absl::InvalidArgumentError("Request body is not valid JSON");
  }
  const Json document{tree, tree.root()};
  if (!document.Is(Kind::kObject)) {
    return absl::InvalidArgumentError("Request body must be a JSON object");
  }
  const Descriptor& descriptor = *message.GetDescriptor();
  const FieldDescriptor* unreadable = UnreadableMembersField(descriptor);
  // Fields in declaration order, so that the unreadable list is stable.
  for (int i = 0; i < descriptor.field_count(); ++i) {
    const FieldDescriptor& field = *descriptor.field(i);
    if (&field == unreadable) continue;  // the gateway's to fill, not the client's
    const JsonNode* member = MemberFor(document, field);
    if (member == nullptr) continue;
    if (!SetValue(message, field, Json{tree, *member})) {
      const Reflection* reflection = message.GetReflection();
      reflection->ClearField(&message, &field);
      if (unreadable != nullptr) {
        reflection->AddString(&message, unreadable, field.name());
      }
    }
  }
  return absl::OkStatus();
}

absl::Status SetFieldFromText(Message& message, const FieldDescriptor& field,
                              absl::string_view text) {
  JsonNode node;
  node.kind = Kind::kString;
  node.text = text;
  const JsonTree no_tree;
  const Json value{no_tree, node};
  // %FF in a path or query is a byte, not text: a proto3 string holding it
  // would fail to parse at the service (a 500 for the client's mistake).
  const bool text_field = field.type() == FieldDescriptor::TYPE_STRING;
  if (field.is_repeated() || (text_field && !json::IsValidUtf8(text)) ||
      !SetScalar(message, field, value)) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid value for ", field.name()));
  }
  return absl::OkStatus();
}

std::unique_ptr<Message> NewMessage(const google::protobuf::Descriptor& type) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(&type)->New());
}

}  // namespace platform::gateway
