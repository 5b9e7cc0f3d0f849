#include "api/protobuf.h"

#include <fmt/format.h>

#include <cstdint>
#include <functional>

#include "model/objects/base64.h"

namespace sasim::api {
namespace {

using nlohmann::json;

struct Failure {
  ProtobufError error;
};

[[noreturn]] void fail(std::string message) { throw Failure{ProtobufError{std::move(message), false}}; }

// One message's fields, in order: (number, wire type, value). A varint
// value is in `number_value`; a length-delimited one in `bytes`.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  bool next() {
    if (pos_ >= data_.size()) return false;
    const std::uint64_t key = varint();
    field = static_cast<std::uint32_t>(key >> 3);
    wire = static_cast<int>(key & 7);
    switch (wire) {
      case 0: number_value = varint(); break;
      case 1: skip(8); break;
      case 2: {
        const std::uint64_t length = varint();
        if (length > data_.size() - pos_) fail("truncated length-delimited field");
        bytes = data_.substr(pos_, static_cast<std::size_t>(length));
        pos_ += static_cast<std::size_t>(length);
        break;
      }
      case 5: skip(4); break;
      default: fail(fmt::format("unsupported wire type {}", wire));
    }
    return true;
  }

  std::string text() const {
    expect(2);
    return std::string(bytes);
  }
  bool flag() const {
    expect(0);
    return number_value != 0;
  }
  void expect(int type) const {
    if (wire != type) fail(fmt::format("field {} has wire type {}, expected {}", field, wire, type));
  }

  std::uint32_t field = 0;
  int wire = 0;
  std::uint64_t number_value = 0;
  std::string_view bytes;

 private:
  std::uint64_t varint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) fail("truncated varint");
      const auto byte = static_cast<unsigned char>(data_[pos_++]);
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    fail("varint too long");
  }
  void skip(std::size_t n) {
    if (n > data_.size() - pos_) fail("truncated fixed-width field");
    pos_ += n;
  }

  std::string_view data_;
  std::size_t pos_ = 0;
};

void put(json& out, const char* key, std::string value) {
  if (!value.empty()) out[key] = std::move(value);
}

// A map<string, V> entry: key 1, value 2.
std::pair<std::string, std::string> map_entry(std::string_view entry) {
  Reader r(entry);
  std::pair<std::string, std::string> out;
  while (r.next()) {
    if (r.field == 1) out.first = r.text();
    else if (r.field == 2) out.second = r.text();
  }
  return out;
}

json object_meta(std::string_view data) {
  json meta = json::object();
  Reader r(data);
  while (r.next()) {
    switch (r.field) {
      case 1: put(meta, "name", r.text()); break;
      case 2: put(meta, "generateName", r.text()); break;
      case 3: put(meta, "namespace", r.text()); break;
      case 5: put(meta, "uid", r.text()); break;
      case 6: put(meta, "resourceVersion", r.text()); break;
      case 11:
      case 12: {
        r.expect(2);
        auto [key, value] = map_entry(r.bytes);
        meta[r.field == 11 ? "labels" : "annotations"][key] = value;
        break;
      }
      case 14: meta["finalizers"].push_back(r.text()); break;
      default: break;  // selfLink, generation, timestamps, owners, managedFields: set by the server
    }
  }
  return meta;
}

json namespace_object(Reader& r, json out) {
  while (r.next()) {
    if (r.field == 1) {
      r.expect(2);
      out["metadata"] = object_meta(r.bytes);
    } else if (r.field == 2) {
      r.expect(2);
      Reader spec(r.bytes);
      json finalizers = json::array();
      while (spec.next()) {
        if (spec.field == 1) finalizers.push_back(spec.text());
      }
      if (!finalizers.empty()) out["spec"]["finalizers"] = finalizers;
    }
  }
  return out;
}

json service_account(Reader& r, json out) {
  static const char* kReferenceFields[] = {"", "kind", "namespace", "name", "uid", "apiVersion", "resourceVersion",
                                           "fieldPath"};
  while (r.next()) {
    switch (r.field) {
      case 1:
        r.expect(2);
        out["metadata"] = object_meta(r.bytes);
        break;
      case 2: {
        r.expect(2);
        Reader ref(r.bytes);
        json reference = json::object();
        while (ref.next()) {
          if (ref.field >= 1 && ref.field <= 7) put(reference, kReferenceFields[ref.field], ref.text());
        }
        out["secrets"].push_back(reference);
        break;
      }
      case 3: {
        r.expect(2);
        Reader ref(r.bytes);
        json reference = json::object();
        while (ref.next()) {
          if (ref.field == 1) put(reference, "name", ref.text());
        }
        out["imagePullSecrets"].push_back(reference);
        break;
      }
      case 4: out["automountServiceAccountToken"] = r.flag(); break;
      default: break;
    }
  }
  return out;
}

json secret(Reader& r, json out) {
  while (r.next()) {
    switch (r.field) {
      case 1:
        r.expect(2);
        out["metadata"] = object_meta(r.bytes);
        break;
      case 2: {
        r.expect(2);
        auto [key, value] = map_entry(r.bytes);
        out["data"][key] = model::base64_encode(value);
        break;
      }
      case 3: put(out, "type", r.text()); break;
      case 4: {
        r.expect(2);
        auto [key, value] = map_entry(r.bytes);
        out["stringData"][key] = value;
        break;
      }
      case 5: out["immutable"] = r.flag(); break;
      default: break;
    }
  }
  return out;
}

}  // namespace

sim::Result<json, ProtobufError> protobuf_manifest(std::string_view body) {
  if (!body.starts_with(kProtobufMagic)) {
    return sim::unexpected(ProtobufError{"provided data does not appear to be a protobuf message, expected prefix "
                                         "[107 56 115 0]",
                                         false});
  }
  try {
    Reader envelope(body.substr(kProtobufMagic.size()));
    std::string api_version, kind;
    std::string_view raw;
    while (envelope.next()) {
      if (envelope.field == 1) {
        envelope.expect(2);
        Reader type_meta(envelope.bytes);
        while (type_meta.next()) {
          if (type_meta.field == 1) api_version = type_meta.text();
          else if (type_meta.field == 2) kind = type_meta.text();
        }
      } else if (envelope.field == 2) {
        envelope.expect(2);
        raw = envelope.bytes;
      }
    }
    json out{{"apiVersion", api_version}, {"kind", kind}};
    Reader object(raw);
    if (api_version == "v1" && kind == "Namespace") return namespace_object(object, std::move(out));
    if (api_version == "v1" && kind == "ServiceAccount") return service_account(object, std::move(out));
    if (api_version == "v1" && kind == "Secret") return secret(object, std::move(out));
    return sim::unexpected(ProtobufError{fmt::format("{} {} in protobuf is not read by sasim serve", api_version, kind), true});
  } catch (const Failure& failure) {
    return sim::unexpected(failure.error);
  }
}

}  // namespace sasim::api
