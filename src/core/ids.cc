#include "core/ids.h"

#include <algorithm>
#include <mutex>
#include <random>

namespace markaz::core {
namespace {

// Crockford's base32: no I, L, O, U, so ids survive being read aloud or retyped.
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr std::size_t kUlidLength = 26;
constexpr std::uint64_t kMaxTimestamp = (std::uint64_t{1} << 48) - 1;

bool IsCrockford(char c) { return kAlphabet.find(c) != std::string_view::npos; }

}  // namespace

struct IdGenerator::State {
  explicit State(std::uint64_t seed) : rng(seed) {}
  std::mutex mu;
  std::mt19937_64 rng;  // GUARDED_BY(mu)
};

IdGenerator::IdGenerator(std::uint64_t seed) : state_(std::make_unique<State>(seed)) {}

IdGenerator::IdGenerator()
    : state_(std::make_unique<State>([] {
        // random_device yields 32 bits per call; two calls fill the 64-bit seed.
        std::random_device rd;
        return (std::uint64_t{rd()} << 32) ^ std::uint64_t{rd()};
      }())) {}

IdGenerator::~IdGenerator() = default;

std::string IdGenerator::Next(std::string_view prefix, Time now) {
  // Times outside 48 bits of milliseconds (before 1970 or after year 10889) cannot be encoded;
  // clamping keeps the id well-formed, and only its sort position is approximate.
  long long ms = now.time_since_epoch().count();
  std::uint64_t ts = ms < 0 ? 0 : std::min(static_cast<std::uint64_t>(ms), kMaxTimestamp);

  std::uint64_t hi, lo;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    hi = state_->rng();
    lo = state_->rng();
  }
  // 80 random bits: the low 16 bits of `hi` then all 64 of `lo`.
  const std::uint64_t rand_hi = hi & 0xFFFF;

  std::string out;
  out.reserve(prefix.size() + 1 + kUlidLength);
  out.append(prefix);
  out.push_back('_');
  // Timestamp: 48 bits in 10 characters (50 bits, so the first character is at most '7'), most
  // significant first so that ids sort by time as plain strings.
  for (int i = 9; i >= 0; --i) out.push_back(kAlphabet[(ts >> (5 * i)) & 0x1F]);
  // Randomness: 80 bits in 16 characters, taken as a 16-bit high part and a 64-bit low part.
  for (int i = 15; i >= 0; --i) {
    int shift = 5 * i;
    std::uint64_t v;
    if (shift >= 64) {
      v = rand_hi >> (shift - 64);
    } else if (shift + 5 > 64) {
      v = (lo >> shift) | (rand_hi << (64 - shift));
    } else {
      v = lo >> shift;
    }
    out.push_back(kAlphabet[v & 0x1F]);
  }
  return out;
}

bool IsValidId(std::string_view id, std::string_view prefix) {
  if (id.size() != prefix.size() + 1 + kUlidLength) return false;
  if (id.substr(0, prefix.size()) != prefix || id[prefix.size()] != '_') return false;
  std::string_view ulid = id.substr(prefix.size() + 1);
  // A ULID holds 128 bits in 130, so its first character is at most '7'.
  if (ulid[0] > '7') return false;
  return std::all_of(ulid.begin(), ulid.end(), IsCrockford);
}

}  // namespace markaz::core
