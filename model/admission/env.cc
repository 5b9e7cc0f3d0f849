#include "model/admission/env.h"

#include "model/client/name_generator.h"

namespace sasim::model::admission {

std::string Env::generate_name(std::string_view base) { return client::generate_name(base, prng()); }

}  // namespace sasim::model::admission
