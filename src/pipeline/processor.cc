#include "pipeline/processor.h"

#include <cmath>
#include <cstdio>
#include <utility>

#include "core/json_string.h"
#include "gazetteer/geotag.h"
#include "text/normalize.h"

namespace markaz::pipeline {

using core::Result;
using core::Status;

namespace {

void AppendNumber(double v, std::string* out) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%.6g", v);
  out->append(buf, static_cast<std::size_t>(n));
}

}  // namespace

std::string AnalysedText(const core::ReportInput& input) {
  std::string text;
  text.reserve(input.title.size() + 2 + input.body.size());
  text += input.title;
  text += "\n\n";
  text += input.body;
  return text;
}

std::string ToJson(const ReportAnalysis& a) {
  std::string out = "{\"lang\":";
  core::AppendJsonString(a.lang, &out);
  out += ",\"entities\":[";
  for (std::size_t i = 0; i < a.entities.size(); ++i) {
    const EntityRef& e = a.entities[i];
    if (i) out += ',';
    out += "{\"id\":";
    core::AppendJsonString(e.id, &out);
    out += ",\"kind\":";
    core::AppendJsonString(e.kind, &out);
    out += ",\"spans\":[";
    for (std::size_t k = 0; k < e.spans.size(); ++k) {
      if (k) out += ',';
      out += '[' + std::to_string(e.spans[k].begin) + ',' + std::to_string(e.spans[k].end) + ']';
    }
    out += "]}";
  }
  out += "],\"places\":[";
  for (std::size_t i = 0; i < a.places.size(); ++i) {
    const PlaceRef& p = a.places[i];
    if (i) out += ',';
    out += "{\"entity\":";
    core::AppendJsonString(p.entity, &out);
    out += ",\"lat\":";
    AppendNumber(p.point.lat, &out);
    out += ",\"lon\":";
    AppendNumber(p.point.lon, &out);
    if (p.implied) out += ",\"implied\":true";
    out += '}';
  }
  out += ']';
  if (!a.story.empty()) {
    out += ",\"story\":";
    core::AppendJsonString(a.story, &out);
    out += ",\"near_duplicates\":[";
    for (std::size_t i = 0; i < a.near_duplicates.size(); ++i) {
      if (i) out += ',';
      out += "{\"id\":";
      core::AppendJsonString(a.near_duplicates[i].id, &out);
      out += ",\"similarity\":";
      // Three decimals: the similarity is a ratio of shingle counts, finer digits are noise.
      AppendNumber(std::round(a.near_duplicates[i].similarity * 1000) / 1000, &out);
      out += '}';
    }
    out += ']';
  }
  out += '}';
  return out;
}

Result<std::shared_ptr<const Processor::Snapshot>> Processor::Build(
    std::shared_ptr<const gazetteer::Gazetteer> gazetteer, const std::filesystem::path& cache_dir) {
  auto snapshot = std::make_shared<Snapshot>();
  MARKAZ_ASSIGN_OR_RETURN(snapshot->matcher, gazetteer::Matcher::Build(gazetteer, cache_dir));
  snapshot->analyzer = std::make_shared<const text::Analyzer>(gazetteer);
  snapshot->gazetteer = std::move(gazetteer);
  return std::shared_ptr<const Snapshot>(std::move(snapshot));
}

Processor::Processor(std::shared_ptr<const Snapshot> snapshot, std::filesystem::path cache_dir)
    : snapshot_(std::move(snapshot)), cache_dir_(std::move(cache_dir)) {}

Result<std::unique_ptr<Processor>> Processor::Create(const std::filesystem::path& cache_dir) {
  MARKAZ_ASSIGN_OR_RETURN(auto gazetteer, gazetteer::Gazetteer::LoadEmbedded());
  return Create(std::move(gazetteer), cache_dir);
}

Result<std::unique_ptr<Processor>> Processor::Create(
    std::shared_ptr<const gazetteer::Gazetteer> gazetteer, const std::filesystem::path& cache_dir) {
  MARKAZ_ASSIGN_OR_RETURN(auto snapshot, Build(std::move(gazetteer), cache_dir));
  return std::unique_ptr<Processor>(new Processor(std::move(snapshot), cache_dir));
}

ReportAnalysis Processor::Analyse(const core::ReportInput& input) const {
  const std::shared_ptr<const Snapshot> s = snapshot_.load();
  const std::string text = AnalysedText(input);
  ReportAnalysis out;
  // Normalised once, for the analyser and the matcher both.
  const text::NormalizedText normalized = text::Normalize(text);
  text::AnalyzedText analysed = s->analyzer->Analyze(normalized, text, input.lang.value_or(""));
  out.lang = std::move(analysed.lang);
  out.tokens = std::move(analysed.tokens);

  const std::vector<gazetteer::Mention> mentions = s->matcher->Match(normalized, text);
  const gazetteer::Resolution resolution = gazetteer::Resolve(*s->gazetteer, mentions);
  const auto entities = s->gazetteer->entities();
  out.entities.reserve(resolution.entities.size());
  for (const gazetteer::ResolvedEntity& r : resolution.entities) {
    const gazetteer::Entity& e = entities[r.entity];
    out.entities.push_back({e.id, std::string(gazetteer::ToString(e.kind)), r.spans});
  }
  out.places.reserve(resolution.places.size());
  for (const gazetteer::Place& p : resolution.places) {
    out.places.push_back({entities[p.entity].id, p.point, p.implied});
  }
  return out;
}

std::shared_ptr<const text::Analyzer> Processor::analyzer() const {
  return snapshot_.load()->analyzer;
}

std::shared_ptr<const gazetteer::Gazetteer> Processor::gazetteer() const {
  return snapshot_.load()->gazetteer;
}

std::string Processor::EntityName(std::string_view id, std::string_view lang) const {
  const std::shared_ptr<const Snapshot> s = snapshot_.load();
  const gazetteer::Entity* e = s->gazetteer->Find(id);
  if (e == nullptr) return {};
  return std::string(s->gazetteer->NameIn(*e, lang));
}

Status Processor::Extend(std::vector<gazetteer::Entity> entities,
                         std::vector<gazetteer::Alias> aliases) {
  const std::shared_ptr<const Snapshot> old = snapshot_.load();
  MARKAZ_ASSIGN_OR_RETURN(auto extended, old->gazetteer->With(std::move(entities), std::move(aliases)));
  MARKAZ_ASSIGN_OR_RETURN(auto snapshot, Build(std::move(extended), cache_dir_));
  snapshot_.store(std::move(snapshot));
  return Status::Ok();
}

}  // namespace markaz::pipeline
