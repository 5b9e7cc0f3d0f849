// The ServiceAccount admission plugin of kube-apiserver 1.20 (R1-R10, L1-L4).
//
// On pod creation it defaults spec.serviceAccountName to `default`, rejects
// the pod if the account cannot be found (R4), mounts the account's API
// credentials (token_volume.h), copies the account's imagePullSecrets into a
// pod that has none, and enforces mountable secrets (mountable_secrets.h).
// Mirror pods are never mutated and must not reach any credentials.
//
// The entry points are coroutines because an account missing from the
// apiserver's cache is fetched live, which takes simulated time. A
// rejection is returned as the API status the client receives; nullopt
// admits. Attributes and Config are taken by value so that a caller may
// build them in place; `env` and the pods must outlive the task.
#pragma once

#include <optional>

#include "model/admission/attributes.h"
#include "model/admission/config.h"
#include "model/admission/env.h"
#include "model/api/status.h"
#include "model/objects/object.h"
#include "model/objects/pod.h"
#include "sim/task.h"

namespace sasim::model::admission {

// Handles: the operations the admission chain passes to the plugin. Create
// only in 1.20; Update too with the CVE-2023-2728 fix.
bool handles(Operation operation, const Config& config);

// Admit, the mutating half. Mutates `pod` in place (Create of `pods` only,
// not mirror pods) and ends, as upstream's does, by running validate().
// A null pod (no object, or not a Pod) is admitted untouched.
sim::Task<std::optional<ApiStatus>> mutate(Attributes attributes, Pod* pod, Env& env, Config config);

// Validate, the validating half: mirror-pod rules, the account lookup, and
// enforce-mountable-secrets; with the CVE-2023-2728 fix also Update of the
// ephemeralcontainers subresource.
sim::Task<std::optional<ApiStatus>> validate(Attributes attributes, const Pod* pod, Env& env, Config config);

// The apiserver's chain: mutate(), then validate() in the validating phase.
// As upstream, a created pod's account is therefore looked up three times;
// each cache miss costs its own live GETs. The old object is not read, by
// upstream either; it is accepted because admission attributes carry it.
sim::Task<std::optional<ApiStatus>> admit(Attributes attributes, Pod* pod, const Pod* old_pod, Env& env, Config config);
// The same for any object: one that is not a Pod is admitted untouched.
sim::Task<std::optional<ApiStatus>> admit(Attributes attributes, Object* object, const Object* old_object, Env& env,
                                          Config config);

}  // namespace sasim::model::admission
