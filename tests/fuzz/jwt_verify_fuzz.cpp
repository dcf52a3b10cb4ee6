// Tokens as anyone may send them, to the verifier auth and core share: raw
// bytes as a token, and a header and payload of the fuzzer's choosing
// signed with the right secret, so that the checks behind the signature
// (header, claims, types, times) are reached too. No input may crash it,
// and what it accepts has the claims the platform relies on.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "actors/shared/jwt/hs256.h"

namespace {

constexpr char kSecret[] = "fuzzing-secret-of-at-least-thirty-two-bytes";
const absl::Time kNow = absl::FromUnixSeconds(1'750'000'000);

std::string Signed(absl::string_view header, absl::string_view payload) {
  const std::string input =
      absl::StrCat(absl::WebSafeBase64Escape(header), ".", absl::WebSafeBase64Escape(payload));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), kSecret, sizeof kSecret - 1,
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length);
  return absl::StrCat(
      input, ".",
      absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<const char*>(mac), length)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const platform::jwt::Hs256 verifier(kSecret, {"an-older-secret-of-thirty-two-bytes!"},
                                             absl::Seconds(5));
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)verifier.Verify(bytes, kNow);

  // "<header>\n<payload>": a token whose signature is right.
  const size_t split = bytes.find('\n');
  const absl::string_view header =
      split == absl::string_view::npos ? R"({"alg":"HS256","typ":"JWT"})" : bytes.substr(0, split);
  const absl::string_view payload =
      split == absl::string_view::npos ? bytes : bytes.substr(split + 1);
  const absl::StatusOr<platform::jwt::Claims> claims =
      verifier.Verify(Signed(header, payload), kNow);
  if (claims.ok() && absl::FromUnixSeconds(claims->exp) + absl::Seconds(5) < kNow) {
    __builtin_trap();  // an expired token passed
  }
  return 0;
}
