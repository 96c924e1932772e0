// What story assignment knows of a report's text (DESIGN.md §3, docs/stories.md): its word
// 5-shingles as 32-bit hashes, a MinHash signature over them, and the salient features used to
// join close follow-ups (entities and numbers). Built from the analyser's tokens, the same
// token stream the search index reads (text/analyzer.h), so nothing here re-reads the text.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "text/analyzer.h"

namespace markaz::cluster {

inline constexpr int kShingleWords = 5;
// Values in a MinHash signature (one-permutation hashing: fingerprint.cc).
inline constexpr int kHashes = 128;

struct Fingerprint {
  // XXH3 (low 32 bits) of every run of kShingleWords consecutive token terms
  // (text::Token::term: normalised, clitics off, unstemmed), title and body as one sequence;
  // sorted, unique. A text of 1–4 tokens has one shingle of all of them; no tokens, none.
  std::vector<std::uint32_t> shingles;
  // The MinHash signature over `shingles` (kHashes values, fingerprint.cc documents the hash
  // family); empty when there are no shingles.
  std::vector<std::uint32_t> minhash;
};

Fingerprint MakeFingerprint(std::span<const text::Token> tokens);

// Exact set measures over sorted, unique hash lists. Both are 0 when either list is empty.
double Jaccard(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);
// |a ∩ b| / |a|: how much of `a` lies inside `b` (an excerpt `a` of an article `b` scores 1).
double Containment(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);
// |a ∩ b|, from which both measures follow (one pass when both are wanted).
std::size_t IntersectionSize(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);

// The stored form of a fingerprint and the report's number terms (StoryInput::numbers: kept so
// that a report loaded at start-up can still be joined by follow-ups); the store keeps it
// beside the report, opaque to it; the layout is versioned and documented in
// docs/stories.md. Decode re-derives what the blob does not hold and gives the numbers to
// `numbers` when asked (none from a v1 blob). InvalidArgument "bad_fingerprint" for a blob
// that is not one.
std::string EncodeFingerprint(const Fingerprint& fingerprint,
                              std::span<const std::string> numbers = {});
core::Result<Fingerprint> DecodeFingerprint(std::string_view blob,
                                            std::vector<std::string>* numbers = nullptr);
// The shingles of a blob only (what verifying a candidate reads), into a vector the caller
// reuses; the same checks and errors as DecodeFingerprint.
core::Status DecodeShingles(std::string_view blob, std::vector<std::uint32_t>* shingles);

// What story assignment needs of one report.
struct StoryInput {
  std::string report_id;  // "rep_…"
  core::Time time;        // event time: observed_at, else received_at
  std::string lang;
  std::vector<std::string> entities;  // gazetteer ids named in the report, sorted, unique
  std::vector<std::string> numbers;   // distinct numeric token terms ("17", "١٧"), sorted
  Fingerprint fingerprint;
};

// The numeric terms of a token stream (tokens whose term is made of digits of any script,
// possibly with one decimal separator), sorted, unique.
std::vector<std::string> NumberTerms(std::span<const text::Token> tokens);

}  // namespace markaz::cluster
