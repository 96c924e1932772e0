#include "core/report.h"

#include <cmath>

namespace markaz::core {
namespace {

Status Bad(std::string reason, const std::string& field, const std::string& what) {
  return Status::InvalidArgument(std::move(reason), field + ": " + what);
}

Status CheckLength(const std::string& value, std::size_t max, const std::string& field) {
  if (value.size() > max) {
    return Bad("field_too_long", field, "longer than " + std::to_string(max) + " bytes");
  }
  return Status::Ok();
}

bool IsLanguageTag(const std::string& lang) {
  if (lang.size() < 2 || lang.size() > 3) return false;
  for (char c : lang) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

}  // namespace

Status ValidateReportInput(const ReportInput& in) {
  if (in.body.empty()) return Bad("body_required", "body", "is required and may not be empty");
  if (in.body.size() > kMaxBodyBytes) {
    return Status::TooLarge("body_too_large", "body: larger than 1 MiB (" +
                                                  std::to_string(in.body.size()) + " bytes)");
  }
  MARKAZ_RETURN_IF_ERROR(CheckLength(in.title, kMaxTitleBytes, "title"));
  if (in.lang && !IsLanguageTag(*in.lang)) {
    return Bad("bad_lang", "lang", "\"" + *in.lang + "\" is not a lower-case ISO 639 code like \"ar\"");
  }
  if (in.source) {
    MARKAZ_RETURN_IF_ERROR(CheckLength(in.source->name, kMaxSourceFieldBytes, "source.name"));
    MARKAZ_RETURN_IF_ERROR(CheckLength(in.source->url, kMaxSourceFieldBytes, "source.url"));
    if (in.source->reliability &&
        (*in.source->reliability < 'A' || *in.source->reliability > 'F')) {
      return Bad("bad_reliability", "source.reliability",
                 "must be one of A B C D E F (Admiralty scale)");
    }
    if (in.source->credibility && (*in.source->credibility < 1 || *in.source->credibility > 6)) {
      return Bad("bad_credibility", "source.credibility", "must be 1 to 6 (Admiralty scale)");
    }
  }
  if (in.location) {
    if (!std::isfinite(in.location->lat) || in.location->lat < -90 || in.location->lat > 90) {
      return Bad("bad_location", "location.lat", "must be between -90 and 90");
    }
    if (!std::isfinite(in.location->lon) || in.location->lon < -180 || in.location->lon > 180) {
      return Bad("bad_location", "location.lon", "must be between -180 and 180");
    }
  }
  if (in.tags.size() > kMaxTags) {
    return Bad("too_many_tags", "tags", "at most " + std::to_string(kMaxTags) + " tags");
  }
  for (std::size_t i = 0; i < in.tags.size(); ++i) {
    const std::string field = "tags[" + std::to_string(i) + "]";
    if (in.tags[i].empty()) return Bad("bad_tag", field, "may not be empty");
    MARKAZ_RETURN_IF_ERROR(CheckLength(in.tags[i], kMaxTagBytes, field));
  }
  if (in.release_to.size() > kMaxReleaseTo) {
    return Bad("too_many_recipients", "release_to",
               "at most " + std::to_string(kMaxReleaseTo) + " entries");
  }
  if (in.external_id) {
    if (in.external_id->empty()) {
      return Bad("bad_external_id", "external_id", "may not be empty (omit it instead)");
    }
    MARKAZ_RETURN_IF_ERROR(CheckLength(*in.external_id, kMaxExternalIdBytes, "external_id"));
  }
  return Status::Ok();
}

}  // namespace markaz::core
