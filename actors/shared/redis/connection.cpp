#include "actors/shared/redis/connection.h"

#include <hiredis/hiredis.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace platform::redis {
namespace {

Reply Convert(const redisReply& raw) {
  Reply reply;
  switch (raw.type) {
    case REDIS_REPLY_STRING:
      reply.type = Reply::Type::kString;
      reply.text.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_STATUS:
      reply.type = Reply::Type::kStatus;
      reply.text.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_ERROR:
      reply.type = Reply::Type::kError;
      reply.text.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_INTEGER:
      reply.type = Reply::Type::kInteger;
      reply.integer = raw.integer;
      break;
    case REDIS_REPLY_ARRAY:
      reply.type = Reply::Type::kArray;
      reply.elements.reserve(raw.elements);
      for (size_t i = 0; i < raw.elements; ++i) {
        reply.elements.push_back(Convert(*raw.element[i]));
      }
      break;
    default:
      reply.type = Reply::Type::kNil;
  }
  return reply;
}

}  // namespace

absl::StatusOr<Reply> ParseReply(absl::string_view bytes) {
  redisReader* reader = redisReaderCreate();
  if (reader == nullptr) return absl::ResourceExhaustedError("out of memory");
  void* raw = nullptr;
  const bool read = redisReaderFeed(reader, bytes.data(), bytes.size()) == REDIS_OK &&
                    redisReaderGetReply(reader, &raw) == REDIS_OK && raw != nullptr;
  redisReaderFree(reader);
  if (!read) {
    if (raw != nullptr) freeReplyObject(raw);
    return absl::InvalidArgumentError("not one whole Redis reply");
  }
  Reply reply = Convert(*static_cast<redisReply*>(raw));
  freeReplyObject(raw);
  return reply;
}

namespace {

// Connects to one server and sets the read and write bound.
absl::StatusOr<redisContext*> Connect(const std::string& host, uint16_t port,
                                      absl::Duration timeout) {
  redisContext* context = redisConnectWithTimeout(host.c_str(), port, absl::ToTimeval(timeout));
  if (context == nullptr) return absl::ResourceExhaustedError("no memory for a Redis context");
  if (context->err != 0) {
    const std::string why = context->errstr;
    redisFree(context);
    return absl::UnavailableError(
        absl::StrCat("cannot connect to Redis at ", host, ":", port, ": ", why));
  }
  redisSetTimeout(context, absl::ToTimeval(timeout));
  redisEnableKeepAlive(context);
  return context;
}

// Which server the Sentinels say is the primary now: the first Sentinel
// that answers decides (they agree on it once a failover is over, and a
// stale answer is caught by the role check that follows).
absl::StatusOr<HostPort> AskSentinels(const Endpoint& endpoint, absl::Duration timeout) {
  std::string problems;
  for (const HostPort& sentinel : endpoint.sentinels) {
    absl::StatusOr<std::unique_ptr<Connection>> connection =
        Connection::Open(Endpoint{sentinel.host, sentinel.port, "", 0, {}, ""}, timeout);
    if (!connection.ok()) {
      absl::StrAppend(&problems, problems.empty() ? "" : "; ", connection.status().message());
      continue;
    }
    if (!endpoint.password.empty()) {
      // Sentinels share the servers' password (requirepass in their
      // configuration); one that has none refuses AUTH and is asked all
      // the same.
      if (!(*connection)->Run({"AUTH", endpoint.password}).ok()) continue;
    }
    absl::StatusOr<Reply> primary =
        (*connection)->Run({"SENTINEL", "get-master-addr-by-name", endpoint.master_name});
    int port = 0;
    if (primary.ok() && primary->type == Reply::Type::kArray && primary->elements.size() == 2 &&
        absl::SimpleAtoi(primary->elements[1].text, &port) && port > 0 && port <= 65535) {
      return HostPort{primary->elements[0].text, static_cast<uint16_t>(port)};
    }
    absl::StrAppend(&problems, problems.empty() ? "" : "; ", "the Sentinel at ", sentinel.host, ":",
                    sentinel.port, " knows no primary named ", endpoint.master_name,
                    primary.ok() && primary->is_error() ? ": " + primary->text : "");
  }
  return absl::UnavailableError(
      absl::StrCat("no Sentinel named the Redis primary (", problems, ")"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const Endpoint& endpoint,
                                                             absl::Duration timeout) {
  HostPort server{endpoint.host, endpoint.port};
  if (!endpoint.sentinels.empty()) {
    absl::StatusOr<HostPort> primary = AskSentinels(endpoint, timeout);
    if (!primary.ok()) return primary.status();
    server = *std::move(primary);
  }
  absl::StatusOr<redisContext*> context = Connect(server.host, server.port, timeout);
  if (!context.ok()) return context.status();
  std::unique_ptr<Connection> connection(new Connection(*context));
  if (!endpoint.password.empty()) {
    absl::StatusOr<Reply> auth = connection->Run({"AUTH", endpoint.password});
    if (!auth.ok()) return auth.status();
    if (auth->is_error()) {
      return absl::PermissionDeniedError(absl::StrCat("Redis refused the password: ", auth->text));
    }
  }
  if (endpoint.db != 0) {
    absl::StatusOr<Reply> select = connection->Run({"SELECT", absl::StrCat(endpoint.db)});
    if (!select.ok()) return select.status();
    if (select->is_error()) {
      return absl::InvalidArgumentError(absl::StrCat("Redis refused SELECT: ", select->text));
    }
  }
  if (!endpoint.sentinels.empty()) {
    // During a failover a Sentinel may still name the old primary, now a
    // replica (or about to be one): writing there would be refused, or lost.
    absl::StatusOr<Reply> role = connection->Run({"ROLE"});
    if (!role.ok()) return role.status();
    if (role->type != Reply::Type::kArray || role->elements.empty() ||
        role->elements[0].text != "master") {
      return absl::UnavailableError(absl::StrCat("the Redis the Sentinels named (", server.host,
                                                 ":", server.port, ") is not a primary"));
    }
  }
  return connection;
}

Connection::~Connection() { redisFree(context_); }

void Connection::Append(const std::vector<std::string>& argv) {
  std::vector<const char*> pointers;
  std::vector<size_t> lengths;
  pointers.reserve(argv.size());
  lengths.reserve(argv.size());
  for (const std::string& arg : argv) {
    pointers.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  if (redisAppendCommandArgv(context_, static_cast<int>(argv.size()), pointers.data(),
                             lengths.data()) != REDIS_OK) {
    broken_ = true;
  }
}

absl::StatusOr<Reply> Connection::ReadReply() {
  if (broken_) return absl::UnavailableError("the Redis connection is broken");
  void* raw = nullptr;
  if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
    broken_ = true;
    return absl::UnavailableError(absl::StrCat("Redis I/O failed: ", context_->errstr));
  }
  Reply reply = Convert(*static_cast<redisReply*>(raw));
  freeReplyObject(raw);
  if (reply.is_error() && absl::StartsWith(reply.text, "READONLY")) {
    // The server was a primary and is a replica now (a failover): this
    // connection is of no more use; the next one asks the Sentinels again.
    broken_ = true;
    return absl::UnavailableError(absl::StrCat("Redis is no longer the primary: ", reply.text));
  }
  return reply;
}

absl::StatusOr<Reply> Connection::Run(const std::vector<std::string>& argv) {
  Append(argv);
  return ReadReply();
}

}  // namespace platform::redis
