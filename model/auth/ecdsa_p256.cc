#include "model/auth/ecdsa_p256.h"

#include <openssl/hmac.h>
#include <openssl/obj_mac.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>

#include "model/auth/openssl_handles.h"
#include "sim/check.h"

namespace sasim::model::auth {
namespace {

using Block = std::array<std::uint8_t, 32>;

Block hmac_sha256(const Block& key, const std::string& message) {
  Block out{};
  unsigned int len = 0;
  const unsigned char* ok = HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                                 reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                 out.data(), &len);
  SIM_CHECK(ok != nullptr && len == out.size(), "HMAC-SHA256 failed");
  return out;
}

std::string concat(const Block& v, std::initializer_list<std::string_view> rest) {
  std::string s(reinterpret_cast<const char*>(v.data()), v.size());
  for (std::string_view part : rest) s.append(part);
  return s;
}

std::string_view view(const std::array<std::uint8_t, 32>& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

ossl::Ptr<BIGNUM> to_bn(const std::array<std::uint8_t, 32>& bytes) {
  return ossl::Ptr<BIGNUM>(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
}

P256Scalar from_bn(const BIGNUM* bn) {
  P256Scalar out{};
  SIM_CHECK(BN_bn2binpad(bn, out.data(), static_cast<int>(out.size())) == 32, "scalar wider than 32 bytes");
  return out;
}

// The HMAC-DRBG of RFC 6979 section 3.2 for qlen = hlen = 256 (P-256 with
// SHA-256), where bits2int is the identity on 32-byte strings and
// bits2octets(h1) is h1 mod q.
class NonceGenerator {
 public:
  NonceGenerator(const P256Scalar& x, const Sha256Digest& h1, const BIGNUM* order) : order_(order) {
    ossl::Ptr<BIGNUM> h(to_bn(h1));
    ossl::Ptr<BN_CTX> ctx(BN_CTX_new());
    SIM_CHECK(h && ctx && BN_nnmod(h.get(), h.get(), order, ctx.get()) == 1, "h1 mod q failed");
    const P256Scalar h1_reduced = from_bn(h.get());
    v_.fill(0x01);
    k_.fill(0x00);
    k_ = hmac_sha256(k_, concat(v_, {std::string_view("\x00", 1), view(x), view(h1_reduced)}));
    v_ = hmac_sha256(k_, concat(v_, {}));
    k_ = hmac_sha256(k_, concat(v_, {std::string_view("\x01", 1), view(x), view(h1_reduced)}));
    v_ = hmac_sha256(k_, concat(v_, {}));
  }

  // Step h: the next candidate in [1, q-1].
  P256Scalar next() {
    for (;;) {
      if (drawn_) {
        k_ = hmac_sha256(k_, concat(v_, {std::string_view("\x00", 1)}));
        v_ = hmac_sha256(k_, concat(v_, {}));
      }
      drawn_ = true;
      v_ = hmac_sha256(k_, concat(v_, {}));
      ossl::Ptr<BIGNUM> k(to_bn(v_));
      if (!BN_is_zero(k.get()) && BN_cmp(k.get(), order_) < 0) return v_;
    }
  }

 private:
  const BIGNUM* order_;
  Block k_{};
  Block v_{};
  bool drawn_ = false;
};

struct Curve {
  ossl::Ptr<EC_GROUP> group{EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1)};
  ossl::Ptr<BN_CTX> ctx{BN_CTX_new()};
  const BIGNUM* order() const { return EC_GROUP_get0_order(group.get()); }
};

}  // namespace

P256Scalar rfc6979_nonce(const P256Scalar& private_key, const Sha256Digest& digest) {
  const Curve curve;
  SIM_CHECK(curve.group && curve.ctx, "cannot set up P-256");
  return NonceGenerator(private_key, digest, curve.order()).next();
}

P256Signature ecdsa_p256_sign(const P256Scalar& private_key, const Sha256Digest& digest) {
  const Curve curve;
  SIM_CHECK(curve.group && curve.ctx, "cannot set up P-256");
  BN_CTX* ctx = curve.ctx.get();
  const BIGNUM* n = curve.order();
  ossl::Ptr<BIGNUM> d(to_bn(private_key));
  ossl::Ptr<BIGNUM> e(to_bn(digest));  // bits2int(H(m)): the whole 256-bit hash
  ossl::Ptr<BIGNUM> r(BN_new());
  ossl::Ptr<BIGNUM> s(BN_new());
  ossl::Ptr<BIGNUM> x(BN_new());
  ossl::Ptr<EC_POINT> point(EC_POINT_new(curve.group.get()));
  SIM_CHECK(d && e && r && s && x && point, "out of memory");

  NonceGenerator nonces(private_key, digest, n);
  for (;;) {
    ossl::Ptr<BIGNUM> k(to_bn(nonces.next()));
    // r = (kG).x mod n
    SIM_CHECK(EC_POINT_mul(curve.group.get(), point.get(), k.get(), nullptr, nullptr, ctx) == 1 &&
                  EC_POINT_get_affine_coordinates(curve.group.get(), point.get(), x.get(), nullptr, ctx) == 1 &&
                  BN_nnmod(r.get(), x.get(), n, ctx) == 1,
              "ECDSA: computing r failed");
    if (BN_is_zero(r.get())) continue;
    // s = k^-1 (e + r d) mod n
    ossl::Ptr<BIGNUM> k_inv(BN_mod_inverse(nullptr, k.get(), n, ctx));
    SIM_CHECK(k_inv && BN_mod_mul(s.get(), r.get(), d.get(), n, ctx) == 1 &&
                  BN_mod_add(s.get(), s.get(), e.get(), n, ctx) == 1 &&
                  BN_mod_mul(s.get(), s.get(), k_inv.get(), n, ctx) == 1,
              "ECDSA: computing s failed");
    if (BN_is_zero(s.get())) continue;
    P256Signature out{};
    const P256Scalar r_bytes = from_bn(r.get());
    const P256Scalar s_bytes = from_bn(s.get());
    std::copy(r_bytes.begin(), r_bytes.end(), out.begin());
    std::copy(s_bytes.begin(), s_bytes.end(), out.begin() + 32);
    return out;
  }
}

}  // namespace sasim::model::auth
