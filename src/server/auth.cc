#include "server/auth.h"

#include <sodium.h>

#include <array>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/identifiers.h"
#include "core/time.h"
#include "server/api_json.h"

namespace cordon::server {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 11> kRoleNames{{
    {Role::kRiskAnalyst, "risk_analyst"},
    {Role::kTargetingOfficer, "targeting_officer"},
    {Role::kSupervisionOfficer, "supervision_officer"},
    {Role::kPatrolOfficer, "patrol_officer"},
    {Role::kIntelligenceLimited, "intelligence_limited"},
    {Role::kIntelligenceReadOnly, "intelligence_readonly"},
    {Role::kIntelligenceFull, "intelligence_full"},
    {Role::kNationalContactPoint, "national_contact_point"},
    {Role::kAdministrator, "administrator"},
    {Role::kSubmitter, "submitter"},
    {Role::kMonitoring, "monitoring"},
}};

constexpr std::string_view kSessionCookie = "cordon_session";
constexpr std::size_t kMinPasswordLength = 10;

void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  });
}

std::string random_token(std::size_t bytes) {
  ensure_sodium();
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

// Sessions and tokens are stored as hashes: a copy of the database gives no live credential.
std::string credential_hash(std::string_view secret) {
  ensure_sodium();
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                     nullptr, 0);
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

std::optional<std::string> cookie_value(const HttpRequest& request, std::string_view name) {
  auto header = request.header("cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    auto semi = rest.find(';');
    std::string_view pair = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.starts_with(name) && pair.size() > name.size() && pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
  }
  return std::nullopt;
}

bool is_safe_method(std::string_view method) { return method == "GET" || method == "HEAD" || method == "OPTIONS"; }

}  // namespace

std::string_view to_string(Role role) {
  for (const auto& [r, name] : kRoleNames) {
    if (r == role) return name;
  }
  return "unknown";
}

std::optional<Role> parse_role(std::string_view name) {
  for (const auto& [r, n] : kRoleNames) {
    if (n == name) return r;
  }
  return std::nullopt;
}

std::vector<std::string_view> role_names() {
  std::vector<std::string_view> names;
  for (const auto& entry : kRoleNames) names.push_back(entry.second);
  return names;
}

std::vector<std::string_view> Roles::names() const {
  std::vector<std::string_view> names;
  for (const auto& [r, name] : kRoleNames) {
    if (contains(r)) names.push_back(name);
  }
  return names;
}

std::optional<std::vector<std::string>> Principal::office_scope() const {
  if (offices.empty() || roles.contains(Role::kAdministrator)) return std::nullopt;
  return offices;
}

std::string Auth::hash_password(std::string_view password) {
  ensure_sodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str(out.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("out of memory hashing a password");
  }
  return out.data();
}

bool Auth::verify_password(const std::string& hash, std::string_view password) {
  ensure_sodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

Principal Auth::principal_of(const store::User& user) const {
  Principal p;
  p.username = user.username;
  p.display_name = user.display_name;
  for (const auto& name : user.roles) {
    if (auto role = parse_role(name)) {
      p.roles.add(*role);
      p.role_names.push_back(name);
    }
  }
  p.offices = user.offices;
  return p;
}

std::string Auth::locked_until(std::string_view username) {
  auto user = store_.get_user(std::string(username));
  return user ? user->locked_until : std::string();
}

std::expected<SignedIn, AuthFailure> Auth::sign_in(std::string_view username, std::string_view password) {
  auto user = store_.get_user(std::string(username));
  if (!user) {
    if (user.error().code != store::StoreError::Code::kNotFound) return std::unexpected(AuthFailure::kUnavailable);
    // Spend the same time as a real check, so response times do not reveal which names exist.
    static const std::string dummy = hash_password("cordon-timing-equaliser");
    verify_password(dummy, password);
    return std::unexpected(AuthFailure::kUnauthenticated);
  }
  int64_t now = now_seconds();
  if (!user->locked_until.empty()) {
    auto until = parse_timestamp(user->locked_until);
    if (until && *until > now) return std::unexpected(AuthFailure::kLocked);
  }
  if (user->disabled || !verify_password(user->password_hash, password)) {
    ++user->failed_attempts;
    if (user->failed_attempts >= options_.max_failed_sign_ins) {
      user->locked_until = format_timestamp(now + options_.lockout_minutes * 60);
      user->failed_attempts = 0;
      spdlog::warn("user {} locked until {} after {} failed sign-ins", user->username, user->locked_until,
                   options_.max_failed_sign_ins);
    }
    (void)store_.update_user(*user);
    (void)store_.append_audit({0, "", user->username, "session.sign_in_failed", "user:" + user->username, "{}"});
    return std::unexpected(user->locked_until.empty() ? AuthFailure::kUnauthenticated : AuthFailure::kLocked);
  }
  if (user->failed_attempts != 0 || !user->locked_until.empty()) {
    user->failed_attempts = 0;
    user->locked_until.clear();
    (void)store_.update_user(*user);
  }
  std::string cookie = random_token(32);
  store::Session session{credential_hash(cookie), user->username, random_token(24), format_timestamp(now),
                         format_timestamp(now + int64_t{options_.session_hours} * 3600)};
  if (!store_.create_session(session)) return std::unexpected(AuthFailure::kUnavailable);
  (void)store_.append_audit({0, "", user->username, "session.sign_in", "user:" + user->username, "{}"});
  SignedIn result{principal_of(*user), ""};
  result.principal.via_session = true;
  result.principal.csrf_token = session.csrf_token;
  // HttpOnly: scripts cannot read it; SameSite=Strict: other sites cannot send it.
  result.session_cookie = fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}", kSessionCookie, cookie,
                                      options_.session_hours * 3600, options_.secure_cookie ? "; Secure" : "");
  return result;
}

std::expected<Principal, AuthFailure> Auth::authenticate(const HttpRequest& request) {
  std::string username;
  bool via_session = false;
  std::string csrf;
  if (auto authorization = request.header("authorization"); authorization && authorization->starts_with("Bearer ")) {
    auto token = store_.find_token(credential_hash(authorization->substr(7)));
    if (!token) {
      return std::unexpected(token.error().code == store::StoreError::Code::kNotFound ? AuthFailure::kUnauthenticated
                                                                                     : AuthFailure::kUnavailable);
    }
    username = token->username;
  } else if (auto cookie = cookie_value(request, kSessionCookie)) {
    auto session = store_.get_session(credential_hash(*cookie));
    if (!session) {
      return std::unexpected(session.error().code == store::StoreError::Code::kNotFound
                                 ? AuthFailure::kUnauthenticated
                                 : AuthFailure::kUnavailable);
    }
    auto expires = parse_timestamp(session->expires_at);
    if (!expires || *expires <= now_seconds()) return std::unexpected(AuthFailure::kUnauthenticated);
    username = session->username;
    via_session = true;
    csrf = session->csrf_token;
  } else {
    return std::unexpected(AuthFailure::kUnauthenticated);
  }
  auto user = store_.get_user(username);
  if (!user) return std::unexpected(AuthFailure::kUnauthenticated);
  if (user->disabled) return std::unexpected(AuthFailure::kUnauthenticated);
  Principal p = principal_of(*user);
  p.via_session = via_session;
  p.csrf_token = std::move(csrf);
  return p;
}

std::string Auth::sign_out(const HttpRequest& request) {
  if (auto cookie = cookie_value(request, kSessionCookie)) (void)store_.delete_session(credential_hash(*cookie));
  return fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", kSessionCookie);
}

store::Result<std::pair<int64_t, std::string>> Auth::create_token(const std::string& username, const std::string& name) {
  std::string token = "cdn_" + random_token(32);
  auto id = store_.create_token({0, credential_hash(token), name, username, ""});
  if (!id) return std::unexpected(id.error());
  return std::pair{*id, token};
}

FieldErrors check_user_fields(const std::string& username, const std::vector<std::string>& roles,
                              const std::vector<std::string>& offices, const std::optional<std::string>& password) {
  FieldErrors errors;
  bool name_ok = !username.empty() && username.size() <= 64;
  for (char c : username) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) name_ok = false;
  }
  if (!name_ok) {
    errors.push_back({"username", "username_format",
                      fmt::format("{} is not 1 to 64 letters, digits, '.', '_' or '-'", quote_value(username))});
  }
  if (roles.empty()) errors.push_back({"roles", "required", "at least one role is required"});
  for (std::size_t i = 0; i < roles.size(); ++i) {
    if (!parse_role(roles[i])) {
      errors.push_back({fmt::format("roles[{}]", i), "enum",
                        fmt::format("{} is not one of {}", quote_value(roles[i]), fmt::join(role_names(), ", "))});
    }
  }
  for (std::size_t i = 0; i < offices.size(); ++i) {
    if (auto ok = ids::check_customs_office(offices[i]); !ok) {
      errors.push_back({fmt::format("offices[{}]", i), ok.error().rule, ok.error().message});
    }
  }
  if (password && password->size() < kMinPasswordLength) {
    errors.push_back({"password", "min_length", fmt::format("must be at least {} characters", kMinPasswordLength)});
  }
  return errors;
}

void add_secured(Router& router, Auth& auth, store::Store& store, std::string method, std::string pattern,
                 std::string name, Roles roles, SecuredHandler handler, AuditMode audit) {
  std::string route_name = name;
  router.add(std::move(method), std::move(pattern), std::move(name),
             [&auth, &store, roles, handler = std::move(handler), audit, route_name](const HttpRequest& request) {
               auto principal = auth.authenticate(request);
               if (!principal) {
                 if (principal.error() == AuthFailure::kUnavailable) {
                   return HttpResponse::error(503, "unavailable", "storage is unavailable; retry later");
                 }
                 return HttpResponse::error(401, "unauthenticated", "sign in or send a bearer token");
               }
               if (!principal->roles.intersects(roles)) {
                 return HttpResponse::error(
                     403, "forbidden", fmt::format("requires one of the roles {}", fmt::join(roles.names(), ", ")));
               }
               if (principal->via_session && !is_safe_method(request.method)) {
                 auto token = request.header("x-csrf-token");
                 if (!token || *token != principal->csrf_token) {
                   return HttpResponse::error(403, "forbidden", "missing or wrong X-CSRF-Token header");
                 }
               }
               HttpResponse response = handler(request, *principal);
               if (audit == AuditMode::kByWrapper) {
                 nlohmann::json detail = {{"method", request.method}, {"status", response.status}};
                 (void)store.append_audit({0, "", principal->actor(), route_name, request.target,
                                           detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
               }
               return response;
             });
}

const std::vector<std::string>& public_route_names() {
  static const std::vector<std::string> names{"system.health", "system.openapi", "session.create", "console.index",
                                              "console.files"};
  return names;
}

}  // namespace cordon::server
