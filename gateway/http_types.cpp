#include "gateway/http_types.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "actors/shared/runtime/json_text.h"
#include "boost/beast/http/field.hpp"

namespace platform::gateway {

HttpResponse MakeResponse(unsigned status, std::string body, absl::string_view request_id,
                          unsigned version, bool keep_alive, absl::string_view content_type) {
  HttpResponse response{static_cast<http::status>(status), version};
  response.set(http::field::content_type,
               boost::beast::string_view(content_type.data(), content_type.size()));
  response.set("X-Request-Id", boost::beast::string_view(request_id.data(), request_id.size()));
  response.keep_alive(keep_alive);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

HttpResponse MakeError(unsigned status, absl::string_view message, absl::string_view request_id,
                       unsigned version, bool keep_alive) {
  return MakeResponse(status, json::ErrorBody(message), request_id, version, keep_alive);
}

std::string CanonicalHeaderName(absl::string_view name) {
  std::string canonical(name);
  bool word_start = true;
  for (char& c : canonical) {
    c = static_cast<char>(word_start ? absl::ascii_toupper(static_cast<unsigned char>(c))
                                     : absl::ascii_tolower(static_cast<unsigned char>(c)));
    word_start = c == '-';
  }
  return canonical;
}

std::string HeaderWithControlByte(absl::string_view head) {
  head = head.substr(0, head.find("\r\n\r\n"));
  for (absl::string_view line : absl::StrSplit(head, "\r\n")) {
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos || colon == 0) continue;
    const absl::string_view name = line.substr(0, colon);
    const bool is_token = std::all_of(name.begin(), name.end(), [](char c) {
      return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
             absl::string_view("!#$%&'*+-.^_`|~").find(c) != absl::string_view::npos;
    });
    if (!is_token) continue;
    const absl::string_view value = line.substr(colon + 1);
    const bool bad = std::any_of(value.begin(), value.end(), [](char c) {
      return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7F;
    });
    if (bad) return CanonicalHeaderName(name);
  }
  return "";
}

}  // namespace platform::gateway
