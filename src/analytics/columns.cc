// Appending a report to the columns; widening; the memory count.
#include "analytics/columns.h"

#include <algorithm>

namespace markaz::analytics {

void Columns::Add(const ReportFacts& facts) {
  if (report_ids.Find(facts.id)) return;
  const auto ordinal = static_cast<std::uint32_t>(size());
  if (ordinal == kNoReport) return;  // 2^32 − 1 reports: the ordinal space is full
  report_ids.Intern(facts.id);
  if (entity_begin.size() == 0) entity_begin.push_back(0);
  const std::int64_t ms = facts.time.time_since_epoch().count();
  time.push_back(ms);
  lang.push_back(langs.Intern(facts.lang));
  originator.push_back(orgs.Intern(facts.originator));
  next_in_story.push_back(kNoReport);
  if (facts.story.empty()) {
    story.push_back(kNoStory);
  } else {
    const std::uint32_t s = stories.Intern(facts.story);
    if (s == story_first.size()) {
      story_first.push_back(ordinal);
      story_last.push_back(ordinal);
    } else {
      next_in_story[story_last[s]] = ordinal;
      story_last[s] = ordinal;
    }
    story.push_back(s);
  }
  // Facts promise sorted unique ids; sorting the ordinals and dropping repeats keeps a repeated
  // id from counting twice in a graph weight whatever the caller sent.
  std::vector<std::uint32_t> named;
  named.reserve(facts.entities.size());
  for (const std::string& id : facts.entities) named.push_back(entities.Intern(id));
  std::sort(named.begin(), named.end());
  named.erase(std::unique(named.begin(), named.end()), named.end());
  if (postings.size() < entities.size()) postings.resize(entities.size());
  for (std::uint32_t e : named) {
    entity_values.push_back(e);
    postings[e].add(ordinal);
  }
  entity_begin.push_back(entity_values.size());
  for (const std::string& org : facts.audience) {
    const std::uint32_t o = orgs.Intern(org);
    if (readers.size() <= o) readers.resize(o + 1);
    readers[o].add(ordinal);
  }
  by_hour[FloorDiv(ms, kHourMs)].add(ordinal);
}

void Columns::Widen(std::string_view report_id, const core::Audience& added) {
  const std::optional<std::uint32_t> ordinal = report_ids.Find(report_id);
  if (!ordinal) return;
  for (const std::string& org : added) {
    const std::uint32_t o = orgs.Intern(org);
    if (readers.size() <= o) readers.resize(o + 1);
    readers[o].add(*ordinal);
  }
}

const Roaring* Columns::Readers(std::string_view org) const {
  const std::optional<std::uint32_t> o = orgs.Find(org);
  if (!o || *o >= readers.size()) return nullptr;
  return &readers[*o];
}

std::size_t Columns::memory_bytes() const {
  // Roaring's serialised size stands in for its heap use (same containers, minus a few
  // pointers per container); each Roaring object adds its own struct.
  auto bitmap = [](const Roaring& r) { return sizeof(Roaring) + r.getSizeInBytes(false); };
  std::size_t bytes = report_ids.memory_bytes() + langs.memory_bytes() + orgs.memory_bytes() +
                      stories.memory_bytes() + entities.memory_bytes();
  bytes += time.memory_bytes() + lang.memory_bytes() + originator.memory_bytes() +
           story.memory_bytes() + next_in_story.memory_bytes() + entity_begin.memory_bytes() +
           entity_values.memory_bytes();
  bytes += (story_first.capacity() + story_last.capacity()) * sizeof(std::uint32_t);
  for (const Roaring& r : readers) bytes += bitmap(r);
  for (const Roaring& r : postings) bytes += bitmap(r);
  constexpr std::size_t kMapNode = 48;  // red-black node header + key, libstdc++
  for (const auto& [hour, r] : by_hour) bytes += kMapNode + bitmap(r);
  return bytes;
}

}  // namespace markaz::analytics
