#include "model/auth/ecdsa_p256.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include <algorithm>

#include "model/auth/openssl_handles.h"
#include "sim/check.h"

namespace sasim::model::auth {
namespace {

ossl::Ptr<BIGNUM> to_bn(const std::array<std::uint8_t, 32>& bytes) {
  return ossl::Ptr<BIGNUM>(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
}

P256Scalar from_bn(const BIGNUM* bn) {
  P256Scalar out{};
  SIM_CHECK(BN_bn2binpad(bn, out.data(), static_cast<int>(out.size())) == 32, "scalar wider than 32 bytes");
  return out;
}

struct Curve {
  ossl::Ptr<EC_GROUP> group{EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1)};
  ossl::Ptr<BN_CTX> ctx{BN_CTX_new()};
  const BIGNUM* order() const { return EC_GROUP_get0_order(group.get()); }
};

}  // namespace

P256Scalar draw_p256_nonce(sim::Prng& entropy) {
  const Curve curve;
  SIM_CHECK(curve.group && curve.ctx, "cannot set up P-256");
  for (;;) {
    P256Scalar k{};
    for (std::size_t word = 0; word < 4; ++word) {
      const std::uint64_t bits = entropy.next_u64();
      for (std::size_t i = 0; i < 8; ++i) k[word * 8 + i] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
    }
    ossl::Ptr<BIGNUM> candidate(to_bn(k));
    if (!BN_is_zero(candidate.get()) && BN_cmp(candidate.get(), curve.order()) < 0) return k;
  }
}

std::optional<P256Signature> ecdsa_p256_sign_with_nonce(const P256Scalar& private_key, const Sha256Digest& digest,
                                                        const P256Scalar& nonce) {
  const Curve curve;
  SIM_CHECK(curve.group && curve.ctx, "cannot set up P-256");
  BN_CTX* ctx = curve.ctx.get();
  const BIGNUM* n = curve.order();
  ossl::Ptr<BIGNUM> d(to_bn(private_key));
  ossl::Ptr<BIGNUM> e(to_bn(digest));  // bits2int(H(m)): the whole 256-bit hash
  ossl::Ptr<BIGNUM> k(to_bn(nonce));
  ossl::Ptr<BIGNUM> r(BN_new());
  ossl::Ptr<BIGNUM> s(BN_new());
  ossl::Ptr<BIGNUM> x(BN_new());
  ossl::Ptr<EC_POINT> point(EC_POINT_new(curve.group.get()));
  SIM_CHECK(d && e && k && r && s && x && point, "out of memory");
  SIM_CHECK(!BN_is_zero(k.get()) && BN_cmp(k.get(), n) < 0, "ECDSA nonce out of range");
  // r = (kG).x mod n
  SIM_CHECK(EC_POINT_mul(curve.group.get(), point.get(), k.get(), nullptr, nullptr, ctx) == 1 &&
                EC_POINT_get_affine_coordinates(curve.group.get(), point.get(), x.get(), nullptr, ctx) == 1 &&
                BN_nnmod(r.get(), x.get(), n, ctx) == 1,
            "ECDSA: computing r failed");
  if (BN_is_zero(r.get())) return std::nullopt;
  // s = k^-1 (e + r d) mod n
  ossl::Ptr<BIGNUM> k_inv(BN_mod_inverse(nullptr, k.get(), n, ctx));
  SIM_CHECK(k_inv && BN_mod_mul(s.get(), r.get(), d.get(), n, ctx) == 1 &&
                BN_mod_add(s.get(), s.get(), e.get(), n, ctx) == 1 &&
                BN_mod_mul(s.get(), s.get(), k_inv.get(), n, ctx) == 1,
            "ECDSA: computing s failed");
  if (BN_is_zero(s.get())) return std::nullopt;
  P256Signature out{};
  const P256Scalar r_bytes = from_bn(r.get());
  const P256Scalar s_bytes = from_bn(s.get());
  std::copy(r_bytes.begin(), r_bytes.end(), out.begin());
  std::copy(s_bytes.begin(), s_bytes.end(), out.begin() + 32);
  return out;
}

P256Signature ecdsa_p256_sign(const P256Scalar& private_key, const Sha256Digest& digest, sim::Prng& entropy) {
  for (;;) {
    if (auto signature = ecdsa_p256_sign_with_nonce(private_key, digest, draw_p256_nonce(entropy))) return *signature;
  }
}

}  // namespace sasim::model::auth
