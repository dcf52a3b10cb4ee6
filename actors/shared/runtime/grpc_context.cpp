#include "actors/shared/runtime/grpc_context.h"

#include "grpcpp/server_context.h"

namespace platform {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

bool IsValidMetadataValue(absl::string_view value) {
  if (value.size() > kMaxMetadataValue) return false;
  for (const char c : value) {
    if (c < 0x20 || c > 0x7E) return false;  // char is signed: bytes >= 0x80 are < 0
  }
  return true;
}

std::string ClientMetadata(const grpc::ServerContextBase& context, absl::string_view key) {
  const auto& metadata = context.client_metadata();
  const auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  return it == metadata.end() ? "" : std::string(it->second.data(), it->second.size());
}

}  // namespace platform
