#include "gateway/status_map.h"

#include "gtest/gtest.h"

namespace platform::gateway {
namespace {

TEST(StatusMap, FollowsTheGrpcGatewayTableWithTheParityChange) {
  using C = grpc::StatusCode;
  const std::pair<C, unsigned> table[] = {
      {C::OK, 200},
      {C::INVALID_ARGUMENT, 422},     // parity: the reference answers 422
      {C::FAILED_PRECONDITION, 422},  // parity
      {C::NOT_FOUND, 404},
      {C::ALREADY_EXISTS, 409},
      {C::ABORTED, 409},
      {C::PERMISSION_DENIED, 403},
      {C::UNAUTHENTICATED, 401},
      {C::RESOURCE_EXHAUSTED, 429},
      {C::UNIMPLEMENTED, 501},
      {C::UNAVAILABLE, 503},
      {C::DEADLINE_EXCEEDED, 504},
      {C::CANCELLED, 499},
      {C::INTERNAL, 500},
      {C::UNKNOWN, 500},
      {C::DATA_LOSS, 500},
      {C::OUT_OF_RANGE, 400},
  };
  for (const auto& [code, http] : table) {
    EXPECT_EQ(HttpStatusFor(code), http) << static_cast<int>(code);
  }
}

}  // namespace
}  // namespace platform::gateway
