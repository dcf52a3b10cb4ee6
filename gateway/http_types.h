#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "boost/beast/http/message.hpp"
#include "boost/beast/http/string_body.hpp"

namespace platform::gateway {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

// Every answer of the gateway: a body of `content_type`, the request id,
// the client's HTTP version and keep-alive wish.
HttpResponse MakeResponse(unsigned status, std::string body, absl::string_view request_id,
                          unsigned version, bool keep_alive,
                          absl::string_view content_type = "application/json");

// {"error": "<message>"} with `status`: the one shape of every error.
HttpResponse MakeError(unsigned status, absl::string_view message, absl::string_view request_id,
                       unsigned version, bool keep_alive);

// "idempotency-key" -> "Idempotency-Key": a header's name as clients and
// error messages write it.
std::string CanonicalHeaderName(absl::string_view name);

// The canonical name of the first header line in `head` (raw request
// bytes: the part Beast's parser left unconsumed, or a whole head) whose
// value holds a control byte other than a tab. Beast refuses such a request
// without saying which header, and the client is owed "Invalid
// <Header-Name> header". "" when no header line holds one (a request line
// is not a header line: its method is followed by a space, not a colon).
std::string HeaderWithControlByte(absl::string_view head);

inline absl::string_view ToAbsl(boost::beast::string_view view) {
  return absl::string_view(view.data(), view.size());
}

}  // namespace platform::gateway
