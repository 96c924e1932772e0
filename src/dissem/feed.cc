// Feed entries as every consumer sees them (feed.h).
#include "dissem/feed.h"

#include <nlohmann/json.hpp>

namespace markaz::dissem {

FeedItem FromInboxEntry(const store::InboxEntry& entry) {
  FeedItem item;
  item.seq = entry.seq;
  item.kind = entry.kind;
  item.id = entry.item_id;
  item.ref = entry.ref;
  item.title = entry.title;
  item.tlp = entry.tlp;
  item.at = entry.at;
  return item;
}

std::string FeedItemJson(const FeedItem& item) {
  nlohmann::ordered_json j = {
      {"seq", item.seq}, {"kind", item.kind}, {"id", item.id},
      {"title", item.title}, {"tlp", item.tlp}, {"at", core::FormatRfc3339(item.at)},
  };
  // `ref` is named after what it refers to, so that a consumer reads "report" or
  // "subscription" rather than a field whose meaning depends on the kind.
  if (!item.ref.empty()) {
    if (item.kind == "release") {
      j["report"] = item.ref;
    } else if (item.kind == "alert") {
      j["subscription"] = item.ref;
    } else {
      j["ref"] = item.ref;
    }
  }
  // Titles are the members' text: a bad UTF-8 byte is replaced, never a reason to throw in the
  // middle of a stream.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace markaz::dissem
