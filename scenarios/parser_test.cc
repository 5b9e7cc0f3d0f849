#include "scenarios/parser.h"

#include <catch2/catch.hpp>

#include "scenarios/parse_test_support.h"
#include "scenarios/writer.h"
#include "sim/duration_text.h"

namespace sasim::scenarios {
namespace {

using sim::Duration;

// A path in testdata/, so that files named by the scenario resolve there.
const std::string kTestdata = std::string(SASIM_SOURCE_DIR) + "/scenarios/testdata/";

using testing::parse_error;
using testing::parse_ok;

// The action of the only step of `steps_yaml` (a `steps:` list body).
Step one_step(const std::string& step_yaml) {
  Scenario scenario = parse_ok("steps:\n" + step_yaml);
  REQUIRE(scenario.steps.size() == 1);
  return scenario.steps[0];
}

// The second step of a timeline whose first captures TOKEN, UID and NAME,
// for steps that use them.
Step captured_step(const std::string& step_yaml) {
  Scenario scenario = parse_ok(
      "steps:\n"
      "  - get: serviceaccount/default\n"
      "    capture:\n"
      "      TOKEN: {object: serviceaccount/default, jsonpath: \"{.secrets[0].name}\"}\n"
      "      UID: {object: serviceaccount/default, jsonpath: \"{.metadata.uid}\"}\n"
      "      NAME: {object: serviceaccount/default, jsonpath: \"{.metadata.name}\"}\n" +
      step_yaml);
  REQUIRE(scenario.steps.size() == 2);
  return scenario.steps[1];
}

// By value: tests often call these on a temporary Step.
template <class T>
T action_of(const Step& step) {
  REQUIRE(std::holds_alternative<T>(step.action));
  return std::get<T>(step.action);
}

template <class T>
T test_of(const Condition& condition) {
  REQUIRE(std::holds_alternative<T>(condition.test));
  return std::get<T>(condition.test);
}

template <class T>
T fault_of(const Step& step) {
  const Fault fault = action_of<FaultAction>(step).fault;
  REQUIRE(std::holds_alternative<T>(fault.spec));
  return std::get<T>(fault.spec);
}

// ---------------------------------------------------------------- top level

TEST_CASE("a minimal scenario takes every default") {
  const Scenario s = parse_ok("steps: []\n", "dir/token-rotation.yaml");
  CHECK(s.file == "dir/token-rotation.yaml");
  CHECK(s.name == "token-rotation");
  CHECK(s.description.empty());
  CHECK(s.seed == 1);
  CHECK(s.cluster.version == "1.20");
  CHECK(s.cluster.start_time_unix_seconds == 1577836800);
  CHECK(s.cluster.namespaces == std::vector<std::string>{"default", "kube-node-lease", "kube-public", "kube-system"});
  CHECK(s.cluster.nodes == std::vector<std::string>{"node-1"});
  CHECK(s.cluster.signing_algorithm == SigningAlgorithm::kRS256);
  CHECK(s.cluster.signing_key_pem.empty());
  CHECK(s.cluster.root_ca_pem.empty());
  CHECK(s.cluster.service_account_lookup);
  CHECK(s.cluster.require_api_token);
  CHECK_FALSE(s.cluster.limit_secret_references);
  CHECK_FALSE(s.actors.apiserver.latency.has_value());
  CHECK(s.objects.empty());
  CHECK(s.steps.empty());
  CHECK(s.invariants.mode == InvariantSelection::Mode::kAll);
  CHECK(s.limits.time == Duration::hours(24));
  CHECK(s.limits.events == 50'000'000);
  CHECK(s.limits.settle == Duration::minutes(10));
}

TEST_CASE("top-level keys are read") {
  const Scenario s = parse_ok(
      "name: rotation\ndescription: tokens rotate\nseed: 18446744073709551615\n"
      "invariants: [uids-are-unique, resource-versions-increase]\n"
      "limits: {time: 1h, events: 1000, settle: 30s}\n");
  CHECK(s.name == "rotation");
  CHECK(s.description == "tokens rotate");
  CHECK(s.seed == 18446744073709551615ULL);
  CHECK(s.invariants.mode == InvariantSelection::Mode::kList);
  CHECK(s.invariants.names == std::vector<std::string>{"uids-are-unique", "resource-versions-increase"});
  CHECK(s.invariants.location.describe() == Location{"s.yaml", 4, 13}.describe());
  CHECK(s.limits.time == Duration::hours(1));
  CHECK(s.limits.events == 1000);
  CHECK(s.limits.settle == Duration::seconds(30));
  CHECK(parse_ok("invariants: none\n").invariants.mode == InvariantSelection::Mode::kNone);
  CHECK(parse_ok("invariants: all\n").invariants.mode == InvariantSelection::Mode::kAll);
}

TEST_CASE("an empty section counts as absent") {
  const Scenario s = parse_ok("cluster:\nactors:\nobjects:\nsteps:\n");
  CHECK(s.steps.empty());
  CHECK(s.cluster.version == "1.20");
}

// ---------------------------------------------------------------- cluster

TEST_CASE("cluster settings are read") {
  const Scenario s = parse_ok(
      "cluster:\n"
      "  version: 1.20\n"  // unquoted: the text as written, not the number 1.2
      "  startTime: \"2021-06-01T12:00:00Z\"\n"
      "  namespaces: [default, team-a]\n"
      "  serviceAccountLookup: false\n"
      "  admission: {requireAPIToken: false, limitSecretReferences: true}\n");
  CHECK(s.cluster.version == "1.20");
  CHECK(s.cluster.start_time_unix_seconds == 1622548800);
  CHECK(s.cluster.namespaces == std::vector<std::string>{"default", "team-a"});
  CHECK_FALSE(s.cluster.service_account_lookup);
  CHECK_FALSE(s.cluster.require_api_token);
  CHECK(s.cluster.limit_secret_references);
}

TEST_CASE("the signing key and root CA are read relative to the scenario") {
  const Scenario s = parse_ok("cluster:\n  signing: {algorithm: ES256, key: ec-key.pem}\n  rootCA: ca.pem\n",
                              kTestdata + "s.yaml");
  CHECK(s.cluster.signing_algorithm == SigningAlgorithm::kES256);
  CHECK(s.cluster.signing_key_path == kTestdata + "ec-key.pem");
  CHECK_THAT(s.cluster.signing_key_pem, Catch::StartsWith("-----BEGIN EC PRIVATE KEY-----"));
  CHECK(s.cluster.root_ca_path == kTestdata + "ca.pem");
  CHECK_THAT(s.cluster.root_ca_pem, Catch::StartsWith("-----BEGIN CERTIFICATE-----"));
}

TEST_CASE("without an algorithm the key's type decides") {
  const Scenario s = parse_ok("cluster:\n  signing: {key: ec-key.pem}\n", kTestdata + "s.yaml");
  CHECK(s.cluster.signing_algorithm == SigningAlgorithm::kES256);
  CHECK(parse_ok("cluster:\n  signing: {algorithm: ES256}\n").cluster.signing_algorithm == SigningAlgorithm::kES256);
}

TEST_CASE("a root CA file without a certificate is refused") {
  CHECK_THAT(parse_error("cluster:\n  rootCA: ec-key.pem\n", kTestdata + "s.yaml"),
             Catch::EndsWith("holds no PEM certificate (-----BEGIN CERTIFICATE-----)"));
}

// ---------------------------------------------------------------- actors

TEST_CASE("actor knobs are read as overrides") {
  const Scenario s = parse_ok(
      "actors:\n"
      "  apiserver: {latency: {lognormal: {median: 2ms, p99: 20ms}}, watchLatency: 1ms}\n"
      "  admission: {latency: {exponential: 500us}, watchLag: 100ms}\n"
      "  tokens-controller: {workers: 2, qps: 5, burst: 10, maxRetries: 3, syncLatency: 1ms, restartDelay: 5s, "
      "watchLag: 2s}\n"
      "  serviceaccounts-controller: {workers: 3}\n"
      "  namespace-controller: {restartDelay: 1m}\n"
      "  kubelet: {syncPeriod: 30s, podStartLatency: {uniform: [1s, 2s]}, watchLag: 1s}\n"
      "  workload: {authEvery: 5s}\n");
  const Actors& a = s.actors;
  CHECK(a.apiserver.latency == sim::DurationDistribution::lognormal(Duration::milliseconds(2), Duration::milliseconds(20)).value());
  CHECK(a.apiserver.watch_latency == sim::DurationDistribution::constant(Duration::milliseconds(1)));
  CHECK(a.admission.latency == sim::DurationDistribution::exponential(Duration::microseconds(500)).value());
  CHECK(a.admission.watch_lag == Duration::milliseconds(100));
  CHECK(a.tokens_controller.workers == 2);
  CHECK(a.tokens_controller.qps == 5);
  CHECK(a.tokens_controller.burst == 10);
  CHECK(a.tokens_controller.max_retries == 3);
  CHECK(a.tokens_controller.sync_latency == Duration::milliseconds(1));
  CHECK(a.tokens_controller.restart_delay == Duration::seconds(5));
  CHECK(a.tokens_controller.watch_lag == Duration::seconds(2));
  CHECK(a.serviceaccounts_controller.workers == 3);
  CHECK_FALSE(a.serviceaccounts_controller.qps.has_value());
  CHECK(a.namespace_controller.restart_delay == Duration::minutes(1));
  CHECK(a.kubelet.sync_period == Duration::seconds(30));
  CHECK(a.kubelet.pod_start_latency == sim::DurationDistribution::uniform(Duration::seconds(1), Duration::seconds(2)).value());
  CHECK(a.kubelet.watch_lag == Duration::seconds(1));
  CHECK(a.workload.auth_every == Duration::seconds(5));
}

TEST_CASE("maxRetries belongs to the tokens controller only") {
  CHECK(parse_error("actors:\n  serviceaccounts-controller: {maxRetries: 3}\n") ==
        "s.yaml:2:32: error: unknown key \"maxRetries\" (expected one of: \"workers\", \"qps\", \"burst\", "
        "\"syncLatency\", \"restartDelay\", \"watchLag\")");
}

TEST_CASE("knob values are range-checked") {
  CHECK(parse_error("actors:\n  tokens-controller: {workers: 0}\n") ==
        "s.yaml:2:32: error: expected an integer from 1 to 1000000, got 0");
  CHECK(parse_error("actors:\n  apiserver: {latency: {lognormal: {median: 5ms}}}\n") ==
        "s.yaml:2:36: error: lognormal needs both median and p99");
}

// ---------------------------------------------------------------- objects

TEST_CASE("inline objects are decoded with their locations") {
  const Scenario s = parse_ok(
      "objects:\n"
      "  - apiVersion: v1\n"
      "    kind: ServiceAccount\n"
      "    metadata: {name: robot, namespace: default, labels: {tier: \"1\"}}\n"
      "    automountServiceAccountToken: false\n"
      "  - apiVersion: v1\n"
      "    kind: List\n"
      "    items:\n"
      "      - {apiVersion: v1, kind: Namespace, metadata: {name: team-a}}\n"
      "      - {apiVersion: v1, kind: Secret, metadata: {name: s, namespace: team-a}, stringData: {k: \"true\"}}\n");
  REQUIRE(s.objects.size() == 3);
  const Manifest& sa = s.objects[0];
  CHECK(sa.location.describe() == Location{"s.yaml", 2, 5}.describe());
  REQUIRE(sa.object.has_value());
  REQUIRE(std::holds_alternative<model::ServiceAccount>(*sa.object));
  const auto& account = std::get<model::ServiceAccount>(*sa.object);
  CHECK(account.metadata.name == "robot");
  CHECK(account.metadata.labels.at("tier") == "1");
  CHECK(account.automount_service_account_token == std::optional<bool>(false));
  CHECK(sa.json["kind"] == "ServiceAccount");
  CHECK(sa.locations.at("/metadata/name").describe() == Location{"s.yaml", 4, 16}.describe());
  CHECK_FALSE(sa.has_variables);
  CHECK(s.objects[1].location.describe() == Location{"s.yaml", 9, 9}.describe());
  CHECK(model::kind_of(*s.objects[1].object) == model::Kind::kNamespace);
  CHECK(s.objects[2].locations.at("/stringData/k").describe() == Location{"s.yaml", 10, 93}.describe());
  const auto& secret = std::get<model::Secret>(*s.objects[2].object);
  CHECK(secret.data.size() == 1);
}

TEST_CASE("objects from a file hold every document and List item") {
  const Scenario s = parse_ok("objects:\n  - file: manifests.yaml\n", kTestdata + "s.yaml");
  REQUIRE(s.objects.size() == 3);
  CHECK(model::meta(*s.objects[0].object).name == "team-a");
  CHECK(model::meta(*s.objects[1].object).name == "robot");
  CHECK(model::meta(*s.objects[2].object).name == "robot-token");
  CHECK(s.objects[2].location.describe() == Location{kTestdata + "manifests.yaml", 16, 1}.describe());
}

TEST_CASE("a manifest error points at the field in the manifest") {
  CHECK(parse_error("objects:\n"
                    "  - apiVersion: v1\n"
                    "    kind: Pod\n"
                    "    metadata: {name: p}\n"
                    "    spec:\n"
                    "      containers:\n"
                    "        - name: a\n"
                    "          image: nginx\n"
                    "          volumeMounts:\n"
                    "            - {name: v, mountPath: 5}\n") ==
        "s.yaml:10:25: error: json: cannot unmarshal number into Go struct field VolumeMount.spec.containers.volumeMounts.mountPath of type string");
  // A missing field lands on the map that lacks it.
  CHECK(parse_error("objects:\n  - kind: Secret\n    metadata: {name: x}\n") ==
        "s.yaml:2:5: error: Object 'apiVersion' is missing");
}

TEST_CASE("manifest scalars keep their YAML types") {
  CHECK(parse_error("objects:\n  - {apiVersion: v1, kind: Secret, metadata: {name: x}, immutable: \"true\"}\n") ==
        "s.yaml:2:57: error: json: cannot unmarshal string into Go struct field Secret.immutable of type bool");
  const Scenario s = parse_ok("objects:\n  - {apiVersion: v1, kind: Secret, metadata: {name: x}, immutable: true}\n");
  CHECK(std::get<model::Secret>(*s.objects[0].object).immutable == std::optional<bool>(true));
}

// ---------------------------------------------------------------- steps

TEST_CASE("a step's envelope is read") {
  const Step step = one_step(
      "  - at: 1m30s\n    name: look\n    namespace: team-a\n    retry: true\n    get: sa/robot\n"
      "    capture:\n      TOKEN: {object: sa/robot, jsonpath: \"{.secrets[0].name}\"}\n");
  CHECK(step.location.describe() == Location{"s.yaml", 2, 5}.describe());
  CHECK(step.index == 0);
  CHECK(step.at == Duration::seconds(90));
  CHECK_FALSE(step.after.has_value());
  CHECK(step.name == std::optional<std::string>("look"));
  CHECK(step.namespace_ == "team-a");
  CHECK(step.retry);
  CHECK(step.action_key == "get");
  CHECK(step.action_location.describe() == Location{"s.yaml", 6, 5}.describe());
  REQUIRE(step.captures.count("TOKEN") == 1);
  const Capture& capture = step.captures.at("TOKEN");
  CHECK(capture.object.kind == model::Kind::kServiceAccount);
  CHECK(capture.object.name == "robot");
  CHECK(capture.jsonpath == "{.secrets[0].name}");
  CHECK_FALSE(step.expect.has_value());
}

TEST_CASE("step defaults") {
  const Step step = one_step("  - after: 2s\n    wait: 1s\n");
  CHECK(step.after == Duration::seconds(2));
  CHECK_FALSE(step.at.has_value());
  CHECK(step.namespace_ == "default");
  CHECK_FALSE(step.retry);
  CHECK(step.captures.empty());
}

TEST_CASE("action create with an inline manifest") {
  const Step step = one_step("  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot}}\n");
  const auto& create = action_of<CreateAction>(step);
  REQUIRE(create.objects.size() == 1);
  CHECK(create.file.empty());
  CHECK(model::meta(*create.objects[0].object).name == "robot");
}

TEST_CASE("action create from a file") {
  Scenario s = parse_ok("steps:\n  - create: {file: manifests.yaml}\n", kTestdata + "s.yaml");
  const auto& create = action_of<CreateAction>(s.steps[0]);
  CHECK(create.objects.size() == 3);
  CHECK(create.file == kTestdata + "manifests.yaml");
}

TEST_CASE("a step manifest with a variable is kept for the runner") {
  const Step step = captured_step(
      "  - create: {apiVersion: v1, kind: Secret, metadata: {name: x}, data: {token: \"${TOKEN}\"}}\n");
  const CreateAction create = action_of<CreateAction>(step);
  const Manifest& manifest = create.objects[0];
  CHECK(manifest.has_variables);
  CHECK_FALSE(manifest.object.has_value());  // "${TOKEN}" is not base64 until substituted
  CHECK(manifest.json["data"]["token"] == "${TOKEN}");
  // One that decodes as written is decoded anyway.
  const Step named = captured_step("  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: \"${NAME}\"}}\n");
  const CreateAction create_named = action_of<CreateAction>(named);
  const Manifest& decoded = create_named.objects[0];
  CHECK(decoded.has_variables);
  CHECK(decoded.object.has_value());
}

TEST_CASE("action replace") {
  const Step step = one_step(
      "  - replace: {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot, resourceVersion: \"12\"}}\n");
  const auto& replace = action_of<ReplaceAction>(step);
  CHECK(model::meta(*replace.object.object).resource_version == 12);
}

TEST_CASE("action patch with merge and strategic") {
  const Step merge = one_step("  - patch: serviceaccounts/robot\n    merge: {secrets: null, metadata: {labels: {a: b}}}\n");
  const auto& patch = action_of<PatchAction>(merge);
  CHECK(patch.object.kind == model::Kind::kServiceAccount);
  CHECK(patch.object.name == "robot");
  CHECK(patch.type == PatchAction::Type::kMerge);
  CHECK(patch.patch.json["secrets"].is_null());
  CHECK(patch.patch.json["metadata"]["labels"]["a"] == "b");
  const Step strategic = one_step("  - patch: SA/robot\n    strategic: {automountServiceAccountToken: false}\n");
  CHECK(action_of<PatchAction>(strategic).type == PatchAction::Type::kStrategic);
  CHECK(action_of<PatchAction>(strategic).patch.json["automountServiceAccountToken"] == false);
}

TEST_CASE("action patch with a JSON patch") {
  const Step step = one_step("  - patch: sa/robot\n    json: [{op: remove, path: /automountServiceAccountToken}]\n");
  const auto& patch = action_of<PatchAction>(step);
  CHECK(patch.type == PatchAction::Type::kJson);
  REQUIRE(patch.patch.json.is_array());
  CHECK(patch.patch.json[0]["op"] == "remove");
  CHECK(patch.patch.json[0]["path"] == "/automountServiceAccountToken");
}

TEST_CASE("action delete with preconditions") {
  const Step step = captured_step("  - delete: secret/tok\n    preconditions: {uid: \"${UID}\", resourceVersion: 42}\n");
  const auto& del = action_of<DeleteAction>(step);
  CHECK(del.object.kind == model::Kind::kSecret);
  CHECK(del.uid == std::optional<std::string>("${UID}"));
  CHECK(del.resource_version == std::optional<std::string>("42"));
  CHECK_FALSE(action_of<DeleteAction>(one_step("  - delete: po/web\n")).uid.has_value());
}

TEST_CASE("action delete with a grace period and force") {
  const auto& graceful = action_of<DeleteAction>(one_step("  - delete: pod/web\n    gracePeriodSeconds: 5\n"));
  CHECK(graceful.grace_period_seconds == std::optional<std::int64_t>(5));
  CHECK_FALSE(graceful.force);
  const auto& forced = action_of<DeleteAction>(one_step("  - delete: pod/web\n    gracePeriodSeconds: 0\n    force: true\n"));
  CHECK(forced.grace_period_seconds == std::optional<std::int64_t>(0));
  CHECK(forced.force);
  CHECK_FALSE(action_of<DeleteAction>(one_step("  - delete: pod/web\n")).grace_period_seconds.has_value());
  CHECK(parse_error("steps:\n  - delete: pod/web\n    gracePeriodSeconds: -1\n") ==
        "s.yaml:3:25: error: expected an integer from 0 to 2147483647, got -1");
  CHECK(parse_error("steps:\n  - get: pod/web\n    force: true\n") ==
        "s.yaml:3:5: error: \"force\" goes with delete, not with get");
}

TEST_CASE("nodes and the kubelet's stop latency and delete's options are written back") {
  const Scenario s = parse_ok(
      "cluster: {nodes: [a, b]}\n"
      "actors: {kubelet: {podStopLatency: 2s}}\n"
      "steps:\n  - delete: pod/web\n    gracePeriodSeconds: 5\n    force: true\n");
  const std::string text = write_scenario(s);
  const Scenario again = parse_ok(text);
  CHECK(again.cluster.nodes == std::vector<std::string>{"a", "b"});
  CHECK(again.actors.kubelet.pod_stop_latency.has_value());
  const auto& del = action_of<DeleteAction>(again.steps.at(0));
  CHECK(del.grace_period_seconds == std::optional<std::int64_t>(5));
  CHECK(del.force);
}

TEST_CASE("cluster nodes are read and checked") {
  CHECK(parse_ok("cluster:\n  nodes: [worker-a, worker-b.example]\n").cluster.nodes ==
        std::vector<std::string>{"worker-a", "worker-b.example"});
  CHECK(parse_ok("cluster:\n  nodes: []\n").cluster.nodes.empty());
  CHECK(parse_error("cluster:\n  nodes: [a, a]\n") == "s.yaml:2:14: error: node \"a\" is listed twice");
  CHECK(parse_error("cluster:\n  nodes: [Bad_Name]\n").rfind("s.yaml:2:11: error: invalid node name \"Bad_Name\"", 0) == 0);
}

TEST_CASE("action get with print") {
  CHECK(action_of<GetAction>(one_step("  - get: ns/default\n")).print == PrintFormat::kNone);
  CHECK(action_of<GetAction>(one_step("  - get: ns/default\n    print: yaml\n")).print == PrintFormat::kYaml);
  CHECK(action_of<GetAction>(one_step("  - get: ns/default\n    print: json\n")).print == PrintFormat::kJson);
  const auto& get = action_of<GetAction>(one_step("  - get: Pods/web\n    print: describe\n"));
  CHECK(get.print == PrintFormat::kDescribe);
  CHECK(get.object.kind == model::Kind::kPod);
  CHECK(get.object.location.describe() == Location{"s.yaml", 2, 10}.describe());
}

TEST_CASE("action list with print") {
  const auto& list = action_of<ListAction>(one_step("  - list: secrets\n    print: table\n"));
  CHECK(list.kind == model::Kind::kSecret);
  CHECK(list.print == PrintFormat::kTable);
  CHECK_FALSE(list.all_namespaces);
}

TEST_CASE("action list across every namespace") {
  const auto& list = action_of<ListAction>(one_step("  - list: serviceaccounts\n    allNamespaces: true\n"));
  CHECK(list.all_namespaces);
  CHECK(list.print == PrintFormat::kNone);
}

TEST_CASE("action wait") {
  CHECK(action_of<WaitAction>(one_step("  - wait: 1.5s\n")).duration == Duration::milliseconds(1500));
}

TEST_CASE("action await with and without timeout") {
  const auto& await = action_of<AwaitAction>(one_step("  - await: {exists: sa/robot}\n    timeout: 30s\n"));
  CHECK(await.timeout == Duration::seconds(30));
  CHECK(test_of<ExistsCondition>(await.condition).object.name == "robot");
  CHECK(action_of<AwaitAction>(one_step("  - await: {exists: sa/robot}\n")).timeout == Duration::minutes(1));
}

TEST_CASE("action check") {
  const auto& check = action_of<CheckAction>(one_step("  - check: {absent: secret/gone}\n"));
  CHECK(test_of<AbsentCondition>(check.condition).object.kind == model::Kind::kSecret);
}

TEST_CASE("action authenticate with each token source") {
  const auto& secret = action_of<AuthenticateAction>(one_step("  - authenticate: {secret: tok}\n"));
  CHECK(secret.token.from == TokenSource::From::kSecret);
  CHECK(secret.token.text == "tok");
  CHECK(action_of<AuthenticateAction>(one_step("  - authenticate: {pod: web}\n")).token.from == TokenSource::From::kPod);
  const auto& value = action_of<AuthenticateAction>(captured_step("  - authenticate: {value: \"${TOKEN}\"}\n"));
  CHECK(value.token.from == TokenSource::From::kValue);
  CHECK(value.token.text == "${TOKEN}");
}

TEST_CASE("action heal all and by name") {
  CHECK(action_of<HealAction>(one_step("  - heal: all\n")).all);
  const Scenario s = parse_ok("steps:\n  - fault: {partition: kubelet, name: net}\n  - heal: net\n");
  const auto& heal = action_of<HealAction>(s.steps[1]);
  CHECK_FALSE(heal.all);
  CHECK(heal.name == "net");
}

TEST_CASE("action settle with and without timeout") {
  CHECK_FALSE(action_of<SettleAction>(one_step("  - settle: {}\n")).timeout.has_value());
  CHECK_FALSE(action_of<SettleAction>(one_step("  - settle:\n")).timeout.has_value());
  CHECK(action_of<SettleAction>(one_step("  - settle: {timeout: 5m}\n")).timeout == Duration::minutes(5));
}

TEST_CASE("action quiesce with and without timeout") {
  CHECK_FALSE(action_of<QuiesceAction>(one_step("  - quiesce: {}\n")).timeout.has_value());
  CHECK_FALSE(action_of<QuiesceAction>(one_step("  - quiesce:\n")).timeout.has_value());
  CHECK(action_of<QuiesceAction>(one_step("  - quiesce: {timeout: 10m}\n")).timeout == Duration::minutes(10));
}

// ---------------------------------------------------------------- conditions

TEST_CASE("condition object matches") {
  const auto& check = action_of<CheckAction>(
      one_step("  - check: {object: sa/robot, matches: {secrets: {\"<length>\": 1}, metadata: {uid: \"<any>\"}}}\n"));
  const auto& matches = test_of<MatchesCondition>(check.condition);
  CHECK(matches.object.name == "robot");
  CHECK(matches.pattern.json["secrets"]["<length>"] == 1);
  CHECK(matches.pattern.json["metadata"]["uid"] == "<any>");
}

TEST_CASE("condition count with each comparison") {
  const auto& equals = test_of<CountCondition>(
      action_of<CheckAction>(one_step("  - check: {count: secrets, where: {type: Opaque}, equals: 2}\n")).condition);
  CHECK(equals.kind == model::Kind::kSecret);
  CHECK(equals.comparison == CountCondition::Comparison::kEquals);
  CHECK(equals.count == 2);
  REQUIRE(equals.where.has_value());
  CHECK(equals.where->json["type"] == "Opaque");
  const auto& at_least =
      test_of<CountCondition>(action_of<CheckAction>(one_step("  - check: {count: sa, atLeast: 1}\n")).condition);
  CHECK(at_least.comparison == CountCondition::Comparison::kAtLeast);
  CHECK_FALSE(at_least.where.has_value());
  const auto& at_most =
      test_of<CountCondition>(action_of<CheckAction>(one_step("  - check: {count: pods, atMost: 0}\n")).condition);
  CHECK(at_most.comparison == CountCondition::Comparison::kAtMost);
  CHECK(at_most.count == 0);
}

TEST_CASE("condition tokenValid and invariant") {
  const auto& token = test_of<TokenValidCondition>(
      action_of<CheckAction>(one_step("  - check: {tokenValid: {secret: tok}}\n")).condition);
  CHECK(token.token.text == "tok");
  const auto& invariant = test_of<InvariantCondition>(
      action_of<CheckAction>(one_step("  - check: {invariant: uids-are-unique}\n")).condition);
  CHECK(invariant.name == "uids-are-unique");
}

TEST_CASE("conditions combine with all any and not") {
  const Step step = one_step(
      "  - await:\n"
      "      all:\n"
      "        - exists: sa/a\n"
      "        - any: [{exists: sa/b}, {absent: sa/c}]\n"
      "        - not: {exists: secret/d}\n");
  const Condition& root = action_of<AwaitAction>(step).condition;
  const auto& all = test_of<AllCondition>(root);
  REQUIRE(all.conditions.size() == 3);
  CHECK(all.conditions[0].location.describe() == Location{"s.yaml", 4, 11}.describe());
  CHECK(test_of<ExistsCondition>(all.conditions[0]).object.name == "a");
  const auto& any = test_of<AnyCondition>(all.conditions[1]);
  REQUIRE(any.conditions.size() == 2);
  CHECK(test_of<AbsentCondition>(any.conditions[1]).object.name == "c");
  const auto& negated = test_of<NotCondition>(all.conditions[2]);
  REQUIRE(negated.condition != nullptr);
  CHECK(test_of<ExistsCondition>(*negated.condition).object.kind == model::Kind::kSecret);
}

TEST_CASE("a pattern's length marker stands alone") {
  CHECK(parse_error("steps:\n  - check: {object: sa/a, matches: {secrets: {\"<length>\": 1, x: 2}}}\n") ==
        "s.yaml:2:47: error: {\"<length>\": N} must be the only key of its map");
}

// ---------------------------------------------------------------- expect

TEST_CASE("expect error with each field") {
  const Step step = one_step("  - get: sa/x\n    expect: {error: {code: 404, reason: NotFound, message: not found}}\n");
  REQUIRE(step.expect.has_value());
  REQUIRE(std::holds_alternative<ExpectError>(step.expect->what));
  const auto& error = std::get<ExpectError>(step.expect->what);
  CHECK(error.code == std::optional<int>(404));
  CHECK(error.reason == std::optional<std::string>("NotFound"));
  CHECK(error.message == std::optional<std::string>("not found"));
  const Step any = one_step("  - delete: sa/x\n    expect: {error: {}}\n");
  const auto& any_error = std::get<ExpectError>(any.expect->what);
  CHECK_FALSE(any_error.code.has_value());
  CHECK_FALSE(any_error.reason.has_value());
}

TEST_CASE("expect object on get") {
  const Step step = one_step("  - get: sa/x\n    expect: {object: {metadata: {name: x}}}\n");
  const auto& object = std::get<ExpectObject>(step.expect->what);
  CHECK(object.pattern.json["metadata"]["name"] == "x");
}

TEST_CASE("expect user in both spellings") {
  const Step beside = captured_step(
      "  - authenticate: {secret: tok}\n"
      "    expect:\n"
      "      user: system:serviceaccount:default:robot\n"
      "      uid: \"${UID}\"\n"
      "      groups: [system:serviceaccounts, \"system:serviceaccounts:default\"]\n");
  const auto& user = std::get<ExpectUser>(beside.expect->what);
  CHECK(user.name == "system:serviceaccount:default:robot");
  CHECK(user.uid == std::optional<std::string>("${UID}"));
  CHECK(user.groups ==
        std::optional<std::vector<std::string>>({"system:serviceaccounts", "system:serviceaccounts:default"}));
  const Step inside = one_step("  - authenticate: {pod: web}\n    expect: {user: {name: system:anonymous}}\n");
  const auto& inner = std::get<ExpectUser>(inside.expect->what);
  CHECK(inner.name == "system:anonymous");
  CHECK_FALSE(inner.uid.has_value());
  CHECK_FALSE(inner.groups.has_value());
}

TEST_CASE("expect rejected") {
  const Step step = one_step("  - authenticate: {value: garbage}\n    expect: {rejected: invalid bearer token}\n");
  CHECK(std::get<ExpectRejected>(step.expect->what).substring == "invalid bearer token");
}

TEST_CASE("expect goes with the actions it fits") {
  CHECK(parse_error("steps:\n  - wait: 1s\n    expect: {error: {}}\n") ==
        "s.yaml:3:5: error: expect goes with API actions and authenticate, not with wait");
  CHECK(parse_error("steps:\n  - get: sa/a\n    expect: {rejected: x}\n") ==
        "s.yaml:3:14: error: expect: {rejected: ...} goes with authenticate, not with get");
  CHECK(parse_error("steps:\n  - get: sa/a\n    expect: {error: {reason: NotFuond}}\n") ==
        "s.yaml:3:30: error: unknown reason \"NotFuond\" (did you mean \"NotFound\"?)");
}

// Every string of expect takes ${VAR}: a reason from a variable is checked
// against the known ones only once substituted, when the step runs.
TEST_CASE("expect error takes a reason from a variable") {
  const Scenario s = parse_ok(
      "steps:\n"
      "  - get: sa/a\n    capture: {WHY: {object: sa/a, jsonpath: \"{.metadata.labels.why}\"}}\n"
      "  - get: sa/a\n    expect: {error: {reason: \"${WHY}\"}}\n");
  REQUIRE(s.steps.size() == 2);
  CHECK(std::get<ExpectError>(s.steps[1].expect->what).reason == std::optional<std::string>("${WHY}"));
}

// ---------------------------------------------------------------- faults

TEST_CASE("fault crash with its options") {
  const Step step = one_step("  - fault: {crash: tokens-controller, restartAfter: 30s, name: kcm-down, for: 1m}\n");
  const Fault fault = action_of<FaultAction>(step).fault;
  CHECK(fault.name == std::optional<std::string>("kcm-down"));
  CHECK(fault.for_ == Duration::minutes(1));
  CHECK(fault.location.describe() == Location{"s.yaml", 2, 12}.describe());
  const auto& crash = fault_of<CrashFault>(step);
  CHECK(crash.actor == "tokens-controller");
  CHECK(crash.restart_after == Duration::seconds(30));
  CHECK_FALSE(fault_of<CrashFault>(one_step("  - fault: {crash: kubelet}\n")).restart_after.has_value());
}

TEST_CASE("fault crashAfter") {
  const auto& fault = fault_of<CrashAfterFault>(
      one_step("  - fault: {crashAfter: {actor: tokens-controller, request: \"create secrets\"}}\n"));
  CHECK(fault.actor == "tokens-controller");
  CHECK(fault.request == "create secrets");
  CHECK(fault.verb == model::Verb::kCreate);
  CHECK(fault.resource == model::Kind::kSecret);
}

TEST_CASE("fault partition") {
  CHECK(fault_of<PartitionFault>(one_step("  - fault: {partition: namespace-controller}\n")).actor ==
        "namespace-controller");
}

TEST_CASE("fault delay") {
  const auto& fault = fault_of<DelayFault>(one_step("  - fault: {delay: {actor: apiserver, extra: {exponential: 5ms}}}\n"));
  CHECK(fault.actor == "apiserver");
  CHECK(fault.extra == sim::DurationDistribution::exponential(Duration::milliseconds(5)).value());
}

TEST_CASE("fault errors with rate and with count") {
  const auto& rate = fault_of<ErrorsFault>(one_step(
      "  - fault:\n      errors: {actor: tokens-controller, verbs: [create, update], resources: [secrets, sa], "
      "rate: 0.25, code: 503, phase: after}\n"));
  CHECK(rate.actor == "tokens-controller");
  CHECK(rate.verbs == std::vector<model::Verb>{model::Verb::kCreate, model::Verb::kUpdate});
  CHECK(rate.resources == std::vector<model::Kind>{model::Kind::kSecret, model::Kind::kServiceAccount});
  REQUIRE(rate.rate.has_value());
  CHECK(rate.rate->numerator == 25);
  CHECK(rate.rate->denominator == 100);
  CHECK_FALSE(rate.count.has_value());
  CHECK(rate.code == 503);
  CHECK(rate.phase == ErrorsFault::Phase::kAfter);
  const auto& count = fault_of<ErrorsFault>(one_step("  - fault: {errors: {actor: apiserver, count: 3}}\n"));
  CHECK(count.count == std::optional<std::int64_t>(3));
  CHECK_FALSE(count.rate.has_value());
  CHECK(count.code == 500);
  CHECK(count.phase == ErrorsFault::Phase::kBefore);
  CHECK(count.verbs.empty());
}

TEST_CASE("fault stale") {
  const auto& fault = fault_of<StaleFault>(one_step("  - fault: {stale: {actor: admission, lag: 2s}}\n"));
  CHECK(fault.actor == "admission");
  CHECK(fault.lag == Duration::seconds(2));
}

TEST_CASE("fault dropEvents") {
  const auto& fault = fault_of<DropEventsFault>(
      one_step("  - fault: {dropEvents: {actor: tokens-controller, resources: [serviceaccounts], count: 2}}\n"));
  CHECK(fault.resources == std::vector<model::Kind>{model::Kind::kServiceAccount});
  CHECK(fault.count == 2);
  CHECK(fault_of<DropEventsFault>(one_step("  - fault: {dropEvents: {actor: kubelet}}\n")).count == 1);
}

TEST_CASE("fault apiserverRestart") {
  fault_of<ApiserverRestartFault>(one_step("  - fault: {apiserverRestart: {}}\n"));
  fault_of<ApiserverRestartFault>(one_step("  - fault: {apiserverRestart:}\n"));
  CHECK(parse_error("steps:\n  - fault: {apiserverRestart: {x: 1}}\n") ==
        "s.yaml:2:31: error: apiserverRestart takes no options: write apiserverRestart: {}, got a map");
}

TEST_CASE("fault actors are checked against what each fault can strike") {
  CHECK(parse_error("steps:\n  - fault: {partition: apiserver}\n") ==
        "s.yaml:2:24: error: partition cannot strike \"apiserver\" (it can strike: \"tokens-controller\", "
        "\"serviceaccounts-controller\", \"namespace-controller\", \"root-ca-cert-publisher\", \"kubelet\", "
        "\"legacy-token-cleaner\")");
  CHECK(parse_error("steps:\n  - fault: {crash: kublet}\n") ==
        "s.yaml:2:20: error: unknown actor \"kublet\" (did you mean \"kubelet\"?)");
}

// ---------------------------------------------------------------- timeline

TEST_CASE("at may equal the earliest time and after adds to it") {
  const Scenario s = parse_ok(
      "steps:\n  - at: 10s\n    wait: 5s\n  - after: 1s\n    wait: 1s\n  - at: 17s\n    check: {exists: ns/default}\n");
  CHECK(s.steps[2].at == Duration::seconds(17));
  CHECK(parse_error("steps:\n  - at: 10s\n    wait: 5s\n  - after: 1s\n    wait: 1s\n  - at: 16s\n    wait: 1s\n") ==
        "s.yaml:6:9: error: at 16s goes back in time: the steps before this one end at 17s or later");
}

TEST_CASE("durations near the limit saturate the timeline instead of overflowing") {
  const Scenario s = parse_ok("steps:\n  - after: 2562047h\n    wait: 2562047h\n  - wait: 1s\n");
  CHECK(s.steps.size() == 2);
  CHECK_THAT(parse_error("steps:\n  - after: 2562047h\n    wait: 2562047h\n  - at: 1s\n    wait: 1s\n"),
             Catch::Contains("goes back in time"));
}

// ---------------------------------------------------------------- files and limits

TEST_CASE("a missing scenario file is a diagnostic") {
  auto parsed = parse_scenario_file("no/such/scenario.yaml");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().render() == "no/such/scenario.yaml:1:1: error: cannot read \"no/such/scenario.yaml\": no such file");
}

TEST_CASE("a directory is not a scenario") {
  auto parsed = parse_scenario_file(kTestdata);
  REQUIRE_FALSE(parsed.ok());
  CHECK_THAT(parsed.error().message, Catch::EndsWith("is a directory"));
}

TEST_CASE("a very large scenario is refused with a clear message") {
  std::string text = "name: big\ndescription: \"";
  text.append(std::size_t{17} << 20, 'x');
  text += "\"\n";
  CHECK(parse_error(text) == "s.yaml:1:1: error: file too large: 17825818 bytes (the limit is 16 MiB)");
}

TEST_CASE("the parser never throws on garbage") {
  // Every prefix of a valid scenario, and some byte soup: each must parse
  // or give a diagnostic, never crash or throw.
  const std::string valid =
      "name: x\ncluster: {version: \"1.20\"}\nsteps:\n  - create: {apiVersion: v1, kind: ServiceAccount, metadata: "
      "{name: a}}\n  - await: {all: [{exists: sa/a}, {not: {absent: sa/a}}]}\n    timeout: 1s\n";
  for (std::size_t n = 0; n <= valid.size(); ++n) {
    auto parsed = parse_scenario_text(valid.substr(0, n), "p.yaml");
    if (!parsed) CHECK_THAT(parsed.error().render(), Catch::StartsWith("p.yaml:"));
  }
  std::string soup;
  for (int i = 0; i < 512; ++i) soup += static_cast<char>((i * 37 + 11) % 128);
  CHECK_FALSE(parse_scenario_text(soup, "p.yaml").ok());
}

}  // namespace
}  // namespace sasim::scenarios
