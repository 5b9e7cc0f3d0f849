#include "model/admission/env.h"

#include "model/admission/generated_name.h"

namespace sasim::model::admission {

std::string Env::generate_name(std::string_view base) { return admission::generate_name(base, prng()); }

}  // namespace sasim::model::admission
