#include "model/auth/ecdsa_p256.h"

#include <catch2/catch.hpp>
#include <string>

#include "model/auth/signing_key.h"
#include "model/auth/test_keys.h"

namespace sasim::model::auth {
namespace ecdsa_p256_test {

template <std::size_t N>
std::array<std::uint8_t, N> from_hex(std::string_view hex) {
  REQUIRE(hex.size() == 2 * N);
  std::array<std::uint8_t, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(2 * i, 2)), nullptr, 16));
  return out;
}

// RFC 6979 appendix A.2.5, P-256 with SHA-256.
constexpr std::string_view kPrivateKey = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";

struct Vector {
  std::string_view message;
  std::string_view h1;  // SHA-256 of the message
  std::string_view k;
  std::string_view r;
  std::string_view s;
};

constexpr Vector kVectors[] = {
    {"sample", "AF2BDBE1AA9B6EC1E2ADE1D694F41FC71A831D0268E9891562113D8A62ADD1BF",
     "A6E3C57DD01ABE90086538398355DD4C3B17AA873382B0F24D6129493D8AAD60",
     "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
     "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"},
    {"test", "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
     "D16B6AE827F17175E040871A1C7EC3500192C4C92677336EC2537ACAEE0008E0",
     "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
     "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083"},
};

// The RFC's vectors fix the nonce, so they check the arithmetic of a
// signature independently of where nonces come from.
TEST_CASE("P-256 signatures with the nonces of RFC 6979 A.2.5 are the RFC's", "[ecdsa]") {
  for (const Vector& v : kVectors) {
    INFO(v.message);
    const auto sig = ecdsa_p256_sign_with_nonce(from_hex<32>(kPrivateKey), from_hex<32>(v.h1), from_hex<32>(v.k));
    REQUIRE(sig.has_value());
    CHECK(*sig == from_hex<64>(std::string(v.r) + std::string(v.s)));
  }
}

TEST_CASE("ES256 signatures from a signing key verify and their halves are left-padded to 32 bytes", "[ecdsa]") {
  const auto key = SigningKey::from_pem(testing::kRfc6979KeyPem);
  REQUIRE(key.ok());
  REQUIRE(key.value().algorithm() == "ES256");
  sim::Prng entropy(7);
  int short_halves = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string sig = key.value().sign("test", entropy);
    REQUIRE(sig.size() == 64);
    CHECK(key.value().public_key().verify("ES256", "test", sig));
    // About 1 in 128 halves is below 2^248, so its first byte is a zero pad.
    if (sig[0] == '\0' || sig[32] == '\0') ++short_halves;
  }
  CHECK(short_halves > 0);
}

// go-jose signs with ecdsa.Sign(rand.Reader, ...): a token signed again is a
// new token. Here the randomness is a seeded stream: new per signing,
// the same again with the same seed.
TEST_CASE("ES256 signatures differ per signing and repeat with the seed of their entropy", "[ecdsa]") {
  const auto key = SigningKey::from_pem(testing::kOtherEcKeyPem);
  REQUIRE(key.ok());
  CHECK(key.value().randomized());
  sim::Prng entropy(1);
  const std::string a = key.value().sign("a", entropy);
  const std::string again = key.value().sign("a", entropy);
  CHECK(again != a);
  CHECK(key.value().public_key().verify("ES256", "a", a));
  CHECK(key.value().public_key().verify("ES256", "a", again));
  sim::Prng replay(1);
  CHECK(key.value().sign("a", replay) == a);
  CHECK(key.value().sign("a", replay) == again);
}

TEST_CASE("ECDSA nonces are below the group order and drawn from the stream alone", "[ecdsa]") {
  sim::Prng a(3);
  sim::Prng b(3);
  for (int i = 0; i < 50; ++i) {
    const P256Scalar k = draw_p256_nonce(a);
    CHECK(k == draw_p256_nonce(b));
    CHECK(k != P256Scalar{});
    // n = FFFFFFFF 00000000 FFFFFFFF FFFFFFFF BCE6FAAD ...: a nonce never
    // starts with 0xFFFFFFFF01 or above.
    CHECK_FALSE((k[0] == 0xff && k[1] == 0xff && k[2] == 0xff && k[3] == 0xff && k[4] != 0x00));
  }
}

}  // namespace ecdsa_p256_test
}  // namespace sasim::model::auth
