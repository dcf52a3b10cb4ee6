#pragma once

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace google::protobuf {
class Descriptor;
class FieldDescriptor;
class Message;
}  // namespace google::protobuf

namespace platform::gateway {

// JSON <-> protobuf for the gateway. RapidJSON reads the text (strict
// JSON, UTF-8 only, into memory on the stack); these functions map its
// document onto request messages by their descriptors, with the leniency the
// reference platform's clients rely on, and write answers:
//
// * Members are matched by proto field name (or its lowerCamel JSON name);
//   unknown members are ignored; of a name given twice, the last counts.
// * An integer field takes a JSON integer (below 2^53 in magnitude, the
//   range a JSON number carries exactly) or a string of decimal digits
//   (HTTPie's `amount=100` sends "100"). A string field takes a string, a
//   bool field a bool, an enum its value name.
// * A member whose value does not fit its field (1.5 or "abc" for an
//   integer, a number for a string, null for anything) is "unreadable": it
//   is left out, and its name is listed in the request's
//   (platform.api.v1.json_unreadable_members) field if it has one, so the
//   service can answer it in its own order of checks.

// A JSON number is read as an IEEE double, exact for integers below 2^53.
// From 2^53 on, a number may already have been rounded: it is not read as an
// integer at all (a string of digits is, exactly), and an answer says such
// an integer as a string.
inline constexpr double kMaxExactJsonInteger = 9007199254740992.0;  // 2^53

// An empty message of a generated type (a route's request or answer).
std::unique_ptr<google::protobuf::Message> NewMessage(const google::protobuf::Descriptor& type);

// INVALID_ARGUMENT with a message for the client when `json` is not a JSON
// object.
absl::Status JsonToMessage(absl::string_view json, google::protobuf::Message& message);

// Sets a field from the text of a path segment or query parameter.
// INVALID_ARGUMENT when the text does not fit the field.
absl::Status SetFieldFromText(google::protobuf::Message& message,
                              const google::protobuf::FieldDescriptor& field,
                              absl::string_view text);

// A response as a compact JSON object: proto field names in field-number
// order (the contract's order: "amount", "currency", "user_id", ...), fields
// left at their default omitted, 64-bit integers as JSON numbers (the
// reference answers "amount": 100, not "100"; protobuf's printer would write
// "100"), strings escaped as the platform's other JSON is.
std::string MessageToJson(const google::protobuf::Message& message);

}  // namespace platform::gateway
