#include "gateway/upstream_request.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "actors/shared/runtime/grpc_context.h"
#include "actors/shared/runtime/request_id.h"
#include "boost/beast/http/field.hpp"
#include "gateway/transcoder.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace platform::gateway {
namespace {

using google::protobuf::Message;

UpstreamRequest Refuse(unsigned status, std::string message) {
  UpstreamRequest refused;
  refused.error_status = status;
  refused.error = std::move(message);
  return refused;
}

// "application/json", any case, with parameters; a charset must be UTF-8.
bool IsJson(absl::string_view content_type) {
  // No header at all is a null view, which StrSplit splits into nothing.
  std::vector<absl::string_view> parts = absl::StrSplit(content_type, ';');
  if (parts.empty() ||
      !absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(parts[0]), "application/json")) {
    return false;
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    std::pair<absl::string_view, absl::string_view> param =
        absl::StrSplit(parts[i], absl::MaxSplits('=', 1));
    if (absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(param.first), "charset")) {
      absl::string_view charset = absl::StripAsciiWhitespace(param.second);
      charset = absl::StripPrefix(absl::StripSuffix(charset, "\""), "\"");
      if (!absl::EqualsIgnoreCase(charset, "utf-8") && !absl::EqualsIgnoreCase(charset, "utf8")) {
        return false;
      }
    }
  }
  return true;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding of one query component.
std::string DecodeQueryComponent(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && HexDigit(text[i + 1]) >= 0 &&
               HexDigit(text[i + 2]) >= 0) {
      out += static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

UpstreamRequest BuildUpstreamRequest(const RouteMatch& match, const HttpRequest& request,
                                     const std::string& request_id, const TraceContext& trace,
                                     const std::string& client_address) {
  const Route& route = *match.route;
  std::unique_ptr<Message> message = NewMessage(*route.method->input_type());
  if (route.body) {
    const std::string& body = request.body();
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Refuse(400, "Request body is empty: send a JSON object");
    }
    if (!IsJson(ToAbsl(request[http::field::content_type]))) {
      return Refuse(415, "Content-Type must be application/json");
    }
    if (absl::Status read = JsonToMessage(body, *message); !read.ok()) {
      return Refuse(400, std::string(read.message()));
    }
  }
  for (const auto& [field, text] : match.bindings) {
    if (!SetFieldFromText(*message, *field, text).ok()) {
      return Refuse(404, "Not found");
    }
  }
  if (!route.query_fields.empty()) {
    const absl::string_view target = ToAbsl(request.target());
    const size_t question = target.find('?');
    if (question != absl::string_view::npos) {
      for (absl::string_view pair :
           absl::StrSplit(target.substr(question + 1), '&', absl::SkipEmpty())) {
        std::pair<absl::string_view, absl::string_view> kv =
            absl::StrSplit(pair, absl::MaxSplits('=', 1));
        const std::string key = DecodeQueryComponent(kv.first);
        for (const auto* field : route.query_fields) {
          if (field->name() == key &&
              !SetFieldFromText(*message, *field, DecodeQueryComponent(kv.second)).ok()) {
            return Refuse(400, absl::StrCat("Invalid query parameter ", key));
          }
        }
      }
    }
  }

  UpstreamRequest call;
  Upstreams::Metadata& metadata = call.metadata;
  metadata.emplace_back(std::string(kRequestIdKey), request_id);
  metadata.emplace_back(std::string(kTraceparentKey), trace.Header());
  // The client's address as the socket saw it (auth counts failed logins
  // per address); never a header a client could set.
  if (!client_address.empty()) metadata.emplace_back("x-client-address", client_address);
  for (const std::string& header : route.forward_headers) {
    const auto found = request.find(header);
    if (found == request.end()) continue;
    const absl::string_view value = ToAbsl(found->value());
    // Beast takes any byte but CR/LF in a value; gRPC aborts on a call whose
    // metadata holds a tab, a control byte or a byte >= 0x80.
    if (!IsValidMetadataValue(value)) {
      return Refuse(400, absl::StrCat("Invalid ", CanonicalHeaderName(header), " header"));
    }
    metadata.emplace_back(header, std::string(value));
  }

  call.message = message->SerializeAsString();
  return call;
}

}  // namespace platform::gateway
