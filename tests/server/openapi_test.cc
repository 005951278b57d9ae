// The API description lists every route the server has, so docs/api/openapi.yaml cannot fall
// behind the code.
#include <filesystem>

#include <gtest/gtest.h>

#include "server/app.h"
#include "store/sqlite/sqlite_store.h"

namespace cordon::embedded {
extern const std::string_view kOpenApiYaml;
}

namespace cordon::server {
namespace {

TEST(OpenApi, DocumentsEveryRoute) {
  auto dir = std::filesystem::temp_directory_path() / ("cordon-openapi-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  auto store = std::move(*store::open_sqlite_store(dir / "cordon.db"));
  Auth auth(*store, {});
  assessment::ScreeningService screening(*store, {});
  AppContext context{store.get(), &auth, &screening, std::make_shared<Metrics>(), "test", {}};
  auto router = build_router(context);
  std::string_view doc = embedded::kOpenApiYaml;
  for (const auto& route : router->routes()) {
    if (route.name.starts_with("console.")) continue;  // the console's files, not the API
    std::string key = "\n  " + route.pattern + ":\n";
    auto at = doc.find(key);
    ASSERT_NE(at, std::string_view::npos) << route.pattern << " is not in docs/api/openapi.yaml";
    // The method must be documented under that path (before the next path).
    auto next = doc.find("\n  /", at + key.size());
    std::string method(route.method.size(), ' ');
    std::transform(route.method.begin(), route.method.end(), method.begin(), ::tolower);
    EXPECT_NE(doc.substr(at, next - at).find("\n    " + method + ":"), std::string_view::npos)
        << route.method << " " << route.pattern << " is not documented";
  }
  router.reset();
  store.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cordon::server
