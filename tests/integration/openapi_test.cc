// Keeps docs/openapi.json true against the real server: every documented operation answers
// (no 404 no_route / 405), and every documented 200 body carries the documented required
// fields with the documented JSON types, following $refs. (That every route of the server is
// documented is checked against the route table in tests/http/routes_test.cc.)
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

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

// Sends each documented operation its documented example (POSTs first, so that GETs of
// "/…/{id}" can use the id the POST created) and checks the documented success answer.
TEST(OpenApi, EveryDocumentedOperationAnswersWithTheDocumentedShape) {
  json doc = LoadOpenApi();
  TempDir dir;
  std::string data = InitCentre(dir, TestCharter(Rfc3339FromNow(-std::chrono::hours(24))));
  std::string token = CreateToken(data, "host", "admin");
  ServerProcess server(data);
  ASSERT_TRUE(server.started()) << server.Stderr();
  HttpClient client(server.url());

  std::string created_id;
  std::string created_story;
  int checked = 0;
  for (const std::string wanted : {"post", "get"}) {
    for (const auto& [path, item] : doc["paths"].items()) {
      for (const auto& [method, op] : item.items()) {
        if (method != wanted) continue;
        SCOPED_TRACE(method + " " + path);
        std::string target = path;
        // Parameters with a documented example get it (an entity id, a query); other {id}s are
        // the report the POST created, or its story.
        std::string query;
        std::string id_example;
        for (const auto& param : op.value("parameters", json::array())) {
          if (!param.contains("example")) continue;
          const std::string value = param["example"].get<std::string>();
          if (param["in"] == "path") id_example = value;
          if (param["in"] == "query") query += (query.empty() ? "?" : "&") + param["name"].get<std::string>() + "=" + value;
        }
        if (auto at = target.find("{id}"); at != std::string::npos) {
          std::string id = id_example;
          if (id.empty()) id = path.rfind("/v1/stories/", 0) == 0 ? created_story : created_id;
          ASSERT_FALSE(id.empty());
          target.replace(at, 4, id);
        }
        target += query;
        HttpResult r;
        std::string status = "200";
        if (method == "post") {
          const json& contents = op["requestBody"]["content"];
          const std::string type = contents.begin().key();
          const json& example = contents.begin().value()["example"];
          r = client.Post(target, example.is_string() ? example.get<std::string>() : example.dump(),
                          token, type);
          if (op["responses"].contains("201")) status = "201";
        } else {
          r = client.Get(target, token);
        }
        ASSERT_EQ(std::to_string(r.status), status) << r.body;
        const json& success = op["responses"][status]["content"];
        const std::string type = success.begin().key();
        const json& content = success.begin().value();
        std::vector<std::string> problems;
        std::vector<json> bodies;
        if (type == "application/x-ndjson") {
          std::stringstream lines(r.body);
          for (std::string line; std::getline(lines, line);) bodies.push_back(json::parse(line));
        } else {
          bodies.push_back(json::parse(r.body));
        }
        ASSERT_FALSE(bodies.empty());
        for (const json& body : bodies) Check(doc, content["schema"], body, "body", &problems);
        EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
        if (path == "/v1/reports") {
          created_id = bodies[0]["id"];
          created_story = bodies[0]["analysis"].value("story", "");
        }
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, static_cast<int>([&] {
              std::size_t n = 0;
              for (const auto& [path, item] : doc["paths"].items()) n += item.size();
              return n;
            }()));
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
