// Env: what the admission plugin sees of the apiserver it runs in.
//
// The plugin reads through the apiserver's informer caches, which lag the
// store, and falls back to live GETs, which take simulated time. Both are
// behind this interface so that the apiserver actor supplies the real ones
// and tests supply fakes that answer at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/api/status.h"
#include "model/coverage/probes.h"
#include "model/objects/secret.h"
#include "model/objects/service_account.h"
#include "sim/prng.h"
#include "sim/result.h"
#include "sim/task.h"
#include "sim/time.h"

namespace sasim::model::admission {

// A live GET's outcome: the account, nullopt for NotFound, or another error.
using LiveGetResult = sim::Result<std::optional<ServiceAccount>, ApiStatus>;

class Env {
 public:
  virtual ~Env() = default;

  // The ServiceAccount lister: the cached account, or null if the cache has
  // none. The pointer is not kept across a suspension.
  virtual const ServiceAccount* cached_service_account(const std::string& ns, const std::string& name) = 0;
  // The Secret lister: the namespace's cached Secrets in name order.
  virtual std::vector<const Secret*> cached_secrets(const std::string& ns) = 0;
  // A GET through the apiserver. The plugin awaits it at once, so the
  // arguments outlive the task.
  virtual sim::Task<LiveGetResult> live_get_service_account(const std::string& ns, const std::string& name) = 0;
  virtual sim::Task<void> sleep(sim::Duration duration) = 0;
  // The apiserver's stream: the lookup's retry interval and generated names.
  virtual sim::Prng& prng() = 0;
  // Marks a rule's path as taken (model/coverage/probes.h) in the world's
  // coverage; test fakes count nothing.
  virtual void probe(coverage::Probe /*probe*/) {}

  // SimpleNameGenerator.GenerateName(base) (upstream's plugin has the same
  // hook): base cut to 58 bytes plus 5 random characters from prng().
  // Tests override it, as upstream's do, to get predictable names.
  virtual std::string generate_name(std::string_view base);
};

}  // namespace sasim::model::admission
