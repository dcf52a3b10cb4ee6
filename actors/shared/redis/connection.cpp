#include "actors/shared/redis/connection.h"

#include <hiredis/hiredis.h>

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

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const Endpoint& endpoint,
                                                             absl::Duration timeout) {
  redisContext* context =
      redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, absl::ToTimeval(timeout));
  if (context == nullptr) return absl::ResourceExhaustedError("no memory for a Redis context");
  if (context->err != 0) {
    const std::string why = context->errstr;
    redisFree(context);
    return absl::UnavailableError(
        absl::StrCat("cannot connect to Redis at ", endpoint.host, ":", endpoint.port, ": ", why));
  }
  const timeval io_timeout = absl::ToTimeval(timeout);
  redisSetTimeout(context, io_timeout);
  redisEnableKeepAlive(context);
  std::unique_ptr<Connection> connection(new Connection(context));
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
  return reply;
}

absl::StatusOr<Reply> Connection::Run(const std::vector<std::string>& argv) {
  Append(argv);
  return ReadReply();
}

}  // namespace platform::redis
