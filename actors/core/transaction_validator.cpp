#include "actors/core/transaction_validator.h"

#include <algorithm>

namespace platform::core {
namespace {

bool Unreadable(const v1::CreateTransactionRequest& request, absl::string_view member) {
  return std::find(request.unreadable_members().begin(), request.unreadable_members().end(),
                   member) != request.unreadable_members().end();
}

bool IsCurrencyCode(absl::string_view text) {
  return text.size() == 3 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace

absl::StatusOr<ValidTransaction> ValidateCreate(const v1::CreateTransactionRequest& request,
                                                const jwt::Hs256& tokens, absl::Time now) {
  // A member the gateway could not read (a number for the token, "abc" for
  // the amount) is present but invalid: it is not blank.
  const bool token_unreadable = Unreadable(request, "token");
  const bool amount_unreadable = Unreadable(request, "amount");
  const bool currency_unreadable = Unreadable(request, "currency");

  if (request.token().empty() && !token_unreadable) {
    return absl::InvalidArgumentError("Token is blank");
  }
  if (request.amount() == 0 && !amount_unreadable) {
    return absl::InvalidArgumentError("Amount is blank");
  }
  if (request.currency().empty() && !currency_unreadable) {
    return absl::InvalidArgumentError("Currency is blank");
  }
  if (amount_unreadable || request.amount() < 0 || request.amount() > kMaxAmount) {
    return absl::InvalidArgumentError("Invalid amount");
  }
  if (currency_unreadable || !IsCurrencyCode(request.currency())) {
    return absl::InvalidArgumentError("Invalid currency code");
  }
  // A token that is not even a string cannot be a JWT: python-jose's word
  // for a token it cannot split.
  if (token_unreadable) return absl::InvalidArgumentError("Not enough segments");
  absl::StatusOr<jwt::Claims> claims = tokens.Verify(request.token(), now);
  if (!claims.ok()) return claims.status();
  if (!claims->enabled) {
    return absl::PermissionDeniedError("User not enabled for transactions");
  }
  return ValidTransaction{claims->user_id, request.amount(), request.currency()};
}

absl::StatusOr<jwt::Claims> Authenticate(absl::string_view token, const jwt::Hs256& tokens,
                                         absl::Time now) {
  if (token.empty()) return absl::InvalidArgumentError("Token is blank");
  return tokens.Verify(token, now);
}

}  // namespace platform::core
