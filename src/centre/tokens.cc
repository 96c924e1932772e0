#include "centre/tokens.h"

#include "core/ids.h"
#include "crypto/hash.h"

namespace markaz::centre {
namespace {
constexpr std::string_view kTokenPrefix = "mkz_";
constexpr std::string_view kIdPrefix = "tok";
constexpr std::size_t kSecretBytes = 32;
}  // namespace

std::string FormatToken(std::string_view token_id, std::string_view secret) {
  // token_id is "tok_<ULID>": keep only the ULID so the token has one fixed shape.
  return std::string(kTokenPrefix) + std::string(token_id.substr(kIdPrefix.size() + 1)) + "_" +
         crypto::ToHex(secret);
}

std::optional<ParsedToken> ParseToken(std::string_view token) {
  if (token.substr(0, kTokenPrefix.size()) != kTokenPrefix) return std::nullopt;
  token.remove_prefix(kTokenPrefix.size());
  auto sep = token.find('_');
  if (sep == std::string_view::npos) return std::nullopt;
  std::string id = std::string(kIdPrefix) + "_" + std::string(token.substr(0, sep));
  if (!core::IsValidId(id, kIdPrefix)) return std::nullopt;
  std::string_view hex = token.substr(sep + 1);
  if (hex.size() != kSecretBytes * 2) return std::nullopt;
  ParsedToken parsed;
  parsed.id = std::move(id);
  if (!crypto::FromHex(hex, &parsed.secret)) return std::nullopt;
  return parsed;
}

std::string HashSecret(std::string_view secret) {
  crypto::Digest32 d = crypto::Blake2b256(secret);
  return std::string(d.begin(), d.end());
}

}  // namespace markaz::centre
