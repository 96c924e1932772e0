// The JSON wire form of reports (DESIGN.md §9): decoding a submission (simdjson On-Demand, on
// the ingest path) and encoding a stored report for GET /v1/reports/{id}.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/report.h"
#include "core/status.h"
#include "store/store.h"

namespace markaz::http {

// Decodes one report object. Errors are InvalidArgument (TooLarge for a body over 1 MiB) whose
// message starts with the field path: "source.reliability: …". Refused: invalid JSON or UTF-8
// ("bad_json"), a non-object, unknown or repeated fields ("unknown_field", "duplicate_field" —
// a typo must not silently drop a marking), wrong types ("wrong_type"), a bad TLP ("bad_tlp"),
// a bad time ("invalid_time"), and everything core::ValidateReportInput refuses.
core::Result<core::ReportInput> DecodeReportInput(std::string_view json);

// The report as submitted plus "id", "originator", "received_at", "audience" and "analysis"
// (an object; {} until processing fills it). The store sequence is not shown: it counts every
// report of the centre, and would tell a reader how many it may not see (DESIGN.md §2.5).
// `name_of`, when given, names each entity of the analysis ("name": in the reader's language).
using EntityNamer = std::function<std::string(std::string_view entity_id)>;
std::string EncodeReport(const store::ReportRow& report, const EntityNamer& name_of = {});

}  // namespace markaz::http
