#include "actors/shared/runtime/grpc_context.h"

#include <string>

#include "gtest/gtest.h"

namespace platform {
namespace {

TEST(GrpcContext, PrintableAsciiIsAValidMetadataValue) {
  EXPECT_TRUE(IsValidMetadataValue(""));
  EXPECT_TRUE(IsValidMetadataValue("Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"));
  EXPECT_TRUE(IsValidMetadataValue(" !~"));  // both ends of the range
  EXPECT_TRUE(IsValidMetadataValue(std::string(kMaxMetadataValue, 'k')));
}

TEST(GrpcContext, BytesGrpcWouldAbortOnAreNotValidMetadataValues) {
  for (const std::string& bad :
       {std::string("a\tb"), std::string("a\x7f"), std::string("\x01"), std::string("caf\xc3\xa9"),
        std::string("\x80"), std::string("nul\0byte", 8)}) {
    EXPECT_FALSE(IsValidMetadataValue(bad)) << bad;
  }
  EXPECT_FALSE(IsValidMetadataValue(std::string(kMaxMetadataValue + 1, 'k')));
}

}  // namespace
}  // namespace platform
