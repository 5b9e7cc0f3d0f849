// ObjectMeta, Namespace, ServiceAccount and Secret validation: every rule with
// upstream's exact text. `upstream_text` renders a FieldError as field.Error's
// Error() does, so these tests do not depend on model/api's printer.
#include "model/objects/validation.h"

#include <catch2/catch.hpp>

#include "model/objects/constants.h"
#include "model/objects/validation_test_support.h"

namespace sasim::model {
namespace {

const std::string kLabelMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end "
    "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const std::string kSubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and "
    "end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const std::string kConfigKeyMsg =
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  "
    "or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const std::string kQualifiedMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
    "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

Namespace ns_named(std::string name) {
  Namespace ns;
  ns.metadata.name = std::move(name);
  return ns;
}

ServiceAccount sa_named(std::string name, std::string ns = "default") {
  ServiceAccount sa;
  sa.metadata.name = std::move(name);
  sa.metadata.namespace_ = std::move(ns);
  return sa;
}

Secret secret_named(std::string name) {
  Secret s;
  s.metadata.name = std::move(name);
  s.metadata.namespace_ = "default";
  return s;
}

TEST_CASE("names follow each kind's rule") {
  struct Case {
    const char* name;
    Object object;
    std::vector<std::string> expected;
  };
  const std::string long_label(64, 'a');
  const std::string long_subdomain(254, 'a');
  const Case cases[] = {
      {"namespace ok", ns_named("examplens"), {}},
      {"namespace upper case", ns_named("Bad_Name"), {"metadata.name: Invalid value: \"Bad_Name\": " + kLabelMsg}},
      {"namespace with a dot", ns_named("a.b"), {"metadata.name: Invalid value: \"a.b\": " + kLabelMsg}},
      {"namespace too long", ns_named(long_label),
       {"metadata.name: Invalid value: \"" + long_label + "\": must be no more than 63 characters"}},
      {"namespace without a name", ns_named(""), {"metadata.name: Required value: name or generateName is required"}},
      {"service account dotted", sa_named("build.robot"), {}},
      {"service account upper case", sa_named("Build-Robot"),
       {"metadata.name: Invalid value: \"Build-Robot\": " + kSubdomainMsg}},
      {"service account ends with a dash", sa_named("robot-"),
       {"metadata.name: Invalid value: \"robot-\": " + kSubdomainMsg}},
      {"service account without namespace", sa_named("robot", ""), {"metadata.namespace: Required value"}},
      {"service account in a bad namespace", sa_named("robot", "Ns"),
       {"metadata.namespace: Invalid value: \"Ns\": " + kLabelMsg}},
      {"secret too long", secret_named(long_subdomain),
       {"metadata.name: Invalid value: \"" + long_subdomain + "\": must be no more than 253 characters"}},
      {"secret without a name", secret_named(""), {"metadata.name: Required value: name or generateName is required"}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(texts(validate_create(c.object)) == c.expected);
  }
}

TEST_CASE("generateName is checked as a prefix") {
  ServiceAccount sa = sa_named("build-robot-x7k2p");
  sa.metadata.generate_name = "build-robot-";
  CHECK(validate_service_account(sa).empty());
  sa.metadata.generate_name = "Build-";
  CHECK(texts(validate_service_account(sa)) ==
        std::vector<std::string>{"metadata.generateName: Invalid value: \"Build-\": " + kSubdomainMsg});
}

TEST_CASE("a cluster-scoped object may not have a namespace") {
  Namespace ns = ns_named("examplens");
  ns.metadata.namespace_ = "default";
  CHECK(texts(validate_namespace(ns)) == std::vector<std::string>{"metadata.namespace: Forbidden: not allowed on this type"});
}

TEST_CASE("labels annotations and finalizers are checked") {
  ServiceAccount sa = sa_named("robot");
  sa.metadata.labels = {{"app", "ok"}, {"bad key", "x"}, {"tier", "-bad"}};
  sa.metadata.annotations = {{"example.com/ok", "anything at all"}, {"/empty-prefix", ""}};
  sa.metadata.finalizers = {"example.com/hold", "custom"};
  CHECK(texts(validate_service_account(sa)) ==
        std::vector<std::string>{
            "metadata.labels: Invalid value: \"bad key\": name part " + kQualifiedMsg,
            "metadata.labels: Invalid value: \"-bad\": a valid label must be an empty string or consist of "
            "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
            "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
            "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            "metadata.annotations: Invalid value: \"/empty-prefix\": prefix part must be non-empty",
            "metadata.finalizers[1]: Invalid value: \"custom\": name is neither a standard finalizer name nor is it "
            "fully qualified",
        });

  sa.metadata.labels.clear();
  sa.metadata.annotations = {{"big", std::string(256 * 1024, 'x')}};
  sa.metadata.finalizers = {"orphan", "foregroundDeletion"};
  CHECK(texts(validate_service_account(sa)) ==
        std::vector<std::string>{
            "metadata.annotations: Too long: must have at most 262144 bytes",
            "metadata.finalizers: Invalid value: \"[]string{\"orphan\", \"foregroundDeletion\"}\": finalizer orphan "
            "and foregroundDeletion cannot be both set",
        });
}

TEST_CASE("a namespace's spec finalizers must be standard or qualified") {
  Namespace ns = ns_named("examplens");
  ns.spec_finalizers = {std::string(kNamespaceFinalizerKubernetes), "example.com/x", "mine"};
  CHECK(texts(validate_namespace(ns)) ==
        std::vector<std::string>{"spec.finalizers: Invalid value: \"mine\": name is neither a standard finalizer name "
                                 "nor is it fully qualified"});
}

TEST_CASE("secrets follow upstream's rules") {
  struct Case {
    const char* name;
    Secret secret;
    std::vector<std::string> expected;
  };
  Secret token = secret_named("build-robot-secret");
  token.type = std::string(kSecretTypeServiceAccountToken);
  Secret named_token = token;
  named_token.metadata.annotations[std::string(kServiceAccountNameKey)] = "build-robot";
  Secret empty_name_token = token;
  empty_name_token.metadata.annotations[std::string(kServiceAccountNameKey)] = "";
  Secret bad_keys = secret_named("s");
  bad_keys.data = {{"a b", "x"}, {"..", "y"}, {"..x", "z"}, {".ok_KEY-1", "w"}};
  Secret big = secret_named("s");
  big.data = {{"a", std::string(512 * 1024, 'a')}, {"b", std::string(512 * 1024 + 1, 'b')}};
  Secret limit = secret_named("s");
  limit.data = {{"a", std::string(1024 * 1024, 'a')}};
  const Case cases[] = {
      {"opaque", secret_named("s"), {}},
      {"token without the account annotation", token,
       {"metadata.annotations[kubernetes.io/service-account.name]: Required value"}},
      {"token with an empty account annotation", empty_name_token,
       {"metadata.annotations[kubernetes.io/service-account.name]: Required value"}},
      {"token with the account annotation", named_token, {}},
      {"bad data keys", bad_keys,
       {"data[..]: Invalid value: \"..\": must not be '..'", "data[..x]: Invalid value: \"..x\": must not start with '..'",
        "data[a b]: Invalid value: \"a b\": " + kConfigKeyMsg}},
      {"over one MiB", big, {"data: Too long: must have at most 1048576 bytes"}},
      {"exactly one MiB", limit, {}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(texts(validate_secret(c.secret)) == c.expected);
  }
}

TEST_CASE("a secret's type is immutable and an immutable secret keeps its data") {
  Secret old = secret_named("s");
  old.type = std::string(kSecretTypeServiceAccountToken);
  old.metadata.annotations[std::string(kServiceAccountNameKey)] = "default";
  Secret updated = old;
  updated.type = "Opaque";
  CHECK(texts(validate_secret_update(updated, old)) ==
        std::vector<std::string>{"type: Invalid value: \"Opaque\": field is immutable"});

  Secret frozen = secret_named("s");
  frozen.immutable = true;
  frozen.data = {{"k", "v"}};
  Secret changed = frozen;
  changed.data["k"] = "w";
  CHECK(texts(validate_secret_update(changed, frozen)) ==
        std::vector<std::string>{"data: Forbidden: field is immutable when `immutable` is set"});
  Secret thawed = frozen;
  thawed.immutable = false;
  CHECK(texts(validate_secret_update(thawed, frozen)) ==
        std::vector<std::string>{"immutable: Forbidden: field is immutable when `immutable` is set"});
  Secret relabelled = frozen;
  relabelled.metadata.labels = {{"a", "b"}};
  CHECK(validate_secret_update(relabelled, frozen).empty());
  Secret mutable_old = secret_named("s");
  Secret mutable_new = mutable_old;
  mutable_new.data = {{"k", "v"}};
  CHECK(validate_secret_update(mutable_new, mutable_old).empty());
}

TEST_CASE("metadata updates keep name and namespace and add no finalizer while deleting") {
  ServiceAccount old = sa_named("robot");
  old.metadata.finalizers = {"example.com/a"};
  ServiceAccount renamed = old;
  renamed.metadata.name = "other";
  renamed.metadata.namespace_ = "kube-system";
  CHECK(texts(validate_service_account_update(renamed, old)) ==
        std::vector<std::string>{"metadata.name: Invalid value: \"other\": field is immutable",
                                 "metadata.namespace: Invalid value: \"kube-system\": field is immutable"});

  old.metadata.deletion_timestamp = sim::Time::zero();
  ServiceAccount more = old;
  more.metadata.finalizers = {"example.com/a", "example.com/c", "example.com/b"};
  CHECK(texts(validate_service_account_update(more, old)) ==
        std::vector<std::string>{"metadata.finalizers: Forbidden: no new finalizers can be added if the object is "
                                 "being deleted, found new finalizers []string{\"example.com/b\", \"example.com/c\"}"});
  ServiceAccount fewer = old;
  fewer.metadata.finalizers.clear();
  CHECK(validate_service_account_update(fewer, old).empty());
}

TEST_CASE("namespace updates check metadata only") {
  Namespace old = ns_named("examplens");
  Namespace updated = old;
  updated.spec_finalizers = {"kubernetes"};
  updated.metadata.labels = {{"a", "b"}};
  CHECK(validate_update(updated, old).empty());
  updated.metadata.name = "other";
  CHECK(texts(validate_update(updated, old)) ==
        std::vector<std::string>{"metadata.name: Invalid value: \"other\": field is immutable"});
}

TEST_CASE("field errors carry upstream's types for status causes") {
  Secret s = secret_named("s");
  s.type = std::string(kSecretTypeServiceAccountToken);
  const std::vector<FieldError> errs = validate_secret(s);
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].type == "FieldValueRequired");
  CHECK(errs[0].field == "metadata.annotations[kubernetes.io/service-account.name]");
  CHECK_FALSE(errs[0].show_value);
}

}  // namespace
}  // namespace sasim::model
