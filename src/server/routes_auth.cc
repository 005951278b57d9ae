// Sign-in sessions, users, API tokens and the audit log.
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "server/api_json.h"
#include "server/app.h"

namespace cordon::server {
namespace {

using nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json principal_json(const Principal& p) {
  return {{"username", p.username}, {"display_name", p.display_name}, {"roles", p.role_names}, {"offices", p.offices}};
}

json user_json(const store::User& u) {
  return {{"username", u.username}, {"display_name", u.display_name}, {"roles", u.roles}, {"offices", u.offices},
          {"disabled", u.disabled}, {"locked_until", u.locked_until.empty() ? json(nullptr) : json(u.locked_until)},
          {"created_at", u.created_at}};
}

// Reads an optional array of strings from a JSON body, with an error naming the field.
std::optional<std::vector<std::string>> string_array(const json& body, const char* key, FieldErrors& errors) {
  if (!body.contains(key)) return std::nullopt;
  const json& value = body[key];
  std::vector<std::string> out;
  if (!value.is_array()) {
    errors.push_back({key, "type", "expected an array of strings"});
    return std::nullopt;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string()) {
      errors.push_back({fmt::format("{}[{}]", key, i), "type", "expected a string"});
      continue;
    }
    out.push_back(value[i].get<std::string>());
  }
  return out;
}

std::optional<std::string> string_field(const json& body, const char* key, FieldErrors& errors) {
  if (!body.contains(key)) return std::nullopt;
  if (!body[key].is_string()) {
    errors.push_back({key, "type", "expected a string"});
    return std::nullopt;
  }
  return body[key].get<std::string>();
}

std::expected<json, HttpResponse> json_object_body(const HttpRequest& request) {
  json body = json::parse(request.body, nullptr, false);
  if (!body.is_object()) {
    return std::unexpected(validation_failed({{"", "json_syntax", "the body must be a JSON object"}}));
  }
  return body;
}

class AuthRoutes {
 public:
  explicit AuthRoutes(const AppContext& context) : store_(*context.store), auth_(*context.auth) {}

  HttpResponse sign_in(const HttpRequest& request) {
    auto body = json_object_body(request);
    if (!body) return body.error();
    FieldErrors errors;
    auto username = string_field(*body, "username", errors);
    auto password = string_field(*body, "password", errors);
    if (!username) errors.push_back({"username", "required", "is required"});
    if (!password) errors.push_back({"password", "required", "is required"});
    if (!errors.empty()) return validation_failed(errors);
    auto signed_in = auth_.sign_in(*username, *password);
    if (!signed_in) {
      switch (signed_in.error()) {
        case AuthFailure::kLocked:
          return HttpResponse::error(
              423, "locked",
              fmt::format("too many failed sign-ins; try again after {}", auth_.locked_until(*username)));
        case AuthFailure::kUnavailable:
          return HttpResponse::error(503, "unavailable", "storage is unavailable; retry later");
        case AuthFailure::kUnauthenticated:
          break;
      }
      return HttpResponse::error(401, "unauthenticated", "unknown user or wrong password");
    }
    HttpResponse response = HttpResponse::json(
        200, dump({{"user", principal_json(signed_in->principal)}, {"csrf_token", signed_in->principal.csrf_token}}));
    response.headers.emplace_back("Set-Cookie", signed_in->session_cookie);
    return response;
  }

  HttpResponse current(const HttpRequest&, const Principal& p) {
    json body = {{"user", principal_json(p)}};
    if (p.via_session) body["csrf_token"] = p.csrf_token;
    return HttpResponse::json(200, dump(body));
  }

  HttpResponse sign_out(const HttpRequest& request, const Principal&) {
    HttpResponse response{204, "application/json", "", {}};
    response.headers.emplace_back("Set-Cookie", auth_.sign_out(request));
    return response;
  }

  HttpResponse list_users(const HttpRequest&, const Principal&) {
    auto users = store_.list_users();
    if (!users) return store_failure(users.error());
    json items = json::array();
    for (const auto& u : *users) items.push_back(user_json(u));
    return HttpResponse::json(200, dump({{"items", items}}));
  }

  HttpResponse create_user(const HttpRequest& request, const Principal&) {
    auto body = json_object_body(request);
    if (!body) return body.error();
    FieldErrors errors;
    store::User user;
    user.username = string_field(*body, "username", errors).value_or("");
    user.display_name = string_field(*body, "display_name", errors).value_or(user.username);
    auto password = string_field(*body, "password", errors);
    user.roles = string_array(*body, "roles", errors).value_or(std::vector<std::string>{});
    user.offices = string_array(*body, "offices", errors).value_or(std::vector<std::string>{});
    if (!password) errors.push_back({"password", "required", "is required"});
    auto field_errors = check_user_fields(user.username, user.roles, user.offices, password);
    errors.insert(errors.end(), field_errors.begin(), field_errors.end());
    if (!errors.empty()) return validation_failed(errors);
    user.password_hash = Auth::hash_password(*password);
    if (auto created = store_.create_user(user); !created) return store_failure(created.error());
    auto stored = store_.get_user(user.username);
    if (!stored) return store_failure(stored.error());
    return HttpResponse::json(201, dump(user_json(*stored)));
  }

  HttpResponse update_user(const HttpRequest& request, const Principal& p) {
    auto body = json_object_body(request);
    if (!body) return body.error();
    auto user = store_.get_user(request.path_params.at("username"));
    if (!user) return store_failure(user.error());
    FieldErrors errors;
    if (auto v = string_field(*body, "display_name", errors)) user->display_name = *v;
    if (auto v = string_array(*body, "roles", errors)) user->roles = *v;
    if (auto v = string_array(*body, "offices", errors)) user->offices = *v;
    auto password = string_field(*body, "password", errors);
    if (body->contains("disabled")) {
      if ((*body)["disabled"].is_boolean()) {
        user->disabled = (*body)["disabled"].get<bool>();
      } else {
        errors.push_back({"disabled", "type", "expected a boolean"});
      }
    }
    if (body->contains("unlock") && (*body)["unlock"] == true) {
      user->locked_until.clear();
      user->failed_attempts = 0;
    }
    auto field_errors = check_user_fields(user->username, user->roles, user->offices, password);
    errors.insert(errors.end(), field_errors.begin(), field_errors.end());
    // An administrator must not lock everybody out by removing their own role.
    bool keeps_admin = std::find(user->roles.begin(), user->roles.end(), "administrator") != user->roles.end();
    if (user->username == p.username && (!keeps_admin || user->disabled)) {
      errors.push_back({"roles", "self_lockout", "you cannot remove your own administrator role or disable yourself"});
    }
    if (!errors.empty()) return validation_failed(errors);
    if (password) user->password_hash = Auth::hash_password(*password);
    if (auto updated = store_.update_user(*user); !updated) return store_failure(updated.error());
    return HttpResponse::json(200, dump(user_json(*user)));
  }

  HttpResponse list_tokens(const HttpRequest&, const Principal&) {
    auto tokens = store_.list_tokens();
    if (!tokens) return store_failure(tokens.error());
    json items = json::array();
    for (const auto& t : *tokens) {
      items.push_back({{"id", t.id}, {"name", t.name}, {"username", t.username}, {"created_at", t.created_at}});
    }
    return HttpResponse::json(200, dump({{"items", items}}));
  }

  HttpResponse create_token(const HttpRequest& request, const Principal&) {
    auto body = json_object_body(request);
    if (!body) return body.error();
    FieldErrors errors;
    auto username = string_field(*body, "username", errors);
    auto name = string_field(*body, "name", errors);
    if (!username) errors.push_back({"username", "required", "is required"});
    if (!name || name->empty()) errors.push_back({"name", "required", "a name saying what the token is for is required"});
    if (!errors.empty()) return validation_failed(errors);
    if (auto user = store_.get_user(*username); !user) {
      if (user.error().code == store::StoreError::Code::kNotFound) {
        return validation_failed({{"username", "unknown_user", fmt::format("no user {}", quote_value(*username))}});
      }
      return store_failure(user.error());
    }
    auto token = auth_.create_token(*username, *name);
    if (!token) return store_failure(token.error());
    // The plain token is shown once, here; the store keeps only its hash.
    return HttpResponse::json(201, dump({{"id", token->first}, {"token", token->second}, {"username", *username}, {"name", *name}}));
  }

  HttpResponse delete_token(const HttpRequest& request, const Principal&) {
    int64_t id = 0;
    const std::string& text = request.path_params.at("id");
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return bad_query({{"id", "token_id", fmt::format("{} is not a token id", quote_value(text))}});
    }
    if (auto deleted = store_.delete_token(id); !deleted) return store_failure(deleted.error());
    return HttpResponse{204, "application/json", "", {}};
  }

  HttpResponse audit(const HttpRequest& request, const Principal&) {
    int64_t after = 0;
    int limit = 100;
    if (auto v = request.query_param("after")) std::from_chars(v->data(), v->data() + v->size(), after);
    if (auto v = request.query_param("limit")) std::from_chars(v->data(), v->data() + v->size(), limit);
    auto entries = store_.list_audit(after, std::clamp(limit, 1, 1000));
    if (!entries) return store_failure(entries.error());
    json items = json::array();
    for (const auto& e : *entries) {
      items.push_back({{"id", e.id}, {"at", e.at}, {"actor", e.actor}, {"action", e.action}, {"object", e.object},
                       {"detail", json::parse(e.detail_json, nullptr, false)}});
    }
    return HttpResponse::json(200, dump({{"items", items}}));
  }

 private:
  store::Store& store_;
  Auth& auth_;
};

}  // namespace

void add_auth_routes(Router& router, const AppContext& context) {
  auto routes = std::make_shared<AuthRoutes>(context);
  Auth& auth = *context.auth;
  store::Store& store = *context.store;
  const Roles admin{Role::kAdministrator};
  auto bind = [routes](HttpResponse (AuthRoutes::*method)(const HttpRequest&, const Principal&)) {
    return [routes, method](const HttpRequest& r, const Principal& p) { return ((*routes).*method)(r, p); };
  };
  router.add("POST", "/api/v1/session", "session.create", [routes](const HttpRequest& r) { return routes->sign_in(r); });
  add_secured(router, auth, store, "GET", "/api/v1/session", "session.get", Roles::any_signed_in(),
              bind(&AuthRoutes::current), AuditMode::kByHandler);  // polled by the console; not an access to data
  add_secured(router, auth, store, "DELETE", "/api/v1/session", "session.delete", Roles::any_signed_in(),
              bind(&AuthRoutes::sign_out));
  add_secured(router, auth, store, "GET", "/api/v1/users", "users.list", admin, bind(&AuthRoutes::list_users));
  add_secured(router, auth, store, "POST", "/api/v1/users", "users.create", admin, bind(&AuthRoutes::create_user));
  add_secured(router, auth, store, "PATCH", "/api/v1/users/{username}", "users.update", admin,
              bind(&AuthRoutes::update_user));
  add_secured(router, auth, store, "GET", "/api/v1/tokens", "tokens.list", admin, bind(&AuthRoutes::list_tokens));
  add_secured(router, auth, store, "POST", "/api/v1/tokens", "tokens.create", admin, bind(&AuthRoutes::create_token));
  add_secured(router, auth, store, "DELETE", "/api/v1/tokens/{id}", "tokens.delete", admin,
              bind(&AuthRoutes::delete_token));
  add_secured(router, auth, store, "GET", "/api/v1/audit", "audit.list", admin, bind(&AuthRoutes::audit));
}

}  // namespace cordon::server
