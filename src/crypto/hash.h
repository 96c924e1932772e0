// The one small wrapper over libsodium (STYLE.md: one module owns a dependency): hashing,
// keyed MACs, constant-time comparison, secure random bytes and hex. Used by audit (the hash
// chain), centre (token hashing) and, later, dissem (webhook HMAC) and audit checkpoints.
//
// Thread-safety: every function is safe to call from any thread (sodium_init is done once,
// lazily and thread-safely).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace markaz::crypto {

using Digest32 = std::array<std::uint8_t, 32>;

// BLAKE2b with a 32-byte output (crypto_generichash).
Digest32 Blake2b256(std::string_view data);

// SHA-256 (crypto_hash_sha256).
Digest32 Sha256(std::string_view data);

// HMAC-SHA-256 of `data` under `key` (crypto_auth_hmacsha256 with an arbitrary-length key).
Digest32 HmacSha256(std::string_view key, std::string_view data);

// Constant-time equality of two 32-byte digests (crypto_verify_32).
bool ConstantTimeEqual(const Digest32& a, const Digest32& b);

// `n` bytes from the operating system's CSPRNG (randombytes_buf).
std::string RandomBytes(std::size_t n);

// Lower-case hex of bytes, and back (nullopt-like: returns false on bad hex).
std::string ToHex(std::string_view bytes);
std::string ToHex(const Digest32& digest);
bool FromHex(std::string_view hex, std::string* bytes);

}  // namespace markaz::crypto
