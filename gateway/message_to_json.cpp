#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "actors/shared/runtime/json_text.h"
#include "gateway/transcoder.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/reflection.h"

// Protobuf -> JSON for the gateway's answers (MessageToJson, transcoder.h).
namespace platform::gateway {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

void AppendMessage(std::string& out, const Message& message);

template <typename Integer>
void AppendInteger(std::string& out, Integer integer) {
  // From 2^53 on a JSON number may not carry the value exactly: say it as
  // text then, as proto3 JSON does for every 64-bit integer.
  const bool exact = std::fabs(static_cast<double>(integer)) < kMaxExactJsonInteger;
  if (!exact) out += '"';
  absl::StrAppend(&out, integer);
  if (!exact) out += '"';
}

void AppendDouble(std::string& out, double value) {
  if (std::isfinite(value)) {
    absl::StrAppend(&out, absl::StrFormat("%.17g", value));
  } else {
    json::AppendQuoted(out, std::isnan(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
  }
}

// One value of a field: element `index` of a repeated field, or the field.
void AppendValue(std::string& out, const Message& message, const FieldDescriptor& field,
                 int index) {
  const Reflection& r = *message.GetReflection();
  const bool rep = index >= 0;
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      const std::string text =
          rep ? r.GetRepeatedString(message, &field, index) : r.GetString(message, &field);
      json::AppendQuoted(
          out, field.type() == FieldDescriptor::TYPE_BYTES ? absl::Base64Escape(text) : text);
      break;
    }
    case FieldDescriptor::CPPTYPE_INT32:
      absl::StrAppend(
          &out, rep ? r.GetRepeatedInt32(message, &field, index) : r.GetInt32(message, &field));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      absl::StrAppend(
          &out, rep ? r.GetRepeatedUInt32(message, &field, index) : r.GetUInt32(message, &field));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      AppendInteger(out,
                    rep ? r.GetRepeatedInt64(message, &field, index) : r.GetInt64(message, &field));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      AppendInteger(
          out, rep ? r.GetRepeatedUInt64(message, &field, index) : r.GetUInt64(message, &field));
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      AppendDouble(
          out, rep ? r.GetRepeatedDouble(message, &field, index) : r.GetDouble(message, &field));
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      AppendDouble(out,
                   rep ? r.GetRepeatedFloat(message, &field, index) : r.GetFloat(message, &field));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      out += (rep ? r.GetRepeatedBool(message, &field, index) : r.GetBool(message, &field))
                 ? "true"
                 : "false";
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      json::AppendQuoted(
          out,
          (rep ? r.GetRepeatedEnum(message, &field, index) : r.GetEnum(message, &field))->name());
      break;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      AppendMessage(
          out, rep ? r.GetRepeatedMessage(message, &field, index) : r.GetMessage(message, &field));
      break;
  }
}

// Fields in field-number order (the order of the contract), set ones only.
void AppendMessage(std::string& out, const Message& message) {
  const Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  out += '{';
  bool first = true;
  for (const FieldDescriptor* field : fields) {
    if (!first) out += ',';
    first = false;
    json::AppendQuoted(out, field->name());
    out += ':';
    if (!field->is_repeated()) {
      AppendValue(out, message, *field, -1);
      continue;
    }
    out += '[';
    const int size = reflection.FieldSize(message, field);
    for (int i = 0; i < size; ++i) {
      if (i > 0) out += ',';
      AppendValue(out, message, *field, i);
    }
    out += ']';
  }
  out += '}';
}

}  // namespace

std::string MessageToJson(const Message& message) {
  std::string json;
  json.reserve(128);
  AppendMessage(json, message);
  return json;
}

}  // namespace platform::gateway
