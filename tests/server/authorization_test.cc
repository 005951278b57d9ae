// Every route of the API, enumerated from the router: each secured route refuses an anonymous
// request (401) and a signed-in user without the right role (403); only the documented public
// routes answer anonymously.
#include <filesystem>
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "server/app.h"
#include "store/sqlite/sqlite_store.h"

namespace cordon::server {
namespace {

class AuthorizationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cordon-authz-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    store_ = std::move(*store::open_sqlite_store(dir_ / "cordon.db"));
    auth_ = std::make_unique<Auth>(*store_, AuthOptions{});
    screening_ = std::make_unique<assessment::ScreeningService>(*store_, assessment::ScreeningSettings{});
    AppContext context{store_.get(), auth_.get(), screening_.get(), std::make_shared<Metrics>(), "test", {}};
    router_ = build_router(context);
    // One user per role, each with a bearer token.
    for (auto name : role_names()) {
      std::string username = "only_" + std::string(name);
      ASSERT_TRUE(store_->create_user({username, username, Auth::hash_password("irrelevant-password"),
                                       {std::string(name)}, {}, false, 0, "", ""}));
      tokens_[std::string(name)] = auth_->create_token(username, "test")->second;
    }
  }
  void TearDown() override {
    router_.reset();
    screening_.reset();
    auth_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  HttpResponse call(const Router::RouteInfo& route, const std::string& token) {
    HttpRequest request;
    request.method = route.method;
    // Path parameters name nothing that exists, so no call changes what later calls see (a
    // DELETE of token 1 would revoke a test token); authorisation comes first anyway.
    request.path = std::regex_replace(route.pattern, std::regex("\\{[^}]+\\}"), "999999");
    request.target = request.path;
    request.body = "{}";
    request.remote_address = "127.0.0.1";
    if (!token.empty()) request.headers.emplace_back("authorization", "Bearer " + token);
    auto match = router_->match(request.method, request.path);
    EXPECT_NE(match.handler, nullptr) << route.method << " " << route.pattern;
    if (match.handler == nullptr) return {};
    request.path_params = match.params;
    return (*match.handler)(request);
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Auth> auth_;
  std::unique_ptr<assessment::ScreeningService> screening_;
  std::shared_ptr<Router> router_;
  std::map<std::string, std::string> tokens_;
};

TEST_F(AuthorizationTest, EverySecuredRouteRefusesAnonymousAndWrongRoles) {
  const auto& public_names = public_route_names();
  // Routes any signed-in user may call (their own session); no role is wrong for them.
  const std::set<std::string> any_signed_in{"session.get", "session.delete"};
  auto routes = router_->routes();
  ASSERT_GT(routes.size(), 10u);
  int secured = 0;
  for (const auto& route : routes) {
    bool is_public = std::find(public_names.begin(), public_names.end(), route.name) != public_names.end();
    HttpResponse anonymous = call(route, "");
    if (is_public) {
      EXPECT_NE(anonymous.status, 401) << route.name << " is documented as public";
      continue;
    }
    ++secured;
    EXPECT_EQ(anonymous.status, 401) << route.method << " " << route.pattern << " answered an anonymous request";
    int refused = 0, allowed = 0;
    for (const auto& [role, token] : tokens_) {
      int status = call(route, token).status;
      EXPECT_NE(status, 401) << route.name << " did not accept a valid token (" << role << ")";
      (status == 403 ? refused : allowed)++;
    }
    EXPECT_GT(allowed, 0) << route.name << " is reachable by no role";
    if (!any_signed_in.contains(route.name)) {
      EXPECT_GT(refused, 0) << route.name << " refuses no role";
    }
  }
  EXPECT_GT(secured, 8);
}

TEST_F(AuthorizationTest, UnknownAndRevokedTokensAreRefused) {
  Router::RouteInfo list{"GET", "/api/v1/declarations", "declarations.list"};
  EXPECT_EQ(call(list, "cdn_not-a-token").status, 401);
  auto created = auth_->create_token("only_risk_analyst", "revoke me");
  ASSERT_TRUE(created);
  EXPECT_EQ(call(list, created->second).status, 200);
  ASSERT_TRUE(store_->delete_token(created->first));
  EXPECT_EQ(call(list, created->second).status, 401);
}

TEST_F(AuthorizationTest, SignInLocksOutAfterRepeatedFailures) {
  ASSERT_TRUE(store_->create_user({"carol", "Carol", Auth::hash_password("the-right-password"), {"risk_analyst"}, {},
                                   false, 0, "", ""}));
  EXPECT_TRUE(auth_->sign_in("carol", "the-right-password"));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(auth_->sign_in("carol", "wrong").error(), AuthFailure::kUnauthenticated);
  EXPECT_EQ(auth_->sign_in("carol", "wrong").error(), AuthFailure::kLocked);
  // Locked: even the right password is refused until the lock expires.
  EXPECT_EQ(auth_->sign_in("carol", "the-right-password").error(), AuthFailure::kLocked);
  EXPECT_EQ(auth_->sign_in("nobody", "whatever").error(), AuthFailure::kUnauthenticated);
}

TEST_F(AuthorizationTest, PasswordsAreArgon2idHashes) {
  std::string hash = Auth::hash_password("correct horse battery staple");
  EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
  EXPECT_TRUE(Auth::verify_password(hash, "correct horse battery staple"));
  EXPECT_FALSE(Auth::verify_password(hash, "correct horse battery stapler"));
}

}  // namespace
}  // namespace cordon::server
