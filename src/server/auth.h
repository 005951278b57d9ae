// Who may do what: accounts with Argon2id passwords, console sessions (HttpOnly cookie + CSRF
// token), bearer tokens for machine clients, roles, lockout after repeated failures, and the
// audit of every authorised request.
//
// Every route is registered either as public (the short list in docs/security.md) or through
// add_secured(), which authenticates, checks the roles, checks CSRF for cookie sessions, runs the
// handler and audits the request. A test enumerates the router and proves each secured route
// refuses an anonymous request (401) and a wrong role (403).
//
// Thread-safety: Auth is safe to use from many threads; its state is in the store.
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/field_error.h"
#include "server/http_server.h"
#include "store/store.h"

namespace cordon::server {

// The roles of seed 003 (CEN's three access levels for intelligence) and of a customs
// administration's risk, targeting and supervision work.
enum class Role : uint32_t {
  kRiskAnalyst,
  kTargetingOfficer,
  kSupervisionOfficer,
  kPatrolOfficer,
  kIntelligenceLimited,
  kIntelligenceReadOnly,
  kIntelligenceFull,
  kNationalContactPoint,
  kAdministrator,
  kSubmitter,   // a machine client lodging declarations (a trader's or a carrier's system)
  kMonitoring,  // a metrics scraper
};

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view name);
std::vector<std::string_view> role_names();

// A set of roles, e.g. Roles{Role::kRiskAnalyst, Role::kTargetingOfficer}.
class Roles {
 public:
  Roles() = default;
  Roles(std::initializer_list<Role> roles) {
    for (Role r : roles) add(r);
  }
  static Roles any_signed_in() {
    Roles r;
    r.bits_ = ~uint32_t{0};
    return r;
  }
  void add(Role role) { bits_ |= uint32_t{1} << static_cast<uint32_t>(role); }
  bool contains(Role role) const { return (bits_ >> static_cast<uint32_t>(role)) & 1U; }
  bool intersects(Roles other) const { return (bits_ & other.bits_) != 0; }
  std::vector<std::string_view> names() const;

 private:
  uint32_t bits_ = 0;
};

struct Principal {
  std::string username;
  std::string display_name;
  Roles roles;
  std::vector<std::string> role_names;
  std::vector<std::string> offices;  // empty: every office
  bool via_session = false;          // cookie session (CSRF applies) rather than a bearer token
  std::string csrf_token;

  std::string actor() const { return username; }
  // Offices this principal may see; nullopt means all of them.
  std::optional<std::vector<std::string>> office_scope() const;
};

struct AuthOptions {
  int session_hours = 8;
  int max_failed_sign_ins = 5;
  int lockout_minutes = 15;
  bool secure_cookie = false;  // set behind TLS; a Secure cookie is dropped by browsers on plain HTTP
};

enum class AuthFailure { kUnauthenticated, kLocked, kUnavailable };

struct SignedIn {
  Principal principal;
  std::string session_cookie;  // the Set-Cookie header value
};

class Auth {
 public:
  Auth(store::Store& store, AuthOptions options) : store_(store), options_(options) {}

  // Checks the password; on success starts a session. Failures count towards a lockout; the
  // answer does not tell an unknown user from a wrong password.
  std::expected<SignedIn, AuthFailure> sign_in(std::string_view username, std::string_view password);
  // From the session cookie or an "Authorization: Bearer" token.
  std::expected<Principal, AuthFailure> authenticate(const HttpRequest& request);
  // Ends the request's session; the returned Set-Cookie value clears the cookie.
  std::string sign_out(const HttpRequest& request);

  // A new bearer token for the user: the plain token, shown once; only its hash is stored.
  store::Result<std::pair<int64_t, std::string>> create_token(const std::string& username, const std::string& name);

  std::string locked_until(std::string_view username);

  // Argon2id (libsodium crypto_pwhash_str, interactive limits).
  static std::string hash_password(std::string_view password);
  static bool verify_password(const std::string& hash, std::string_view password);

 private:
  Principal principal_of(const store::User& user) const;

  store::Store& store_;
  AuthOptions options_;
};

// Checks a user record from outside (API or CLI): username, roles, offices, password strength.
FieldErrors check_user_fields(const std::string& username, const std::vector<std::string>& roles,
                              const std::vector<std::string>& offices, const std::optional<std::string>& password);

using SecuredHandler = std::function<HttpResponse(const HttpRequest&, const Principal&)>;

enum class AuditMode {
  kByWrapper,  // add_secured appends an audit entry for the request
  kByHandler,  // the handler writes its own entry (e.g. in the same transaction as its data)
};

// Registers a route that needs one of `roles`. 401 without valid credentials, 403 with the
// wrong roles or a missing CSRF token on a cookie session's unsafe request.
void add_secured(Router& router, Auth& auth, store::Store& store, std::string method, std::string pattern,
                 std::string name, Roles roles, SecuredHandler handler, AuditMode audit = AuditMode::kByWrapper);

// Routes anybody may call, by name; everything else must be secured. Kept here so the
// enumeration test and the documentation have one list.
const std::vector<std::string>& public_route_names();

}  // namespace cordon::server
