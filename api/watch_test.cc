#include "api/watch.h"

#include <catch2/catch.hpp>

#include "api/status_json.h"

namespace sasim::api {
namespace {

model::ObjectPtr account(const char* name, std::uint64_t rv, std::map<std::string, std::string> labels = {}) {
  model::ServiceAccount sa;
  sa.metadata.namespace_ = "default";
  sa.metadata.name = name;
  sa.metadata.resource_version = rv;
  sa.metadata.labels = std::move(labels);
  return std::make_shared<const model::Object>(std::move(sa));
}

WatchRequest accounts_labelled(const char* selector) {
  WatchRequest w;
  w.resource = Resource{model::Kind::kServiceAccount};
  w.namespace_ = "default";
  w.labels = parse_label_selector(selector).value();
  return w;
}

TEST_CASE("a selector turns objects entering and leaving it into ADDED and DELETED") {
  const WatchRequest w = accounts_labelled("team=a");
  const auto plain = account("x", 5);
  const auto labelled = account("x", 6, {{"team", "a"}});
  const auto relabelled = account("x", 7, {{"team", "b"}});
  CHECK_FALSE(watch_event(w, {model::WatchEventType::kAdded, plain, nullptr}).has_value());
  auto enters = watch_event(w, {model::WatchEventType::kModified, labelled, plain});
  REQUIRE(enters);
  CHECK(enters->type == model::WatchEventType::kAdded);
  auto stays = watch_event(w, {model::WatchEventType::kModified, labelled, labelled});
  REQUIRE(stays);
  CHECK(stays->type == model::WatchEventType::kModified);
  auto leaves = watch_event(w, {model::WatchEventType::kModified, relabelled, labelled});
  REQUIRE(leaves);
  CHECK(leaves->type == model::WatchEventType::kDeleted);
  CHECK_FALSE(watch_event(w, {model::WatchEventType::kDeleted, relabelled, relabelled}).has_value());
}

TEST_CASE("other namespaces and kinds are not seen") {
  WatchRequest w = accounts_labelled("");
  model::ServiceAccount elsewhere;
  elsewhere.metadata.namespace_ = "kube-system";
  elsewhere.metadata.name = "default";
  CHECK_FALSE(w.selects(model::Object(elsewhere)));
  model::Secret secret;
  secret.metadata.namespace_ = "default";
  CHECK_FALSE(w.selects(model::Object(secret)));
  w.namespace_.clear();
  CHECK(w.selects(model::Object(elsewhere)));
}

TEST_CASE("events are framed one JSON document per line") {
  const WatchRequest w = accounts_labelled("");
  const std::string line = encode_watch_event(w, {model::WatchEventType::kAdded, account("x", 5)}, true,
                                              sim::Time::zero(), {});
  REQUIRE(line.back() == '\n');
  const auto event = nlohmann::json::parse(line);
  CHECK(event["type"] == "ADDED");
  CHECK(event["object"]["kind"] == "ServiceAccount");
  CHECK(event["object"]["metadata"]["resourceVersion"] == "5");
}

TEST_CASE("a Table watch sends the column definitions with the first event only") {
  WatchRequest w = accounts_labelled("");
  w.format.table_version = "meta.k8s.io/v1";
  const auto first = nlohmann::json::parse(
      encode_watch_event(w, {model::WatchEventType::kAdded, account("x", 5)}, true, sim::Time::zero(), {}));
  CHECK(first["object"]["kind"] == "Table");
  CHECK(first["object"]["columnDefinitions"].size() == 3);
  CHECK(first["object"]["rows"][0]["cells"][0] == "x");
  const auto later = nlohmann::json::parse(
      encode_watch_event(w, {model::WatchEventType::kModified, account("x", 6)}, false, sim::Time::zero(), {}));
  CHECK(later["object"]["columnDefinitions"].is_null());
  CHECK(later["object"]["metadata"]["resourceVersion"] == "6");
}

TEST_CASE("a resourceVersion older than the history is an ERROR event with 410 Expired") {
  const auto event = nlohmann::json::parse(encode_watch_error(too_old_resource_version(3, 40)));
  CHECK(event["type"] == "ERROR");
  CHECK(event["object"]["code"] == 410);
  CHECK(event["object"]["reason"] == "Expired");
  CHECK(event["object"]["message"] == "too old resource version: 3 (40)");
}

}  // namespace
}  // namespace sasim::api
