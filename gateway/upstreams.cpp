#include "gateway/upstreams.h"

#include "absl/strings/str_cat.h"
#include "actors/shared/runtime/grpc_channel.h"
#include "grpc/health/v1/health.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/channel_arguments.h"

namespace platform::gateway {
namespace {

// The state of one call, alive until its callback has run.
struct PendingCall {
  grpc::ClientContext context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer answer;
};

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  out.reserve(buffer.Length());
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

}  // namespace

Upstreams::Upstreams(const std::map<std::string, std::string>& addresses) {
  for (const auto& [name, address] : addresses) {
    grpc::ChannelArguments args;
    // No retry policy: a call a service may have seen is answered by it or
    // fails, never sent twice. Retries stay enabled for gRPC's transparent
    // retry alone, which resends only a call no server saw: one that met
    // a connection as it closed (a server's GOAWAY at its maximum
    // connection age, a replica leaving). With retries off, that call
    // failed UNAVAILABLE "Transport closed", a 503 now and then in a
    // rolling update or a quiet minute. Channelz bookkeeping and BDP probes
    // cost time per call.
    args.SetInt(GRPC_ARG_ENABLE_CHANNELZ, 0);
    args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    Target target;
    // Every replica behind the name gets calls (round_robin), and one that
    // comes back or is added is found within a second or two.
    target.channel = NewBalancedChannel(address, args);
    target.stub = std::make_unique<grpc::GenericStub>(target.channel);
    targets_.emplace(name, std::move(target));
  }
}

Upstreams::~Upstreams() = default;

bool Upstreams::Has(const std::string& upstream) const { return targets_.count(upstream) != 0; }

std::vector<std::string> Upstreams::names() const {
  std::vector<std::string> names;
  for (const auto& entry : targets_) names.push_back(entry.first);
  return names;
}

void Upstreams::Call(const std::string& upstream, const std::string& method,
                     const std::string& request, const Metadata& metadata, absl::Duration deadline,
                     Done done) const {
  const auto target = targets_.find(upstream);
  if (target == targets_.end()) {
    done(grpc::Status(grpc::StatusCode::UNAVAILABLE, absl::StrCat("no upstream named ", upstream)),
         "", "");
    return;
  }
  auto call = std::make_shared<PendingCall>();
  call->context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  for (const auto& [key, value] : metadata) {
    call->context.AddMetadata(key, value);
  }
  grpc::Slice slice(request);
  call->request = grpc::ByteBuffer(&slice, 1);
  target->second.stub->UnaryCall(
      &call->context, method, grpc::StubOptions(), &call->request, &call->answer,
      [call, done = std::move(done)](grpc::Status status) {
        std::string answer = status.ok() ? Flatten(call->answer) : "";
        std::string retry_after;
        const auto& trailers = call->context.GetServerTrailingMetadata();
        if (const auto found = trailers.find("retry-after"); found != trailers.end()) {
          retry_after.assign(found->second.data(), found->second.size());
        }
        done(std::move(status), std::move(answer), std::move(retry_after));
      });
}

void Upstreams::CheckHealth(const std::string& upstream, const std::string& service,
                            absl::Duration deadline, std::function<void(absl::Status)> done) const {
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  Call(upstream, "/grpc.health.v1.Health/Check", request.SerializeAsString(), {}, deadline,
       [done = std::move(done)](const grpc::Status& status, const std::string& answer,
                                const std::string&) {
         if (!status.ok()) {
           done(absl::UnavailableError(status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED
                                           ? "did not answer in time"
                                           : "unreachable"));
           return;
         }
         grpc::health::v1::HealthCheckResponse response;
         if (!response.ParseFromString(answer) ||
             response.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
           done(absl::UnavailableError(absl::StrCat(
               "health is ",
               grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()))));
           return;
         }
         done(absl::OkStatus());
       });
}

}  // namespace platform::gateway
