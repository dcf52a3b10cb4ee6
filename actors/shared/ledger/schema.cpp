#include "actors/shared/ledger/schema.h"

#include "absl/strings/str_cat.h"

namespace platform::ledger {

std::string TransactionKey(absl::string_view id) { return absl::StrCat(kTransactionKeyPrefix, id); }

}  // namespace platform::ledger
