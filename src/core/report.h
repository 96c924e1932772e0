// A report: one piece of collected information (DESIGN.md §1, §9), as submitted and as stored.
// Immutable once accepted: corrections are new reports that cite the old.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "core/tlp.h"

namespace markaz::core {

// Where the information came from, graded on the Admiralty (NATO) scale.
struct Source {
  std::string name;
  std::string url;
  std::optional<char> reliability;  // 'A'..'F'
  std::optional<int> credibility;   // 1..6
  bool operator==(const Source&) const = default;
};

struct GeoPoint {
  double lat = 0;  // -90..90
  double lon = 0;  // -180..180
  bool operator==(const GeoPoint&) const = default;
};

// What a member submits. Field limits and validation: DESIGN.md §9 and the report codec.
struct ReportInput {
  std::string title;
  std::string body;                      // required, ≤ 1 MiB
  std::optional<std::string> lang;       // BCP 47 primary tag; detected when absent
  std::optional<Source> source;
  std::optional<Time> observed_at;
  std::optional<GeoPoint> location;
  Tlp tlp = Tlp::kAmber;
  std::vector<std::string> release_to;   // orgs or groups; [] = originator only
  bool orcon = false;
  std::vector<std::string> tags;
  std::optional<std::string> external_id;
  bool operator==(const ReportInput&) const = default;
};

// An org set: sorted, unique org ids. Always holds the originator for an item's audience.
using Audience = std::vector<std::string>;

// Limits of a report (DESIGN.md §9). Bytes are UTF-8 bytes.
inline constexpr std::size_t kMaxBodyBytes = 1 << 20;       // 1 MiB
inline constexpr std::size_t kMaxTitleBytes = 4096;
inline constexpr std::size_t kMaxTags = 64;
inline constexpr std::size_t kMaxTagBytes = 128;
inline constexpr std::size_t kMaxExternalIdBytes = 256;
inline constexpr std::size_t kMaxSourceFieldBytes = 2048;
inline constexpr std::size_t kMaxReleaseTo = 256;

// Checks the values of a decoded report: body present and ≤ 1 MiB, title/tag/source/external
// id lengths, lang a lower-case primary language tag ("ar", "fa", "en", 2–3 letters),
// reliability A–F, credibility 1–6, lat −90..90 and lon −180..180 (finite). Types, unknown
// fields, UTF-8 and time syntax are the decoder's job (http/report_codec). InvalidArgument
// whose reason names the rule ("body_required", "body_too_large" is TooLarge, "bad_reliability",
// …) and whose message starts with the field path ("source.reliability: …").
Status ValidateReportInput(const ReportInput& input);

}  // namespace markaz::core
