#include "gateway/openapi.h"

#include <map>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/version.h"
#include "google/protobuf/descriptor.h"
#include "platform/api/v1/http.pb.h"
#include "rapidjson/document.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"

namespace platform::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::MethodDescriptor;
using rapidjson::Value;

// The statuses any route may answer with an error body (SPEC.md): a bad
// request, a service that failed, is down or did not answer in time; and,
// for a route with a body, one too large or not JSON.
constexpr unsigned kEveryRouteErrors[] = {400, 500, 503, 504};
constexpr unsigned kBodyErrors[] = {413, 415};

const char* Reason(unsigned status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "The request cannot be read (not JSON, not an object, a bad header)";
    case 401:
      return "The credentials are wrong";
    case 403:
      return "Not allowed for this user";
    case 404:
      return "No such user, transaction or path";
    case 405:
      return "Not a method this path takes (Allow lists those it does)";
    case 409:
      return "The Idempotency-Key was used for another body";
    case 413:
      return "The body is larger than the gateway takes";
    case 415:
      return "The body is not sent as application/json";
    case 422:
      return "A field is blank or invalid, or the token is not valid";
    case 429:
      return "Too many attempts: wait Retry-After seconds";
    case 500:
      return "The service failed";
    case 503:
      return "The service, or Redis behind it, is unavailable";
    case 504:
      return "The service did not answer in time";
    default:
      return "An error";
  }
}

// Builds the document in one RapidJSON tree.
class Builder {
 public:
  Builder() { document_.SetObject(); }

  std::string Build(const std::vector<Route>& routes) {
    Value info(rapidjson::kObjectType);
    Add(info, "title", Text("Payment platform HTTP API"));
    Add(info, "version", Text(PlatformVersion()));
    Add(info, "description",
        Text("The platform's public face: HTTP/JSON on the gateway, which turns each request "
             "into a gRPC call on auth or core. Made by the gateway from the routes it "
             "serves. Every answer carries X-Request-Id; errors are {\"error\": \"...\"}."));
    Value license(rapidjson::kObjectType);
    Add(license, "name", Text("Proprietary"));
    Add(info, "license", std::move(license));
    Add(document_, "openapi", Text("3.0.3"));
    Add(document_, "info", std::move(info));
    Value server(rapidjson::kObjectType);
    // Relative: wherever this document was fetched from (the gateway).
    Add(server, "url", Text("/"));
    Add(server, "description", Text("This gateway"));
    Value servers(rapidjson::kArrayType);
    servers.PushBack(server, allocator());
    Add(document_, "servers", std::move(servers));

    for (const Route& route : routes) {
      if (route.kind != RouteKind::kRpc) continue;
      descriptions_[route.path.front().literal] =
          route.method->service()->options().GetExtension(api::v1::http_service).description();
    }
    Value paths(rapidjson::kObjectType);
    for (const Route& route : routes) AddOperation(route, paths);
    Add(document_, "tags", std::move(tags_));
    Add(document_, "paths", std::move(paths));
    Add(document_, "components", Components());

    rapidjson::StringBuffer text;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(text);
    writer.SetIndent(' ', 2);
    document_.Accept(writer);
    return std::string(text.GetString(), text.GetSize());
  }

 private:
  rapidjson::Document::AllocatorType& allocator() { return document_.GetAllocator(); }

  Value Text(absl::string_view text) {
    return Value(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator());
  }
  void Add(Value& object, absl::string_view name, Value value) {
    object.AddMember(Text(name), value, allocator());
  }
  Value Ref(absl::string_view where, absl::string_view name) {
    Value ref(rapidjson::kObjectType);
    Add(ref, "$ref", Text(absl::StrCat("#/components/", where, "/", name)));
    return ref;
  }
  Value Object() { return Value(rapidjson::kObjectType); }
  Value TypeOnly(absl::string_view type) {
    Value schema = Object();
    Add(schema, "type", Text(type));
    return schema;
  }

  // The tag of a route: its service prefix ("auth", "transaction"), or
  // "gateway" for the gateway's own routes; declared once, with the
  // service's description.
  std::string TagFor(const Route& route) {
    std::string tag = route.kind == RouteKind::kGatewayHealth || route.kind == RouteKind::kOpenApi
                          ? "gateway"
                          : route.path.front().literal;
    if (tag_names_.insert(tag).second) {
      Value entry = Object();
      Add(entry, "name", Text(tag));
      Add(entry, "description",
          Text(tag == "gateway" ? "The gateway itself: the health of everything behind it, "
                                  "and this document."
                                : descriptions_[tag]));
      tags_.PushBack(entry, allocator());
    }
    return tag;
  }

  std::string PathOf(const Route& route) {
    std::string path;
    for (const PathSegment& segment : route.path) {
      absl::StrAppend(
          &path, "/",
          segment.field ? absl::StrCat("{", segment.field->name(), "}") : segment.literal);
    }
    return path.empty() ? "/" : path;
  }

  // "createTransaction", then "createTransactionAtTransactionTransaction"
  // for the same RPC on a second path.
  std::string OperationId(const Route& route) {
    std::string base;
    switch (route.kind) {
      case RouteKind::kRpc:
        base = route.method->name();
        break;
      case RouteKind::kServiceHealth:
        base = absl::StrCat(route.path.front().literal, "Health");
        break;
      case RouteKind::kGatewayHealth:
        base = "gatewayHealth";
        break;
      case RouteKind::kOpenApi:
        base = "openApiDocument";
        break;
    }
    base[0] = absl::ascii_tolower(base[0]);
    if (operation_ids_.insert(base).second) return base;
    std::string longer = absl::StrCat(base, "At");
    for (const PathSegment& segment : route.path) {
      std::string part = segment.field ? segment.field->name() : segment.literal;
      part[0] = absl::ascii_toupper(part[0]);
      absl::StrAppend(&longer, part);
    }
    operation_ids_.insert(longer);
    return longer;
  }

  void AddOperation(const Route& route, Value& paths) {
    const api::v1::HttpRule* rule =
        route.method != nullptr && route.method->options().HasExtension(api::v1::http)
            ? &route.method->options().GetExtension(api::v1::http)
            : nullptr;
    Value operation = Object();
    Add(operation, "operationId", Text(OperationId(route)));
    Add(operation, "summary", Text(Summary(route, rule)));
    Value tags(rapidjson::kArrayType);
    tags.PushBack(Text(TagFor(route)), allocator());
    Add(operation, "tags", std::move(tags));
    Add(operation, "parameters", Parameters(route));
    if (route.body) {
      Value body = Object();
      Add(body, "required", Value(true));
      Add(body, "content", JsonContent(MessageRef(*route.method->input_type(), true)));
      Add(operation, "requestBody", std::move(body));
    }
    Add(operation, "security", Security(route));
    Add(operation, "responses", Responses(route, rule));

    const std::string path = PathOf(route);
    if (!paths.HasMember(path.c_str())) Add(paths, path, Object());
    Value& item = paths[path.c_str()];
    Add(item, absl::AsciiStrToLower(route.http_method), std::move(operation));
  }

  std::string Summary(const Route& route, const api::v1::HttpRule* rule) {
    switch (route.kind) {
      case RouteKind::kRpc:
        return rule != nullptr && !rule->summary().empty() ? rule->summary() : route.name;
      case RouteKind::kServiceHealth:
        return absl::StrCat("Health of the ", route.path.front().literal,
                            " service (its grpc.health.v1 status)");
      case RouteKind::kGatewayHealth:
        return "Health of every service behind the gateway";
      case RouteKind::kOpenApi:
        return "This document";
    }
    return route.name;
  }

  Value Parameters(const Route& route) {
    Value parameters(rapidjson::kArrayType);
    for (const PathSegment& segment : route.path) {
      if (segment.field == nullptr) continue;
      Value parameter = Object();
      Add(parameter, "name", Text(segment.field->name()));
      Add(parameter, "in", Text("path"));
      Add(parameter, "required", Value(true));
      Value schema = TypeOnly("string");
      const std::string& pattern = segment.field->options().GetExtension(api::v1::path_pattern);
      if (!pattern.empty()) Add(schema, "pattern", Text(absl::StrCat("^", pattern, "$")));
      Add(parameter, "schema", std::move(schema));
      parameters.PushBack(parameter, allocator());
    }
    for (const FieldDescriptor* field : route.query_fields) {
      Value parameter = Object();
      Add(parameter, "name", Text(field->name()));
      Add(parameter, "in", Text("query"));
      Add(parameter, "schema", FieldSchema(*field, true));
      parameters.PushBack(parameter, allocator());
    }
    for (const std::string& header : route.forward_headers) {
      if (header == "authorization") continue;  // the bearer scheme (Security)
      if (header == "idempotency-key") {
        parameters.PushBack(Ref("parameters", "IdempotencyKey"), allocator());
        used_parameters_.insert("IdempotencyKey");
      }
    }
    if (route.kind == RouteKind::kRpc) {
      parameters.PushBack(Ref("parameters", "RequestId"), allocator());
      parameters.PushBack(Ref("parameters", "Traceparent"), allocator());
      used_parameters_.insert("RequestId");
      used_parameters_.insert("Traceparent");
    }
    return parameters;
  }

  // A bearer token where the route takes one as a header (it may come in
  // the query or body instead); none at the HTTP level elsewhere.
  Value Security(const Route& route) {
    Value security(rapidjson::kArrayType);
    for (const std::string& header : route.forward_headers) {
      if (header != "authorization") continue;
      Value bearer = Object();
      Add(bearer, "bearerToken", Value(rapidjson::kArrayType));
      security.PushBack(bearer, allocator());
      security.PushBack(Object(), allocator());  // or the token query parameter
      uses_bearer_ = true;
    }
    return security;
  }

  Value Responses(const Route& route, const api::v1::HttpRule* rule) {
    Value responses = Object();
    Value ok = Object();
    Add(ok, "description", Text(Reason(200)));
    Add(ok, "headers", RequestIdHeader());
    switch (route.kind) {
      case RouteKind::kRpc:
        Add(ok, "content", JsonContent(MessageRef(*route.method->output_type(), false)));
        break;
      case RouteKind::kServiceHealth:
      case RouteKind::kGatewayHealth:
        Add(ok, "content", JsonContent(Ref("schemas", "HealthReport")));
        uses_health_ = true;
        break;
      case RouteKind::kOpenApi:
        Add(ok, "content", JsonContent(TypeOnly("object")));
        break;
    }
    Add(responses, "200", std::move(ok));

    std::set<unsigned> errors;
    if (route.kind == RouteKind::kRpc) {
      errors.insert(std::begin(kEveryRouteErrors), std::end(kEveryRouteErrors));
      if (route.body) errors.insert(std::begin(kBodyErrors), std::end(kBodyErrors));
      if (rule != nullptr)
        errors.insert(rule->error_statuses().begin(), rule->error_statuses().end());
    } else {
      errors.insert(405);  // POST /transaction/health, as SPEC.md has it
      // A check failed: the same report, with status "fail".
      if (route.kind != RouteKind::kOpenApi) errors.insert(503);
    }
    for (const unsigned status : errors) {
      Value answer = Object();
      Add(answer, "description", Text(Reason(status)));
      Value headers = RequestIdHeader();
      if (status == 429) {
        Value retry_after = Object();
        Add(retry_after, "description", Text("Seconds to wait before trying again"));
        Add(retry_after, "schema", TypeOnly("integer"));
        Add(headers, "Retry-After", std::move(retry_after));
      }
      Add(answer, "headers", std::move(headers));
      const bool health = route.kind != RouteKind::kRpc && status == 503;
      Add(answer, "content", JsonContent(Ref("schemas", health ? "HealthReport" : "Error")));
      uses_error_ = uses_error_ || !health;
      Add(responses, absl::StrCat(status), std::move(answer));
    }
    return responses;
  }

  Value RequestIdHeader() {
    Value headers = Object();
    Value id = Object();
    Add(id, "description", Text("The request's id: the client's X-Request-Id, or a new one"));
    Add(id, "schema", TypeOnly("string"));
    Add(headers, "X-Request-Id", std::move(id));
    return headers;
  }

  Value JsonContent(Value schema) {
    Value media = Object();
    Add(media, "schema", std::move(schema));
    Value content = Object();
    Add(content, "application/json", std::move(media));
    return content;
  }

  // A message's schema, added to the components once, by its short name.
  Value MessageRef(const Descriptor& message, bool request) {
    const std::string& name = message.name();
    if (!schema_names_.count(name)) {
      schema_names_.insert(name);
      Value schema = TypeOnly("object");
      Value properties = Object();
      for (int i = 0; i < message.field_count(); ++i) {
        const FieldDescriptor& field = *message.field(i);
        // Filled by the gateway itself, never sent by a client.
        if (field.options().GetExtension(api::v1::json_unreadable_members)) continue;
        Add(properties, field.name(), FieldSchema(field, request));
      }
      Add(schema, "properties", std::move(properties));
      schemas_.emplace_back(name, std::move(schema));
    }
    return Ref("schemas", name);
  }

  Value FieldSchema(const FieldDescriptor& field, bool request) {
    Value schema = ScalarSchema(field, request);
    if (!field.is_repeated()) return schema;
    Value array = TypeOnly("array");
    Add(array, "items", std::move(schema));
    return array;
  }

  Value ScalarSchema(const FieldDescriptor& field, bool request) {
    switch (field.cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        return TypeOnly("string");
      case FieldDescriptor::CPPTYPE_BOOL:
        return TypeOnly("boolean");
      case FieldDescriptor::CPPTYPE_FLOAT:
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return TypeOnly("number");
      case FieldDescriptor::CPPTYPE_ENUM: {
        Value schema = TypeOnly("string");
        Value names(rapidjson::kArrayType);
        for (int i = 0; i < field.enum_type()->value_count(); ++i) {
          names.PushBack(Text(field.enum_type()->value(i)->name()), allocator());
        }
        Add(schema, "enum", std::move(names));
        return schema;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return MessageRef(*field.message_type(), request);
      default: {  // the integers
        const bool wide = field.cpp_type() == FieldDescriptor::CPPTYPE_INT64 ||
                          field.cpp_type() == FieldDescriptor::CPPTYPE_UINT64;
        Value number = TypeOnly("integer");
        Add(number, "format", Text(wide ? "int64" : "int32"));
        if (!request) return number;
        // HTTPie's amount=100 sends "100": the gateway takes digits too.
        Value digits = TypeOnly("string");
        Add(digits, "pattern", Text("^-?[0-9]+$"));
        Value either(rapidjson::kArrayType);
        either.PushBack(number, allocator());
        either.PushBack(digits, allocator());
        Value schema = Object();
        Add(schema, "oneOf", std::move(either));
        return schema;
      }
    }
  }

  Value Components() {
    Value schemas = Object();
    if (uses_error_) {
      Value error = TypeOnly("object");
      Value properties = Object();
      Value message = TypeOnly("string");
      Add(message, "description", Text("What went wrong, for a person to read"));
      Add(properties, "error", std::move(message));
      Add(error, "properties", std::move(properties));
      Value required(rapidjson::kArrayType);
      required.PushBack(Text("error"), allocator());
      Add(error, "required", std::move(required));
      Add(schemas, "Error", std::move(error));
    }
    if (uses_health_) Add(schemas, "HealthReport", HealthReportSchema());
    for (auto& [name, schema] : schemas_) Add(schemas, name, std::move(schema));

    Value parameters = Object();
    if (used_parameters_.count("RequestId")) {
      Add(parameters, "RequestId",
          HeaderParameter("X-Request-Id",
                          "Ties every log line about the request together; 1 to 128 characters "
                          "of [A-Za-z0-9._:-] (else a new one is made). Returned on the answer.",
                          "^[A-Za-z0-9._:-]{1,128}$"));
    }
    if (used_parameters_.count("Traceparent")) {
      Add(parameters, "Traceparent",
          HeaderParameter(
              "traceparent",
              "W3C Trace Context: continued through core, the connector and the "
              "PSP, its trace id on their log lines (an invalid one starts a new trace).",
              "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(-.*)?$"));
    }
    if (used_parameters_.count("IdempotencyKey")) {
      Add(parameters, "IdempotencyKey",
          HeaderParameter("Idempotency-Key",
                          "The same key with the same body within 24 h answers the first "
                          "answer again and creates nothing; with another body, 409.",
                          ""));
    }

    Value components = Object();
    Add(components, "schemas", std::move(schemas));
    Add(components, "parameters", std::move(parameters));
    if (uses_bearer_) {
      Value bearer = Object();
      Add(bearer, "type", Text("http"));
      Add(bearer, "scheme", Text("bearer"));
      Add(bearer, "bearerFormat", Text("JWT"));
      Value schemes = Object();
      Add(schemes, "bearerToken", std::move(bearer));
      Add(components, "securitySchemes", std::move(schemes));
    }
    return components;
  }

  Value HeaderParameter(absl::string_view name, absl::string_view description,
                        absl::string_view pattern) {
    Value parameter = Object();
    Add(parameter, "name", Text(name));
    Add(parameter, "in", Text("header"));
    Add(parameter, "description", Text(description));
    Value schema = TypeOnly("string");
    if (!pattern.empty()) Add(schema, "pattern", Text(pattern));
    Add(parameter, "schema", std::move(schema));
    return parameter;
  }

  // {"checks": {"<name>": {"status": "pass"|"fail", "output": "..."}}, "status": ...}
  Value HealthReportSchema() {
    const auto status = [this] {
      Value schema = TypeOnly("string");
      Value values(rapidjson::kArrayType);
      values.PushBack(Text("pass"), allocator());
      values.PushBack(Text("fail"), allocator());
      Add(schema, "enum", std::move(values));
      return schema;
    };
    Value check = TypeOnly("object");
    Value check_properties = Object();
    Add(check_properties, "status", status());
    Add(check_properties, "output", TypeOnly("string"));
    Add(check, "properties", std::move(check_properties));
    Value checks = TypeOnly("object");
    Add(checks, "additionalProperties", std::move(check));
    Value report = TypeOnly("object");
    Value properties = Object();
    Add(properties, "checks", std::move(checks));
    Add(properties, "status", status());
    Add(report, "properties", std::move(properties));
    return report;
  }

  rapidjson::Document document_;
  Value tags_{rapidjson::kArrayType};
  std::set<std::string> tag_names_;
  std::map<std::string, std::string> descriptions_;  // by service prefix
  std::set<std::string> operation_ids_;
  std::set<std::string> schema_names_;
  std::vector<std::pair<std::string, Value>> schemas_;
  std::set<std::string> used_parameters_;
  bool uses_error_ = false;
  bool uses_health_ = false;
  bool uses_bearer_ = false;
};

}  // namespace

std::string OpenApiDocument(const std::vector<Route>& routes) { return Builder().Build(routes); }

}  // namespace platform::gateway
