// The bearer token format (docs/tokens.md):
//
//   mkz_<ULID>_<64 hex chars>
//        │      └ the secret: 32 bytes from the OS CSPRNG, hex; stored only as BLAKE2b-256
//        └ the public token id without its "tok_" prefix (the id is "tok_<ULID>")
//
// The id part lets the server find the row with an index lookup; the secret is then compared
// in constant time with the stored hash, so neither the lookup nor the comparison leaks the
// secret through timing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace markaz::centre {

struct ParsedToken {
  std::string id;      // "tok_<ULID>"
  std::string secret;  // 32 raw bytes
};

// The full token text for a token id ("tok_…") and a 32-byte secret.
std::string FormatToken(std::string_view token_id, std::string_view secret);

// nullopt for anything not in the format above (no detail: callers answer "invalid_token").
std::optional<ParsedToken> ParseToken(std::string_view token);

// The value stored in TokenRow::secret_hash for a secret: 32 raw bytes.
std::string HashSecret(std::string_view secret);

}  // namespace markaz::centre
