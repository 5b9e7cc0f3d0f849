#include "model/auth/auth_result.h"

namespace sasim::model::auth {

std::string client_visible_reason(const AuthResult& result) {
  switch (result.outcome) {
    case AuthResult::kAuthenticated:
      return "";
    case AuthResult::kRejected:
      if (result.signature_verified) return result.reason;
      break;
    case AuthResult::kNotHandled:
      break;
  }
  return "invalid bearer token";
}

}  // namespace sasim::model::auth
