// §6 steps: the envelope (at, after, name, namespace, retry, expect,
// capture) around exactly one action, and the static timeline checks.
#include <fmt/format.h>

#include "model/objects/name_validation.h"
#include "scenarios/parts.h"
#include "scenarios/reader.h"
#include "scenarios/suggest.h"
#include "sim/duration_text.h"

namespace sasim::scenarios::parse {

namespace {

constexpr std::string_view kActions[] = {"create", "replace", "patch", "delete",       "get",  "list",   "wait",
                                         "await",  "check",   "fault", "authenticate", "heal", "settle", "quiesce",
                                         "tokenRequest", "upgrade"};
constexpr std::string_view kStepKeys[] = {
    "create",  "replace", "patch", "delete",  "get",     "list",       "wait",    "await",        "check",
    "fault",   "authenticate",     "heal",    "settle",  "quiesce",    "tokenRequest",    "upgrade", "at",      "after",        "name",
    "namespace",          "expect", "retry",  "capture", "merge",      "strategic", "json",       "preconditions",
    "print",   "timeout", "allNamespaces", "gracePeriodSeconds", "force"};
// The API actions: they take `retry`, `expect: {error: ...}`, `expect:
// {response: ...}` and `capture: {VAR: {response: ...}}`.
constexpr std::string_view kApiActions[] = {"create", "replace", "patch", "delete", "get", "list", "tokenRequest"};

// Keys that go with one action only.
struct Option {
  std::string_view key;
  std::string_view action;
};
constexpr Option kOptions[] = {{"merge", "patch"},          {"strategic", "patch"},      {"json", "patch"},
                               {"preconditions", "delete"}, {"print", "get"},            {"print", "list"},
                               {"allNamespaces", "list"},   {"timeout", "await"},        {"force", "delete"},
                               {"gracePeriodSeconds", "delete"}};

// metav1.StatusReason values.
constexpr std::string_view kReasons[] = {
    "Unauthorized", "Forbidden",        "NotFound",      "AlreadyExists",         "Conflict",
    "Gone",         "Invalid",          "ServerTimeout", "Timeout",               "TooManyRequests",
    "BadRequest",   "MethodNotAllowed", "NotAcceptable", "RequestEntityTooLarge", "UnsupportedMediaType",
    "InternalError", "Expired",         "ServiceUnavailable"};

bool is_one_of(std::string_view word, std::span<const std::string_view> words) {
  for (std::string_view w : words) {
    if (w == word) return true;
  }
  return false;
}

ExpectError parse_expect_error(const YamlNode& node) {
  ExpectError expect;
  if (node.is_null()) return expect;  // `error:` alone: any error
  static constexpr std::string_view kKeys[] = {"code", "reason", "message"};
  check_map(node, "{code: N, reason: REASON, message: SUBSTRING}", kKeys);
  if (const YamlNode* v = node.find("code"); given(v)) expect.code = static_cast<int>(read_int(*v, 100, 599));
  if (const YamlNode* v = node.find("reason"); given(v)) {
    // A reason from a variable is known only when the step runs.
    const bool variable = v->is_scalar() && v->text.find("${") != std::string::npos;
    expect.reason = variable ? read_string(*v) : read_choice(*v, "reason", kReasons);
  }
  if (const YamlNode* v = node.find("message"); given(v)) expect.message = read_string(*v);
  return expect;
}

ExpectUser parse_expect_user(const YamlNode& expect_node) {
  const YamlNode& user = *expect_node.find("user");
  ExpectUser out;
  const YamlNode* uid = expect_node.find("uid");
  const YamlNode* groups = expect_node.find("groups");
  if (user.is_map()) {
    static constexpr std::string_view kKeys[] = {"name", "uid", "groups"};
    check_map(user, "{name: system:serviceaccount:NS:NAME, uid: UID, groups: [...]}", kKeys);
    if (uid != nullptr || groups != nullptr) {
      fail(key_node(expect_node, uid != nullptr ? "uid" : "groups").location,
           "write uid and groups either beside user or inside it, not both");
    }
    const YamlNode* name = user.find("name");
    if (name == nullptr) fail(user.location, "user needs name: system:serviceaccount:NS:NAME");
    out.name = read_name(*name, "the user name");
    uid = user.find("uid");
    groups = user.find("groups");
  } else {
    out.name = read_name(user, "the user name");
  }
  if (given(uid)) out.uid = read_string(*uid);
  if (given(groups)) out.groups = read_string_list(*groups, "a sequence of group names");
  return out;
}

Expect parse_expect(const YamlNode& node, std::string_view action) {
  static constexpr std::string_view kKeys[] = {"error", "object", "user", "uid", "groups", "rejected", "response", "extra"};
  static constexpr std::string_view kHeads[] = {"error", "object", "user", "rejected", "response"};
  check_map(node, "{error: {...}}, {object: PATTERN}, {response: PATTERN}, {user: NAME} or {rejected: SUBSTRING}",
            kKeys);
  const YamlNode* head = nullptr;
  for (std::size_t i = 0; i < node.entries(); ++i) {
    if (!is_one_of(node.key(i).text, kHeads)) continue;
    if (head != nullptr) {
      fail(node.key(i).location, fmt::format("expect takes one of error, object, response, user and rejected; got "
                                             "\"{}\" and \"{}\"",
                                             head->text, node.key(i).text));
    }
    head = &node.key(i);
  }
  const bool authenticate = action == "authenticate";
  const YamlNode* extra = node.find("extra");
  // `extra` alone: an authenticated user with that extra, whoever it is.
  if (head == nullptr && extra != nullptr && authenticate) {
    Expect expect;
    expect.location = node.location;
    expect.what = ExpectUser{.extra = parse_pattern(*extra, "a pattern of user extra")};
    return expect;
  }
  if (head == nullptr) fail(node.location, "expect needs one of error, object, response, user and rejected");
  if (head->text != "user") {
    for (std::string_view key : {std::string_view("uid"), std::string_view("groups"), std::string_view("extra")}) {
      if (node.find(key) != nullptr) fail(key_node(node, key).location, fmt::format("{} goes with user", key));
    }
  }
  Expect expect;
  expect.location = node.location;
  const YamlNode& value = *node.find(head->text);
  if (head->text == "error") {
    if (authenticate) {
      fail(head->location, "authenticate expects {user: ...} or {rejected: ...}, not an API error");
    }
    expect.what = parse_expect_error(value);
  } else if (head->text == "object") {
    if (action != "get") fail(head->location, fmt::format("expect: {{object: ...}} goes with get, not with {}", action));
    expect.what = ExpectObject{parse_pattern(value, "a pattern")};
  } else if (head->text == "response") {
    if (!is_one_of(action, kApiActions)) {
      fail(head->location, fmt::format("expect: {{response: ...}} goes with API actions ({}), not with {}",
                                       quoted_list(kApiActions, ", "), action));
    }
    expect.what = ExpectResponse{parse_pattern(value, "a pattern")};
  } else {
    if (!authenticate) {
      fail(head->location, fmt::format("expect: {{{}: ...}} goes with authenticate, not with {}", head->text, action));
    }
    if (head->text == "user") {
      ExpectUser user = parse_expect_user(node);
      if (given(extra)) user.extra = parse_pattern(*extra, "a pattern of user extra");
      expect.what = std::move(user);
    } else {
      expect.what = ExpectRejected{read_string(value)};
    }
  }
  return expect;
}

bool is_variable_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    if (!(letter || (i > 0 && c >= '0' && c <= '9'))) return false;
  }
  return true;
}

std::map<std::string, Capture> parse_captures(const YamlNode& node) {
  if (!node.is_map()) fail(node.location, fmt::format("expected {{VAR: {{object: KIND/NAME, jsonpath: ...}}}}, got {}",
                                                      describe(node)));
  std::map<std::string, Capture> out;
  for (std::size_t i = 0; i < node.entries(); ++i) {
    const YamlNode& name = node.key(i);
    const YamlNode& value = node.value(i);
    if (!is_variable_name(name.text)) {
      fail(name.location, fmt::format("\"{}\" is not a variable name (letters, digits and _, not starting with a digit)",
                                      name.text));
    }
    static constexpr std::string_view kKeys[] = {"object", "jsonpath", "response"};
    check_map(value, "{object: KIND/NAME, jsonpath: \"{...}\"} or {response: \"{...}\"}", kKeys);
    const YamlNode* object = value.find("object");
    const YamlNode* jsonpath = value.find("jsonpath");
    const YamlNode* response = value.find("response");
    Capture capture{.location = name.location};
    if (response != nullptr) {
      if (object != nullptr || jsonpath != nullptr) {
        fail(value.location, "a capture takes {response: JSONPATH} or {object: KIND/NAME, jsonpath: ...}, not both");
      }
      capture.from_response = true;
      jsonpath = response;
    } else {
      if (object == nullptr || jsonpath == nullptr) {
        fail(value.location, "a capture needs object: KIND/NAME and jsonpath: \"{...}\", or response: \"{...}\"");
      }
      capture.object = parse_object_ref(*object);
    }
    capture.jsonpath = read_string(*jsonpath);
    if (capture.jsonpath.find('{') == std::string::npos) {
      fail(jsonpath->location, fmt::format("a jsonpath is a template such as \"{{.secrets[0].name}}\", got \"{}\"",
                                           capture.jsonpath));
    }
    out.emplace(name.text, std::move(capture));
  }
  return out;
}

}  // namespace

Step parse_step(const YamlNode& node, const Context& context, std::size_t index, TimelineState& state) {
  check_map(node, "a step (a map with one action key such as create, get or wait)", kStepKeys);
  const YamlNode* action_key = nullptr;
  for (std::size_t i = 0; i < node.entries(); ++i) {
    const YamlNode& key = node.key(i);
    if (!is_one_of(key.text, kActions)) continue;
    if (action_key != nullptr) {
      fail(key.location, fmt::format("two actions in one step: \"{}\" and \"{}\" (a step has exactly one action; "
                                     "split them into two steps)",
                                     action_key->text, key.text));
    }
    action_key = &key;
  }
  if (action_key == nullptr) {
    fail(node.location, fmt::format("a step needs one action key: {}", quoted_list(kActions, ", ")));
  }
  const std::string& action = action_key->text;
  for (std::size_t i = 0; i < node.entries(); ++i) {
    const YamlNode& key = node.key(i);
    bool is_option = false;
    bool fits = false;
    std::string owners;
    for (const Option& option : kOptions) {
      if (key.text != option.key) continue;
      is_option = true;
      fits = fits || option.action == action;
      owners += owners.empty() ? std::string(option.action) : " and " + std::string(option.action);
    }
    if (!is_option || fits) continue;
    if (key.text == "timeout" && (action == "settle" || action == "quiesce")) {
      fail(key.location, fmt::format("{} takes its timeout inside: {}: {{timeout: DURATION}}", action, action));
    }
    fail(key.location, fmt::format("\"{}\" goes with {}, not with {}", key.text, owners, action));
  }

  Step step;
  step.location = node.location;
  step.index = index;
  step.action_key = action;
  step.action_location = action_key->location;
  const YamlNode* at = node.find("at");
  const YamlNode* after = node.find("after");
  if (at != nullptr && after != nullptr) {
    const YamlNode& second = &key_node(node, "at") < &key_node(node, "after") ? key_node(node, "after")
                                                                              : key_node(node, "at");
    fail(second.location, "a step takes at or after, not both");
  }
  if (given(at)) {
    step.at = read_duration(*at);
    if (*step.at < state.earliest) {
      fail(at->location, fmt::format("at {} goes back in time: the steps before this one end at {} or later",
                                     sim::format_duration(*step.at), sim::format_duration(state.earliest)));
    }
    state.earliest = *step.at;
  }
  if (given(after)) {
    step.after = read_duration(*after);
    state.advance(*step.after);
  }
  if (const YamlNode* v = node.find("name"); given(v)) step.name = read_string(*v);
  if (const YamlNode* v = node.find("namespace"); given(v)) {
    step.namespace_ = read_name(*v, "the namespace");
    // A name with a variable is only known at run time.
    if (step.namespace_.find("${") == std::string::npos) {
      const std::vector<std::string> problems = model::is_dns1123_label(step.namespace_);
      if (!problems.empty()) {
        fail(v->location, fmt::format("invalid namespace name \"{}\": {}", step.namespace_, problems[0]));
      }
    }
  }
  const bool api = is_one_of(action, kApiActions);
  if (const YamlNode* v = node.find("retry"); given(v)) {
    step.retry = read_bool(*v);
    if (!api) fail(key_node(node, "retry").location, fmt::format("retry goes with API actions ({}), not with {}",
                                                                 quoted_list(kApiActions, ", "), action));
  }
  step.action = parse_action(node, *action_key, context, state);
  if (const YamlNode* v = node.find("expect"); given(v)) {
    if (!api && action != "authenticate") {
      fail(key_node(node, "expect").location,
           fmt::format("expect goes with API actions and authenticate, not with {}", action));
    }
    step.expect = parse_expect(*v, action);
  }
  if (const YamlNode* v = node.find("capture"); given(v)) {
    step.captures = parse_captures(*v);
    for (const auto& [var, capture] : step.captures) {
      if (capture.from_response && !api) {
        fail(capture.location, fmt::format("capture {}: {{response: ...}} goes with API actions ({}), not with {}", var,
                                           quoted_list(kApiActions, ", "), action));
      }
    }
  }
  return step;
}

}  // namespace sasim::scenarios::parse
