#include "model/admission/errors.h"

namespace sasim::model::admission {

std::string rejected_object_name(const Pod* pod) {
  if (pod != nullptr && !pod->metadata.name.empty()) return pod->metadata.name;
  if (pod != nullptr && !pod->metadata.generate_name.empty()) return pod->metadata.generate_name;
  return "Unknown";
}

ApiStatus forbidden(const Attributes& attributes, const Pod* pod, std::string_view reason) {
  return status_forbidden(attributes.resource, rejected_object_name(pod), reason);
}

ApiStatus unstructured_error(std::string message) {
  ApiStatus status;
  status.code = 500;
  status.message = std::move(message);
  return status;
}

}  // namespace sasim::model::admission
