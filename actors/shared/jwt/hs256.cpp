#include "actors/shared/jwt/hs256.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cmath>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/json_text.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace platform::jwt {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

// What python-jose answers for each failure; clients match on these texts.
constexpr absl::string_view kNotEnoughSegments = "Not enough segments";
constexpr absl::string_view kBadSignature = "Signature verification failed.";
constexpr absl::string_view kAlgNotAllowed = "The specified alg value is not allowed";
constexpr absl::string_view kExpired = "Signature has expired.";

// The one header python-jose writes for HS256 (keys sorted, compact).
constexpr absl::string_view kHeaderJson = R"({"alg":"HS256","typ":"JWT"})";

absl::Status Invalid(absl::string_view message) { return absl::InvalidArgumentError(message); }

// Unpadded or padded base64url, as python-jose's base64url_decode takes it.
bool DecodeSegment(absl::string_view segment, std::string* out) {
  return absl::WebSafeBase64Unescape(segment, out);
}

absl::StatusOr<Struct> ParseObject(absl::string_view json, absl::string_view what) {
  // JSON that is not an object fails to parse into a Struct as well.
  if (json.empty()) {
    // Python's json.loads("") message, which python-jose passes on.
    return Invalid(absl::StrCat("Invalid ", what,
                                " string: Expecting value: "
                                "line 1 column 1 (char 0)"));
  }
  Struct object;
  if (!google::protobuf::util::JsonStringToMessage(
           google::protobuf::StringPiece(json.data(), json.size()), &object)
           .ok()) {
    return Invalid(absl::StrCat("Invalid ", what, " string: must be a json object"));
  }
  return object;
}

// Python's int(x) on a JSON number or a string of digits, as python-jose
// checks the time claims.
bool ReadInteger(const Value& value, int64_t* out) {
  if (value.kind_case() == Value::kNumberValue) {
    const double number = value.number_value();
    if (!std::isfinite(number) || std::fabs(number) > 9.2e18) return false;
    *out = static_cast<int64_t>(number);  // int() truncates toward zero
    return true;
  }
  if (value.kind_case() == Value::kStringValue) {
    return absl::SimpleAtoi(value.string_value(), out);
  }
  if (value.kind_case() == Value::kBoolValue) {
    *out = value.bool_value() ? 1 : 0;  // int(True) == 1 in Python
    return true;
  }
  return false;
}

const Value* Find(const Struct& object, const std::string& key) {
  const auto it = object.fields().find(key);
  return it == object.fields().end() ? nullptr : &it->second;
}

// The payload as Sign writes it: {"user_id":1,"username":"alice",
// "enabled":true,"exp":1700000000}, python-jose's bytes for the same claims.
std::string PayloadJson(const Claims& claims) {
  std::string payload = absl::StrCat("{\"user_id\":", claims.user_id, ",\"username\":");
  json::AppendQuoted(payload, claims.username);
  absl::StrAppend(&payload, ",\"enabled\":", claims.enabled ? "true" : "false",
                  ",\"exp\":", claims.exp, "}");
  return payload;
}

// Consumes `literal` at the front of `text`.
bool Take(absl::string_view& text, absl::string_view literal) {
  if (!absl::StartsWith(text, literal)) return false;
  text.remove_prefix(literal.size());
  return true;
}

// Consumes an integer at the front of `text`.
bool TakeInteger(absl::string_view& text, int64_t* out) {
  size_t length = !text.empty() && text[0] == '-' ? 1 : 0;
  while (length < text.size() && absl::ascii_isdigit(text[length])) ++length;
  if (!absl::SimpleAtoi(text.substr(0, length), out)) return false;
  text.remove_prefix(length);
  return true;
}

// The claims of a payload exactly as PayloadJson writes them (every token
// auth issues), read without a JSON parser, or nullopt for any other
// payload (the general path then reads it). Writing the claims back must
// give the same bytes, so this reads nothing the general path would read
// differently. Integers stay within 2^53, where a JSON number (a double to
// the general path) is exact.
std::optional<Claims> ReadOwnPayload(absl::string_view json) {
  constexpr int64_t kExact = int64_t{1} << 53;
  Claims claims;
  absl::string_view rest = json;
  if (!Take(rest, "{\"user_id\":") || !TakeInteger(rest, &claims.user_id) ||
      !Take(rest, ",\"username\":\"")) {
    return std::nullopt;
  }
  const size_t quote = rest.find('"');
  if (quote == absl::string_view::npos) return std::nullopt;
  claims.username = std::string(rest.substr(0, quote));  // escapes fail the comparison
  rest.remove_prefix(quote + 1);
  if (Take(rest, ",\"enabled\":true")) {
    claims.enabled = true;
  } else if (!Take(rest, ",\"enabled\":false")) {
    return std::nullopt;
  }
  if (!Take(rest, ",\"exp\":") || !TakeInteger(rest, &claims.exp) || rest != "}" ||
      claims.user_id <= -kExact || claims.user_id >= kExact || claims.exp <= -kExact ||
      claims.exp >= kExact || PayloadJson(claims) != json) {
    return std::nullopt;
  }
  return claims;
}

absl::Status Missing(absl::string_view claim) {
  return Invalid(absl::StrCat("Token is missing the \"", claim, "\" claim"));
}

}  // namespace

Hs256::Hs256(std::string secret, std::vector<std::string> previous_secrets, absl::Duration leeway)
    : secret_(std::move(secret)),
      previous_secrets_(std::move(previous_secrets)),
      leeway_seconds_(absl::ToInt64Seconds(leeway)) {}

std::string Hs256::Mac(const std::string& secret, absl::string_view signing_input) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), digest,
       &length);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

bool Hs256::SignedByUs(absl::string_view signing_input, const std::string& signature) const {
  const auto matches = [&](const std::string& secret) {
    const std::string expected = Mac(secret, signing_input);
    return signature.size() == expected.size() &&
           CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) == 0;
  };
  if (matches(secret_)) return true;
  for (const std::string& previous : previous_secrets_) {
    if (matches(previous)) return true;
  }
  return false;
}

std::string Hs256::Sign(const Claims& claims) const {
  const std::string payload = PayloadJson(claims);
  std::string token =
      absl::StrCat(absl::WebSafeBase64Escape(kHeaderJson), ".", absl::WebSafeBase64Escape(payload));
  const std::string signature = Mac(secret_, token);
  absl::StrAppend(&token, ".", absl::WebSafeBase64Escape(signature));
  return token;
}

absl::StatusOr<Claims> Hs256::Verify(absl::string_view token, absl::Time now) const {
  // Split as python-jose does: the signature after the last dot, the header
  // before the first dot of what remains, the claims in between.
  const size_t last_dot = token.rfind('.');
  if (last_dot == absl::string_view::npos) return Invalid(kNotEnoughSegments);
  const absl::string_view signing_input = token.substr(0, last_dot);
  const absl::string_view signature_segment = token.substr(last_dot + 1);
  const size_t first_dot = signing_input.find('.');
  if (first_dot == absl::string_view::npos) return Invalid(kNotEnoughSegments);
  const absl::string_view header_segment = signing_input.substr(0, first_dot);
  const absl::string_view claims_segment = signing_input.substr(first_dot + 1);

  std::string header_json, claims_json, signature;
  // python-jose reports a header that is not base64 as "Not enough segments".
  if (!DecodeSegment(header_segment, &header_json)) {
    return Invalid(kNotEnoughSegments);
  }
  // Nearly every header is the one python-jose and this module write: it
  // needs no parsing to know that its alg is HS256.
  Struct parsed_header;
  if (header_json != kHeaderJson) {
    absl::StatusOr<Struct> header = ParseObject(header_json, "header");
    if (!header.ok()) return header.status();
    parsed_header = *std::move(header);
  } else {
    (*parsed_header.mutable_fields())["alg"].set_string_value("HS256");
  }
  if (!DecodeSegment(claims_segment, &claims_json)) {
    return Invalid("Invalid payload padding");
  }
  if (!DecodeSegment(signature_segment, &signature)) {
    return Invalid("Invalid crypto padding");
  }

  const Value* alg = Find(parsed_header, "alg");
  if (alg == nullptr || (alg->kind_case() == Value::kStringValue && alg->string_value().empty())) {
    return Invalid("No algorithm was specified in the JWS header.");
  }
  if (alg->kind_case() != Value::kStringValue || alg->string_value() != "HS256") {
    return Invalid(kAlgNotAllowed);
  }

  if (!SignedByUs(signing_input, signature)) return Invalid(kBadSignature);

  // Only now is the payload trusted enough to read.
  const int64_t now_seconds = absl::ToUnixSeconds(now);
  if (std::optional<Claims> own = ReadOwnPayload(claims_json)) {
    // No iat or nbf: of the checks below, only the expiry applies.
    if (own->exp + leeway_seconds_ < now_seconds) return Invalid(kExpired);
    return *std::move(own);
  }
  absl::StatusOr<Struct> claims = ParseObject(claims_json, "payload");
  if (!claims.ok()) return claims.status();

  if (const Value* iat = Find(*claims, "iat")) {
    int64_t ignored = 0;
    if (!ReadInteger(*iat, &ignored)) {
      return Invalid("Issued At claim (iat) must be an integer.");
    }
  }
  if (const Value* nbf = Find(*claims, "nbf")) {
    int64_t not_before = 0;
    if (!ReadInteger(*nbf, &not_before)) {
      return Invalid("Not Before claim (nbf) must be an integer.");
    }
    if (not_before > now_seconds + leeway_seconds_) {
      return Invalid("The token is not yet valid (nbf)");
    }
  }
  Claims result;
  const Value* exp = Find(*claims, "exp");
  if (exp == nullptr) return Missing("exp");
  if (!ReadInteger(*exp, &result.exp)) {
    return Invalid("Expiration Time claim (exp) must be an integer.");
  }
  if (result.exp + leeway_seconds_ < now_seconds) return Invalid(kExpired);

  const Value* user_id = Find(*claims, "user_id");
  if (user_id == nullptr) return Missing("user_id");
  if (user_id->kind_case() != Value::kNumberValue ||
      user_id->number_value() != std::trunc(user_id->number_value()) ||
      std::fabs(user_id->number_value()) > 9007199254740991.0) {
    return Invalid("Token has an invalid \"user_id\" claim");
  }
  result.user_id = static_cast<int64_t>(user_id->number_value());

  const Value* enabled = Find(*claims, "enabled");
  if (enabled == nullptr) return Missing("enabled");
  if (enabled->kind_case() != Value::kBoolValue) {
    return Invalid("Token has an invalid \"enabled\" claim");
  }
  result.enabled = enabled->bool_value();

  if (const Value* username = Find(*claims, "username");
      username != nullptr && username->kind_case() == Value::kStringValue) {
    result.username = username->string_value();
  }
  return result;
}

}  // namespace platform::jwt
