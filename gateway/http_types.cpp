#include "gateway/http_types.h"

#include "actors/shared/runtime/json_text.h"
#include "boost/beast/http/field.hpp"

namespace platform::gateway {

HttpResponse MakeResponse(unsigned status, std::string body,
                          absl::string_view request_id, unsigned version,
                          bool keep_alive, absl::string_view content_type) {
  HttpResponse response{static_cast<http::status>(status), version};
  response.set(http::field::content_type,
               boost::beast::string_view(content_type.data(), content_type.size()));
  response.set("X-Request-Id",
               boost::beast::string_view(request_id.data(), request_id.size()));
  response.keep_alive(keep_alive);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

HttpResponse MakeError(unsigned status, absl::string_view message,
                       absl::string_view request_id, unsigned version,
                       bool keep_alive) {
  return MakeResponse(status, json::ErrorBody(message), request_id, version,
                      keep_alive);
}

}  // namespace platform::gateway
