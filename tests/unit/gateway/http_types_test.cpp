#include "gateway/http_types.h"

#include "gtest/gtest.h"

namespace platform::gateway {
namespace {

TEST(HttpTypes, CanonicalHeaderNamesCapitaliseEachWord) {
  EXPECT_EQ(CanonicalHeaderName("idempotency-key"), "Idempotency-Key");
  EXPECT_EQ(CanonicalHeaderName("AUTHORIZATION"), "Authorization");
  EXPECT_EQ(CanonicalHeaderName("x-request-id"), "X-Request-Id");
}

TEST(HttpTypes, FindsTheHeaderWhoseValueHoldsAControlByte) {
  EXPECT_EQ(HeaderWithControlByte("POST /transaction HTTP/1.1\r\nHost: a\r\n"
                                  "idempotency-key: a\x01z\r\nX: y\r\n\r\n"),
            "Idempotency-Key");
  EXPECT_EQ(HeaderWithControlByte("GET / HTTP/1.1\r\nAuthorization: Bearer \x7f\r\n\r\n"),
            "Authorization");
}

TEST(HttpTypes, TabsAndCleanHeadsNameNoHeader) {
  EXPECT_EQ(HeaderWithControlByte("GET / HTTP/1.1\r\nA: b\tc\r\nB: \xc3\xa9\r\n\r\n"), "");
  EXPECT_EQ(HeaderWithControlByte("GET /\x01 HTTP/1.1\r\nA: b\r\n\r\n"), "");       // request line
  EXPECT_EQ(HeaderWithControlByte("GET / HTTP/1.1\r\nA: b\r\n\r\nbody \x01"), "");  // body
  EXPECT_EQ(HeaderWithControlByte("GET / HTTP/1.1\r\nBad Name: \x01\r\n\r\n"), "");
}

}  // namespace
}  // namespace platform::gateway
