#include "http/report_codec.h"

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <set>

namespace markaz::http {
namespace {

namespace od = simdjson::ondemand;
using core::Result;
using core::Status;

Status BadJson(const std::string& what) {
  return Status::InvalidArgument("bad_json", "the body is not a valid JSON report: " + what);
}

Status WrongType(const std::string& field, const char* want) {
  return Status::InvalidArgument("wrong_type", field + ": must be " + std::string(want));
}

Result<std::string> GetString(od::value v, const std::string& field) {
  std::string_view s;
  if (v.get_string().get(s)) return WrongType(field, "a string");
  return std::string(s);
}

Result<double> GetNumber(od::value v, const std::string& field) {
  double d;
  if (v.get_double().get(d)) return WrongType(field, "a number");
  return d;
}

Result<std::vector<std::string>> GetStringArray(od::value v, const std::string& field) {
  od::array array;
  if (v.get_array().get(array)) return WrongType(field, "an array of strings");
  std::vector<std::string> out;
  std::size_t i = 0;
  for (auto element : array) {
    std::string_view s;
    if (element.get_string().get(s)) {
      return WrongType(field + "[" + std::to_string(i) + "]", "a string");
    }
    out.emplace_back(s);
    ++i;
  }
  return out;
}

Result<core::Source> GetSource(od::value v) {
  od::object object;
  if (v.get_object().get(object)) return WrongType("source", "an object");
  core::Source source;
  std::set<std::string> seen;
  for (auto field : object) {
    std::string_view key_view;
    if (field.unescaped_key().get(key_view)) return BadJson("bad key in source");
    std::string key(key_view);
    const std::string path = "source." + key;
    if (!seen.insert(key).second) {
      return Status::InvalidArgument("duplicate_field", path + ": given twice");
    }
    od::value value = field.value();
    if (key == "name") {
      MARKAZ_ASSIGN_OR_RETURN(source.name, GetString(value, path));
    } else if (key == "url") {
      MARKAZ_ASSIGN_OR_RETURN(source.url, GetString(value, path));
    } else if (key == "reliability") {
      MARKAZ_ASSIGN_OR_RETURN(std::string r, GetString(value, path));
      if (r.size() != 1) {
        return Status::InvalidArgument("bad_reliability",
                                       path + ": must be one of A B C D E F (Admiralty scale)");
      }
      source.reliability = r[0];
    } else if (key == "credibility") {
      int64_t c;
      if (value.get_int64().get(c)) return WrongType(path, "an integer 1 to 6");
      if (c < 1 || c > 6) {
        return Status::InvalidArgument("bad_credibility",
                                       path + ": must be 1 to 6 (Admiralty scale)");
      }
      source.credibility = static_cast<int>(c);
    } else {
      return Status::InvalidArgument("unknown_field", path + ": unknown field");
    }
  }
  return source;
}

Result<core::GeoPoint> GetLocation(od::value v) {
  od::object object;
  if (v.get_object().get(object)) return WrongType("location", "an object {\"lat\",\"lon\"}");
  core::GeoPoint point;
  bool has_lat = false, has_lon = false;
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return BadJson("bad key in location");
    const std::string path = "location." + std::string(key);
    if (key == "lat" && !has_lat) {
      MARKAZ_ASSIGN_OR_RETURN(point.lat, GetNumber(field.value(), path));
      has_lat = true;
    } else if (key == "lon" && !has_lon) {
      MARKAZ_ASSIGN_OR_RETURN(point.lon, GetNumber(field.value(), path));
      has_lon = true;
    } else if (key == "lat" || key == "lon") {
      return Status::InvalidArgument("duplicate_field", path + ": given twice");
    } else {
      return Status::InvalidArgument("unknown_field", path + ": unknown field");
    }
  }
  if (!has_lat) return Status::InvalidArgument("missing_field", "location.lat: is required");
  if (!has_lon) return Status::InvalidArgument("missing_field", "location.lon: is required");
  return point;
}

Result<core::ReportInput> Decode(od::document& doc) {
  od::object object;
  if (doc.get_object().get(object)) {
    return Status::InvalidArgument("bad_json", "the body must be a JSON object");
  }
  core::ReportInput in;
  bool has_body = false;
  std::set<std::string> seen;
  for (auto field : object) {
    std::string_view key_view;
    if (field.unescaped_key().get(key_view)) return BadJson("bad key");
    std::string key(key_view);
    if (!seen.insert(key).second) {
      return Status::InvalidArgument("duplicate_field", key + ": given twice");
    }
    od::value value = field.value();
    if (key == "title") {
      MARKAZ_ASSIGN_OR_RETURN(in.title, GetString(value, key));
    } else if (key == "body") {
      MARKAZ_ASSIGN_OR_RETURN(in.body, GetString(value, key));
      has_body = true;
    } else if (key == "lang") {
      MARKAZ_ASSIGN_OR_RETURN(in.lang, GetString(value, key));
    } else if (key == "source") {
      MARKAZ_ASSIGN_OR_RETURN(in.source, GetSource(value));
    } else if (key == "observed_at") {
      MARKAZ_ASSIGN_OR_RETURN(std::string text, GetString(value, key));
      auto t = core::ParseRfc3339(text);
      if (!t.ok()) return t.status().WithContext("observed_at");
      in.observed_at = *t;
    } else if (key == "location") {
      MARKAZ_ASSIGN_OR_RETURN(in.location, GetLocation(value));
    } else if (key == "tlp") {
      MARKAZ_ASSIGN_OR_RETURN(std::string text, GetString(value, key));
      auto tlp = core::ParseTlp(text);
      if (!tlp) {
        return Status::InvalidArgument(
            "bad_tlp", "tlp: \"" + text + "\" is not one of clear, green, amber, amber+strict, red");
      }
      in.tlp = *tlp;
    } else if (key == "release_to") {
      MARKAZ_ASSIGN_OR_RETURN(in.release_to, GetStringArray(value, key));
    } else if (key == "orcon") {
      bool b;
      if (value.get_bool().get(b)) return WrongType(key, "true or false");
      in.orcon = b;
    } else if (key == "tags") {
      MARKAZ_ASSIGN_OR_RETURN(in.tags, GetStringArray(value, key));
    } else if (key == "external_id") {
      MARKAZ_ASSIGN_OR_RETURN(in.external_id, GetString(value, key));
    } else {
      return Status::InvalidArgument("unknown_field", key + ": unknown field");
    }
  }
  if (!has_body) return Status::InvalidArgument("body_required", "body: is required");
  MARKAZ_RETURN_IF_ERROR(core::ValidateReportInput(in));
  return in;
}

}  // namespace

Result<core::ReportInput> DecodeReportInput(std::string_view json) {
  // One parser of each kind per thread: simdjson parsers are reusable but not shareable.
  thread_local simdjson::dom::parser validator;
  thread_local od::parser parser;
  simdjson::padded_string padded(json);
  // On-Demand parses lazily and would accept trailing garbage or report a syntax error deep
  // inside as a wrong type; a validating pass first (GB/s, about a microsecond for a report)
  // makes every malformed document a clear "bad_json" with simdjson's reason.
  if (auto error = validator.parse(padded).error()) {
    return BadJson(simdjson::error_message(error));
  }
  od::document doc;
  if (auto error = parser.iterate(padded).get(doc)) {
    return BadJson(simdjson::error_message(error));
  }
  return Decode(doc);
}

std::string EncodeReport(const store::ReportRow& r, const EntityNamer& name_of) {
  using nlohmann::json;
  const core::ReportInput& in = r.input;
  json j = {{"id", r.id},
            {"originator", r.originator},
            {"received_at", core::FormatRfc3339(r.received_at)},
            {"title", in.title},
            {"body", in.body},
            {"tlp", core::TlpName(in.tlp)},
            {"release_to", in.release_to},
            {"audience", r.audience},
            {"orcon", in.orcon},
            {"tags", in.tags}};
  j["lang"] = in.lang ? json(*in.lang) : json(nullptr);
  if (in.source) {
    json source = {{"name", in.source->name}, {"url", in.source->url}};
    source["reliability"] =
        in.source->reliability ? json(std::string(1, *in.source->reliability)) : json(nullptr);
    source["credibility"] = in.source->credibility ? json(*in.source->credibility) : json(nullptr);
    j["source"] = source;
  } else {
    j["source"] = nullptr;
  }
  j["observed_at"] = in.observed_at ? json(core::FormatRfc3339(*in.observed_at)) : json(nullptr);
  j["location"] =
      in.location ? json({{"lat", in.location->lat}, {"lon", in.location->lon}}) : json(nullptr);
  j["external_id"] = in.external_id ? json(*in.external_id) : json(nullptr);
  j["analysis"] = r.analysis.empty() ? json::object()
                                     : json::parse(r.analysis, nullptr, /*allow_exceptions=*/false);
  if (j["analysis"].is_discarded()) j["analysis"] = json::object();
  json& entities = j["analysis"]["entities"];
  if (name_of && entities.is_array()) {
    for (json& e : entities) {
      if (e.is_object() && e.contains("id") && e["id"].is_string()) {
        e["name"] = name_of(e["id"].get<std::string>());
      }
    }
  }
  if (entities.is_null()) j["analysis"].erase("entities");
  return j.dump();
}

}  // namespace markaz::http
