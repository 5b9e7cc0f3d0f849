#include "model/client/informer.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace sasim::model::client {
namespace {

ObjectPtr sa(std::string name, std::uint64_t rv) {
  ServiceAccount account;
  account.metadata.namespace_ = "default";
  account.metadata.name = std::move(name);
  account.metadata.resource_version = rv;
  return std::make_shared<const Object>(Object(std::move(account)));
}

struct Recorder {
  std::vector<std::string> log;
  InformerHandlers handlers() {
    return {
        .on_add = [this](const ObjectPtr& o) { log.push_back("add " + meta(*o).name); },
        .on_update = [this](const ObjectPtr&, const ObjectPtr& o) { log.push_back("update " + meta(*o).name); },
        .on_delete = [this](const ObjectPtr& o, bool tombstone) {
          log.push_back(std::string(tombstone ? "tombstone " : "delete ") + meta(*o).name);
        },
    };
  }
};

TEST_CASE("the informer fills its cache from the list and then from watch events") {
  Informer informer(Kind::kServiceAccount, {});
  Recorder recorder;
  informer.add_handlers(recorder.handlers());
  CHECK_FALSE(informer.has_synced());
  informer.replace({sa("a", 1), sa("b", 2)}, 2, 7);
  CHECK(informer.has_synced());
  WatchEvent modified;
  modified.watch_id = 7;
  modified.type = WatchEventType::kModified;
  modified.object = sa("a", 3);
  informer.apply(modified);
  WatchEvent deleted;
  deleted.watch_id = 7;
  deleted.type = WatchEventType::kDeleted;
  deleted.object = sa("b", 4);
  informer.apply(deleted);
  CHECK(recorder.log == std::vector<std::string>{"add a", "add b", "update a", "delete b"});
  CHECK(meta(*informer.get("default", "a")).resource_version == 3);
  CHECK(informer.get("default", "b") == nullptr);
  CHECK(informer.last_resource_version() == 4);
}

TEST_CASE("events of an older watch are ignored") {
  Informer informer(Kind::kServiceAccount, {});
  informer.replace({}, 0, 7);
  WatchEvent stale;
  stale.watch_id = 6;
  stale.type = WatchEventType::kAdded;
  stale.object = sa("a", 1);
  informer.apply(stale);
  CHECK(informer.size() == 0);
}

TEST_CASE("a re-list turns what vanished meanwhile into tombstones") {
  Informer informer(Kind::kServiceAccount, {});
  Recorder recorder;
  informer.add_handlers(recorder.handlers());
  informer.replace({sa("a", 1), sa("b", 2)}, 2, 1);
  informer.watch_closed();
  recorder.log.clear();
  informer.replace({sa("b", 2), sa("c", 5)}, 5, 2);
  CHECK(recorder.log == std::vector<std::string>{"tombstone a", "update b", "add c"});
}

}  // namespace
}  // namespace sasim::model::client
