// Small readers of the real server's answers and files, shared by the integration tests of
// distribution (release, products, subscriptions, webhooks).
#pragma once

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <string>

#include "testutil/http_client.h"

namespace markaz::testutil {

// The answer's JSON body, or {} when it is not JSON.
inline nlohmann::json ParseBody(const HttpResult& r) {
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  return j.is_discarded() ? nlohmann::json::object() : j;
}

// The error code of an error answer ({"error":{"code",…}}), "" otherwise.
inline std::string ErrorCodeOf(const HttpResult& r) {
  nlohmann::json j = ParseBody(r);
  return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
}

// How many audit entries with `action` name `object` in the store of data directory `data`,
// read from its file (the audit API comes with governance). -1 when the file cannot be read.
inline int AuditCount(const std::string& data, const std::string& action,
                      const std::string& object) {
  sqlite3* db = nullptr;
  int count = -1;
  if (sqlite3_open_v2((data + "/markaz.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
      SQLITE_OK) {
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM audit WHERE action = ? AND object = ?", -1, &q,
                       nullptr);
    sqlite3_bind_text(q, 1, action.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 2, object.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(q) == SQLITE_ROW) count = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return count;
}

}  // namespace markaz::testutil
