// A token Secret's annotation and data keys as std::string, made once.
// ObjectMeta::annotation and Secret::data_value take a std::string, and the
// annotation keys (34 characters) are too long for the short-string buffer:
// building one per lookup allocated for every Secret an invariant judged.
#pragma once

#include <string>

#include "model/objects/constants.h"

namespace sasim::properties::keys {

inline const std::string kAccountName{model::kServiceAccountNameKey};
inline const std::string kAccountUid{model::kServiceAccountUidKey};
inline const std::string kToken{model::kServiceAccountTokenKey};
inline const std::string kNamespace{model::kServiceAccountNamespaceKey};
inline const std::string kRootCa{model::kServiceAccountRootCaKey};

}  // namespace sasim::properties::keys
