// Queues N transactions in Redis exactly as core stores them (status hash
// and stream entry), fast, for the connector's drain benchmark.
//   queue_transactions <redis-url> <count>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "actors/shared/ledger/schema.h"
#include "actors/shared/redis/connection.h"
#include "platform/core/v1/transaction_event.pb.h"

int main(int argc, char** argv) {
  using namespace platform;
  int count = 0;
  if (argc != 3 || !absl::SimpleAtoi(argv[2], &count) || count <= 0) {
    std::fprintf(stderr, "usage: queue_transactions <redis-url> <count>\n");
    return 2;
  }
  absl::StatusOr<redis::Endpoint> endpoint = redis::ParseUrl(argv[1]);
  if (!endpoint.ok()) {
    std::fprintf(stderr, "%s\n", std::string(endpoint.status().message()).c_str());
    return 2;
  }
  absl::StatusOr<std::unique_ptr<redis::Connection>> redis =
      redis::Connection::Open(*endpoint, absl::Seconds(10));
  if (!redis.ok()) {
    std::fprintf(stderr, "%s\n", std::string(redis.status().message()).c_str());
    return 1;
  }
  const int64_t now = absl::ToUnixMillis(absl::Now());
  constexpr int kBatch = 1000;
  for (int done = 0; done < count;) {
    const int batch = std::min(kBatch, count - done);
    for (int i = 0; i < batch; ++i) {
      const std::string id = absl::StrCat("tx_bench", done + i);
      core::v1::TransactionQueued event;
      event.set_id(id);
      event.set_user_id(1);
      event.set_amount(100);
      event.set_currency("USD");
      event.set_request_id(absl::StrCat("bench-", done + i));
      event.set_created_at_ms(now);
      (*redis)->Append({"HSET", ledger::TransactionKey(ledger::kDefaultStream, id), "id", id,
                        "status", "queued", "user_id", "1", "amount", "100", "currency", "USD",
                        "created_at_ms", absl::StrCat(now)});
      (*redis)->Append({"XADD", std::string(ledger::kDefaultStream), "*", "id", id, "event",
                        event.SerializeAsString()});
    }
    for (int i = 0; i < 2 * batch; ++i) {
      absl::StatusOr<redis::Reply> reply = (*redis)->ReadReply();
      if (!reply.ok() || reply->is_error()) {
        std::fprintf(stderr, "redis refused the batch\n");
        return 1;
      }
    }
    done += batch;
  }
  return 0;
}
