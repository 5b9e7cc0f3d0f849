#include "model/apiserver/json_patch.h"

#include <fmt/format.h>

#include <string>

namespace sasim::model {
namespace {

using nlohmann::json;

// An operation that does not apply: GenericServerResponse(422), whose
// message is the client library's generic text and whose cause carries the
// patch library's error.
ApiStatus not_applicable(std::string detail) {
  ApiStatus status;
  status.code = 422;
  status.reason = std::string(kReasonInvalid);
  status.message = "the server rejected our request due to an error in our request";
  status.details.causes.push_back(StatusCause{.type = "UnexpectedServerResponse", .message = std::move(detail), .field = ""});
  return status;
}

bool has_string(const json& op, const char* key) { return op.contains(key) && op[key].is_string(); }

// The document's shape, before anything is applied: what DecodePatch and
// each operation's accessors reject.
std::optional<ApiStatus> malformed(const json& patch) {
  if (!patch.is_array()) {
    return status_bad_request(fmt::format("json: cannot unmarshal {} into Go value of type jsonpatch.Patch",
                                          patch.is_object() ? "object" : patch.is_string() ? "string"
                                                                         : patch.is_number() ? "number"
                                                                         : patch.is_boolean() ? "bool"
                                                                                              : "null"));
  }
  for (const json& op : patch) {
    if (!op.is_object()) {
      return status_bad_request("json: cannot unmarshal non-object into Go value of type jsonpatch.Operation");
    }
    if (!has_string(op, "op")) return status_bad_request("Unexpected kind: unknown");
    const std::string kind = op["op"].get<std::string>();
    if (kind != "add" && kind != "remove" && kind != "replace" && kind != "move" && kind != "copy" && kind != "test") {
      return status_bad_request(fmt::format("Unexpected kind: {}", kind));
    }
    if (!has_string(op, "path")) return status_bad_request(fmt::format("{} operation missing path", kind));
    if ((kind == "move" || kind == "copy") && !has_string(op, "from")) {
      return status_bad_request(fmt::format("{} operation missing from", kind));
    }
    if ((kind == "add" || kind == "replace" || kind == "test") && !op.contains("value")) {
      return status_bad_request(fmt::format("{} operation missing value", kind));
    }
  }
  return std::nullopt;
}

}  // namespace

sim::Result<json, ApiStatus> apply_json_patch(const json& document, const json& patch) {
  if (auto bad = malformed(patch)) return sim::unexpected(std::move(*bad));
  json current = document;
  // One operation at a time, so that a failure names the operation.
  for (const json& op : patch) {
    const std::string kind = op["op"].get<std::string>();
    const std::string path = op["path"].get<std::string>();
    try {
      current = current.patch(json::array({op}));
    } catch (const json::out_of_range&) {
      const std::string where = kind == "move" || kind == "copy" ? op["from"].get<std::string>() : path;
      return sim::unexpected(
          not_applicable(fmt::format("{} operation does not apply: doc is missing path: \"{}\": missing value", kind, where)));
    } catch (const json::parse_error&) {
      return sim::unexpected(status_bad_request(fmt::format("invalid JSON pointer: \"{}\"", path)));
    } catch (const json::other_error&) {
      // nlohmann reports a failed `test` this way.
      return sim::unexpected(not_applicable(fmt::format("testing value {} failed: test failed", path)));
    } catch (const json::exception& error) {
      return sim::unexpected(not_applicable(fmt::format("{} operation does not apply: {}", kind, error.what())));
    }
  }
  return current;
}

}  // namespace sasim::model
