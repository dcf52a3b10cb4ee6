#include "actors/shared/runtime/grpc_call.h"

#include <condition_variable>
#include <mutex>
#include <vector>

#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace platform::runtime {

grpc::Status CallByName(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                        const std::string& request, std::string* answer,
                        std::chrono::milliseconds deadline) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline);
  grpc::Slice slice(request);
  grpc::ByteBuffer in(&slice, 1);
  grpc::ByteBuffer out;
  std::mutex mutex;
  std::condition_variable done;
  bool finished = false;
  grpc::Status result;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &in, &out, [&](grpc::Status status) {
    std::lock_guard lock(mutex);
    result = std::move(status);
    finished = true;
    done.notify_all();
  });
  std::unique_lock lock(mutex);
  done.wait(lock, [&] { return finished; });
  if (result.ok() && answer != nullptr) {
    std::vector<grpc::Slice> slices;
    answer->clear();
    if (out.Dump(&slices).ok()) {
      for (const grpc::Slice& s : slices) {
        answer->append(reinterpret_cast<const char*>(s.begin()), s.size());
      }
    }
  }
  return result;
}

}  // namespace platform::runtime
