// The status errors carry upstream's codes, reasons and messages.
#include "model/api/status.h"

#include <catch2/catch.hpp>

namespace sasim::model {
namespace {

TEST_CASE("status errors match apimachinery's constructors") {
  struct Case {
    ApiStatus status;
    int code;
    const char* reason;
    const char* message;
  };
  const Case cases[] = {
      {status_not_found("serviceaccounts", "build-robot"), 404, "NotFound", "serviceaccounts \"build-robot\" not found"},
      {status_already_exists("secrets", "s"), 409, "AlreadyExists", "secrets \"s\" already exists"},
      {status_conflict_modified("serviceaccounts", "default"), 409, "Conflict",
       "Operation cannot be fulfilled on serviceaccounts \"default\": the object has been modified; please apply "
       "your changes to the latest version and try again"},
      {status_conflict("secrets", "t", "Precondition failed: UID in precondition: 1, UID in object meta: 2"), 409,
       "Conflict", "Operation cannot be fulfilled on secrets \"t\": Precondition failed: UID in precondition: 1, UID in object meta: 2"},
      {status_forbidden("pods", "pod-test",
                        "error looking up service account foo/default: serviceaccount \"default\" not found"),
       403, "Forbidden",
       "pods \"pod-test\" is forbidden: error looking up service account foo/default: serviceaccount \"default\" not found"},
      {status_server_timeout("serviceaccounts", "create pod", 1), 500, "ServerTimeout",
       "The create pod operation against serviceaccounts could not be completed at this time, please try again."},
      {status_internal_error("boom"), 500, "InternalError", "Internal error occurred: boom"},
  };
  for (const Case& c : cases) {
    INFO(c.message);
    CHECK(c.status.code == c.code);
    CHECK(c.status.reason == c.reason);
    CHECK(c.status.message == c.message);
  }
}

TEST_CASE("creating in a terminating namespace carries the NamespaceTerminating cause") {
  ApiStatus s = status_namespace_terminating("secrets", "default-token-abcde", "examplens");
  CHECK(s.code == 403);
  CHECK(s.message ==
        "secrets \"default-token-abcde\" is forbidden: unable to create new content in namespace examplens because it "
        "is being terminated");
  CHECK(s.has_cause(kCauseNamespaceTerminating));
  CHECK_FALSE(status_forbidden("secrets", "x", "no").has_cause(kCauseNamespaceTerminating));
}

TEST_CASE("invalid aggregates field errors as upstream prints them") {
  ApiStatus one = status_invalid("Secret", "s",
                                 {field_required("metadata.annotations[kubernetes.io/service-account.name]")});
  CHECK(one.code == 422);
  CHECK(one.message == "Secret \"s\" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value");
  REQUIRE(one.details.causes.size() == 1);
  CHECK(one.details.causes[0].message == "Required value");
  CHECK(one.details.causes[0].field == "metadata.annotations[kubernetes.io/service-account.name]");

  ApiStatus two = status_invalid("Secret", "s",
                                 {field_invalid("type", "Opaque", "field is immutable"), field_required("data")});
  CHECK(two.message == "Secret \"s\" is invalid: [type: Invalid value: \"Opaque\": field is immutable, data: Required value]");
}

TEST_CASE("every field error type prints upstream's wording") {
  FieldError not_found{"FieldValueNotFound", "spec.containers[0].volumeMounts[0].name", "x", "", true};
  CHECK(not_found.message() == "spec.containers[0].volumeMounts[0].name: Not found: \"x\"");
  FieldError too_long{"FieldValueTooLong", "metadata.name", "", "must have at most 253 bytes", false};
  CHECK(too_long.message() == "metadata.name: Too long: must have at most 253 bytes");
  CHECK(field_forbidden("spec", "pod updates may not change fields").message() ==
        "spec: Forbidden: pod updates may not change fields");
}

}  // namespace
}  // namespace sasim::model
