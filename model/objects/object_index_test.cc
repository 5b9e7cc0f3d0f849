// ObjectIndex: keys that view the held object stay right across
// replacement and erasure, and the order is ObjectKey's.
#include "model/objects/object_index.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace sasim::model {
namespace {

ObjectPtr account(std::string ns, std::string name, std::uint64_t rv) {
  ServiceAccount sa;
  sa.metadata.namespace_ = std::move(ns);
  sa.metadata.name = std::move(name);
  sa.metadata.resource_version = rv;
  return std::make_shared<const Object>(std::move(sa));
}

TEST_CASE("ObjectIndex finds an object put under its own key") {
  ObjectIndex index;
  CHECK(index.put(account("ns-a", "a-long-name-beyond-the-short-string-buffer", 1)) == nullptr);
  CHECK(index.contains("ns-a", "a-long-name-beyond-the-short-string-buffer"));
  CHECK_FALSE(index.contains("ns-b", "a-long-name-beyond-the-short-string-buffer"));
  CHECK(index.find("ns-a", "missing") == nullptr);
  CHECK(index.size() == 1);
}

TEST_CASE("ObjectIndex re-points a replaced entry's key at the new object") {
  ObjectIndex index;
  index.put(account("ns-a", "a-long-name-beyond-the-short-string-buffer", 1));
  ObjectPtr newer = account("ns-a", "a-long-name-beyond-the-short-string-buffer", 2);
  ObjectPtr old = index.put(newer);
  REQUIRE(old != nullptr);
  CHECK(meta(*old).resource_version == 1);
  // The old version is gone for good: the key must not view its strings.
  old.reset();
  CHECK(index.find("ns-a", "a-long-name-beyond-the-short-string-buffer") == newer);
  const auto it = index.begin();
  REQUIRE(it != index.end());
  CHECK(it->first.name.data() == meta(*newer).name.data());
  CHECK(index.size() == 1);
}

TEST_CASE("ObjectIndex erases an entry and returns its object") {
  ObjectIndex index;
  index.put(account("ns-a", "x", 1));
  ObjectPtr removed = index.erase("ns-a", "x");
  REQUIRE(removed != nullptr);
  CHECK(meta(*removed).name == "x");
  CHECK(index.empty());
  CHECK(index.erase("ns-a", "x") == nullptr);
}

TEST_CASE("ObjectIndex keeps ObjectKey's order and lists a namespace's entries together") {
  ObjectIndex index;
  const std::vector<std::pair<std::string, std::string>> keys = {
      {"ns-b", "a"}, {"ns-a", "z"}, {"ns-a", "b"}, {"ns", "zz"}, {"ns-a", "\xff"}, {"ns-a", "B"}};
  for (const auto& [ns, name] : keys) index.put(account(ns, name, 1));
  std::vector<ObjectKey> seen;
  for (const auto& [key, object] : index) seen.push_back(key_of(*object));
  std::vector<ObjectKey> sorted;
  for (const auto& [ns, name] : keys) sorted.push_back(ObjectKey{ns, name});
  std::sort(sorted.begin(), sorted.end());
  CHECK(seen == sorted);
  std::vector<std::string> in_ns_a;
  for (auto it = index.namespace_begin("ns-a"); it != index.end() && it->first.namespace_ == "ns-a"; ++it) {
    in_ns_a.emplace_back(it->first.name);
  }
  CHECK(in_ns_a == std::vector<std::string>{"B", "b", "z", "\xff"});
}

}  // namespace
}  // namespace sasim::model
