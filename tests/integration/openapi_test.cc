// Keeps docs/openapi.json true against the real server: every documented operation answers
// (no 404 no_route / 405), and every documented 200 body carries the documented required
// fields with the documented JSON types, following $refs. (That every route of the server is
// documented is checked against the route table in tests/http/routes_test.cc.)
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "integration/fixture.h"
#include "testutil/http_client.h"
#include "testutil/server_process.h"

namespace markaz::testutil {
namespace {

using nlohmann::json;

json LoadOpenApi() {
  return json::parse(ReadFile(std::string(MARKAZ_SOURCE_DIR) + "/docs/openapi.json"));
}

const json& Resolve(const json& doc, const json& schema) {
  if (!schema.contains("$ref")) return schema;
  std::string ref = schema["$ref"];  // "#/components/schemas/Term"
  return doc.at(json::json_pointer(ref.substr(1)));
}

bool TypeMatches(const std::string& type, const json& value) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  return false;
}

// Appends to `problems` every place where `value` breaks `schema` (types, required, enum).
void Check(const json& doc, const json& schema_in, const json& value, const std::string& where,
           std::vector<std::string>* problems) {
  const json& schema = Resolve(doc, schema_in);
  if (schema.contains("allOf")) {
    for (const auto& part : schema["allOf"]) Check(doc, part, value, where, problems);
  }
  if (schema.contains("oneOf")) {
    for (const auto& alt : schema["oneOf"]) {
      std::vector<std::string> sub;
      Check(doc, alt, value, where, &sub);
      if (sub.empty()) return;
    }
    problems->push_back(where + ": matches no alternative of oneOf");
    return;
  }
  if (schema.contains("type") && !TypeMatches(schema["type"], value)) {
    problems->push_back(where + ": expected " + schema["type"].get<std::string>() + ", got " +
                        value.dump());
    return;
  }
  if (schema.contains("enum")) {
    bool found = false;
    for (const auto& e : schema["enum"]) found = found || e == value;
    if (!found) problems->push_back(where + ": " + value.dump() + " not in enum");
  }
  if (value.is_object()) {
    const json required = schema.value("required", json::array());
    const json properties = schema.value("properties", json::object());
    for (const auto& name : required) {
      if (!value.contains(name.get<std::string>())) {
        problems->push_back(where + ": missing required \"" + name.get<std::string>() + "\"");
      }
    }
    for (const auto& [name, sub] : properties.items()) {
      if (value.contains(name)) Check(doc, sub, value[name], where + "." + name, problems);
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      Check(doc, schema["items"], value[i], where + "[" + std::to_string(i) + "]", problems);
    }
  }
}

// Sends each documented operation its documented example and checks the documented success
// answer. Order: POST /v1/reports first (the other operations name the report it created),
// then the other POSTs, GETs, PATCHes and DELETEs, each group in path order. An {id} is the
// parameter's example when it has one, else what the operation's collection last created
// (the report, its story, a product, a webhook, a subscription); a release request is made
// afresh for each operation on one (approve and deny cannot both act on the same request).
// "{report}" in a request example stands for the created report's id. An operation may name
// the org whose admin calls it (x-test-as; default host). An event stream is checked by its
// head only (it never ends).
TEST(OpenApi, EveryDocumentedOperationAnswersWithTheDocumentedShape) {
  json doc = LoadOpenApi();
  TempDir dir;
  std::string data = InitCentre(dir, TestCharter(Rfc3339FromNow(-std::chrono::hours(24))));
  std::map<std::string, std::string> tokens;
  for (const char* org : {"host", "m2", "m3", "p1"}) tokens[org] = CreateToken(data, org, "admin");
  ServerProcess server(data);
  ASSERT_TRUE(server.started()) << server.Stderr();
  HttpClient client(server.url());

  std::map<std::string, std::string> created;  // collection path → id it created last
  std::string created_story;
  auto fresh_release_request = [&]() -> std::string {
    HttpResult report = client.Post(
        "/v1/reports", R"({"title":"t","body":"b","tlp":"amber","release_to":["members"]})",
        tokens["host"]);
    EXPECT_EQ(report.status, 201) << report.body;
    const std::string report_id = json::parse(report.body, nullptr, false).value("id", "");
    HttpResult r = client.Post("/v1/reports/" + report_id + "/release-requests",
                               R"({"to":["p2"],"reason":"openapi test"})", tokens["m2"]);
    EXPECT_EQ(r.status, 201) << r.body;
    json j = json::parse(r.body, nullptr, false);
    return j.is_object() ? j.value("id", "") : "";
  };
  auto id_for = [&](const std::string& path) -> std::string {
    if (path.rfind("/v1/stories/", 0) == 0) return created_story;
    if (path.rfind("/v1/release-requests/", 0) == 0) return fresh_release_request();
    for (const char* collection : {"/v1/products", "/v1/webhooks", "/v1/subscriptions"}) {
      if (path.rfind(std::string(collection) + "/", 0) == 0) return created[collection];
    }
    return created["/v1/reports"];
  };
  auto replace_all = [](std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
    }
    return text;
  };

  // (method, path) in the order described above.
  std::vector<std::pair<std::string, std::string>> operations;
  for (const std::string wanted : {"post", "get", "patch", "delete"}) {
    if (wanted == "post") operations.emplace_back("post", "/v1/reports");
    for (const auto& [path, item] : doc["paths"].items()) {
      if (item.contains(wanted) && !(wanted == "post" && path == "/v1/reports")) {
        operations.emplace_back(wanted, path);
      }
    }
  }
  int checked = 0;
  for (const auto& [method, path] : operations) {
    const json& op = doc["paths"][path][method];
    SCOPED_TRACE(method + " " + path);
    const std::string token = tokens[op.value("x-test-as", "host")];
    std::string target = path;
    std::string query;
    std::string id_example;
    for (const auto& param : op.value("parameters", json::array())) {
      if (!param.contains("example")) continue;
      const std::string value = param["example"].get<std::string>();
      if (param["in"] == "path") id_example = value;
      if (param["in"] == "query") query += (query.empty() ? "?" : "&") + param["name"].get<std::string>() + "=" + value;
    }
    if (auto at = target.find("{id}"); at != std::string::npos) {
      std::string id = id_example.empty() ? id_for(path) : id_example;
      ASSERT_FALSE(id.empty());
      target.replace(at, 4, id);
    }
    target += query;
    std::string status = method == "delete" ? "204" : "200";
    if (op["responses"].contains("201")) status = "201";
    const json& success = op["responses"][status].value("content", json::object());
    const std::string success_type = success.empty() ? "" : success.begin().key();
    if (success_type == "text/event-stream") {
      const std::string head = RawExchange(server.url(),
                                           "GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                               token + "\r\n\r\n",
                                           1500);
      EXPECT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << head;
      EXPECT_NE(head.find("text/event-stream"), std::string::npos) << head;
      ++checked;
      continue;
    }
    HttpResult r;
    if (method == "get") {
      r = client.Get(target, token);
    } else {
      std::string body;
      std::string type = "application/json";
      if (op.contains("requestBody")) {
        const json& contents = op["requestBody"]["content"];
        type = contents.begin().key();
        const json& example = contents.begin().value()["example"];
        body = replace_all(example.is_string() ? example.get<std::string>() : example.dump(),
                           "{report}", created["/v1/reports"]);
      }
      r = client.Send(method == "post" ? "POST" : method == "patch" ? "PATCH" : "DELETE", target, body,
                      {{"Authorization", "Bearer " + token}, {"Content-Type", type}});
    }
    ASSERT_EQ(std::to_string(r.status), status) << r.body;
    if (success.empty()) {
      EXPECT_TRUE(r.body.empty()) << r.body;
      ++checked;
      continue;
    }
    const json& content = success.begin().value();
    std::vector<std::string> problems;
    std::vector<json> bodies;
    if (success_type == "application/x-ndjson") {
      std::stringstream lines(r.body);
      for (std::string line; std::getline(lines, line);) bodies.push_back(json::parse(line));
    } else {
      bodies.push_back(json::parse(r.body));
    }
    ASSERT_FALSE(bodies.empty());
    for (const json& body : bodies) Check(doc, content["schema"], body, "body", &problems);
    EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
    if (method == "post" && bodies[0].is_object() && bodies[0].contains("id")) {
      created[path] = bodies[0]["id"];
      if (path == "/v1/reports") created_story = bodies[0]["analysis"].value("story", "");
    }
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(operations.size()));
  EXPECT_EQ(checked, static_cast<int>([&] {
              std::size_t n = 0;
              for (const auto& [path, item] : doc["paths"].items()) n += item.size();
              return n;
            }()))
      << "every documented operation is one of post, get, patch, delete";
}

TEST(OpenApi, DocumentedErrorShapeIsWhatTheServerSends) {
  json doc = LoadOpenApi();
  TempDir dir;
  std::string data = InitCentre(dir, TestCharter("2015-10-01T00:00:00Z"));
  ServerProcess server(data);
  ASSERT_TRUE(server.started()) << server.Stderr();
  HttpResult r = HttpClient(server.url()).Get("/v1/me");
  ASSERT_EQ(r.status, 401);
  std::vector<std::string> problems;
  Check(doc, doc["components"]["schemas"]["Error"], json::parse(r.body), "body", &problems);
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
}

}  // namespace
}  // namespace markaz::testutil
