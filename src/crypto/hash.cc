#include "crypto/hash.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <utility>

namespace markaz::crypto {
namespace {

// sodium_init() must run before any other libsodium call. It is itself idempotent and
// thread-safe since 1.0.11, but a function-local static makes the "once" explicit and keeps
// the cost to one atomic load per call. Failure means the OS cannot give us entropy: nothing
// in markaz can work safely then, so this is the one place that aborts rather than returns.
void EnsureInit() {
  static const bool initialised = [] {
    if (sodium_init() < 0) {
      std::fputs("markaz: libsodium failed to initialise\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)initialised;
}

const unsigned char* Bytes(std::string_view s) {
  // libsodium takes unsigned char*; char and unsigned char may alias each other.
  return reinterpret_cast<const unsigned char*>(s.data());
}

int HexValue(char c) {
  // Only lower-case digits are accepted, so every byte string has exactly one hex spelling
  // (tokens and audit hashes are compared as text elsewhere).
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

Digest32 Blake2b256(std::string_view data) {
  EnsureInit();
  Digest32 out;
  crypto_generichash(out.data(), out.size(), Bytes(data), data.size(), nullptr, 0);
  return out;
}

Digest32 Sha256(std::string_view data) {
  EnsureInit();
  static_assert(crypto_hash_sha256_BYTES == sizeof(Digest32));
  Digest32 out;
  crypto_hash_sha256(out.data(), Bytes(data), data.size());
  return out;
}

Digest32 HmacSha256(std::string_view key, std::string_view data) {
  EnsureInit();
  static_assert(crypto_auth_hmacsha256_BYTES == sizeof(Digest32));
  // The one-shot crypto_auth_hmacsha256() requires a 32-byte key; the init/update/final form
  // accepts any length (keys longer than the block are hashed first, as RFC 2104 says), which
  // webhook secrets chosen by members need.
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, Bytes(key), key.size());
  crypto_auth_hmacsha256_update(&state, Bytes(data), data.size());
  Digest32 out;
  crypto_auth_hmacsha256_final(&state, out.data());
  sodium_memzero(&state, sizeof(state));
  return out;
}

bool ConstantTimeEqual(const Digest32& a, const Digest32& b) {
  EnsureInit();
  return crypto_verify_32(a.data(), b.data()) == 0;
}

std::string RandomBytes(std::size_t n) {
  EnsureInit();
  std::string out(n, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

std::string ToHex(const Digest32& digest) {
  return ToHex(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

bool FromHex(std::string_view hex, std::string* bytes) {
  if (hex.size() % 2 != 0) return false;
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = HexValue(hex[i]);
    const int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  // Assign only on success, so a failed parse leaves the caller's string as it was.
  *bytes = std::move(out);
  return true;
}

}  // namespace markaz::crypto
