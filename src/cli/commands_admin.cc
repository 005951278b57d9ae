// `cordon admin`: accounts and tokens from the command line — how the first administrator is made.
#include <iostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "server/auth.h"

namespace cordon::cli {
namespace {

struct CreateOptions {
  StoreOptions store;
  std::string username, display_name, password;
  bool password_stdin = false;
  bool if_missing = false;
  std::vector<std::string> roles, offices;
};

int run_create(const CreateOptions& o) {
  std::string password = o.password;
  if (o.password_stdin) {
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
  }
  if (password.empty()) {
    fmt::print(stderr, "a password is required: --password-stdin (preferred) or --password\n");
    return kExitUsage;
  }
  auto errors = server::check_user_fields(o.username, o.roles, o.offices, password);
  if (!errors.empty()) {
    for (const auto& e : errors) fmt::print(stderr, "{}\n", e.to_string());
    return kExitUsage;
  }
  auto store = open_store(o.store);
  if (!store) {
    spdlog::error("cannot open the store: {}", store.error().message);
    return kExitUnavailable;
  }
  if (o.if_missing && (*store)->get_user(o.username)) {
    fmt::print("user {} already exists\n", o.username);
    return kExitOk;
  }
  store::User user{o.username, o.display_name.empty() ? o.username : o.display_name, server::Auth::hash_password(password),
                   o.roles, o.offices, false, 0, "", ""};
  auto created = (*store)->create_user(user);
  if (!created) {
    fmt::print(stderr, "{}\n", created.error().message);
    return created.error().code == store::StoreError::Code::kConflict ? kExitFailure : kExitUnavailable;
  }
  (void)(*store)->append_audit({0, "", "cli:admin", "users.create", "user:" + o.username, "{}"});
  fmt::print("created user {} with roles {}\n", o.username, fmt::join(o.roles, ", "));
  return kExitOk;
}

struct TokenOptions {
  StoreOptions store;
  std::string username, name;
};

int run_token(const TokenOptions& o) {
  auto store = open_store(o.store);
  if (!store) {
    spdlog::error("cannot open the store: {}", store.error().message);
    return kExitUnavailable;
  }
  if (auto user = (*store)->get_user(o.username); !user) {
    fmt::print(stderr, "no user {}\n", o.username);
    return kExitFailure;
  }
  server::Auth auth(**store, {});
  auto token = auth.create_token(o.username, o.name);
  if (!token) {
    fmt::print(stderr, "{}\n", token.error().message);
    return kExitUnavailable;
  }
  (void)(*store)->append_audit({0, "", "cli:admin", "tokens.create", "user:" + o.username, "{}"});
  // Only the token on standard output, so scripts can capture it.
  fmt::print("{}\n", token->second);
  return kExitOk;
}

}  // namespace

void register_admin(CLI::App& app, CommandRegistry& registry) {
  CLI::App* admin = app.add_subcommand("admin", "Manage accounts and API tokens directly in the store");
  admin->require_subcommand(1);

  auto create = std::make_shared<CreateOptions>();
  CLI::App* c = admin->add_subcommand("create", "Create a user (the first administrator, or any account)");
  add_store_options(*c, create->store);
  c->add_option("--username", create->username, "Login name")->required();
  c->add_option("--display-name", create->display_name, "Name shown in the console");
  c->add_option("--role", create->roles, fmt::format("A role (repeatable): {}", fmt::join(server::role_names(), ", ")))
      ->required();
  c->add_option("--office", create->offices, "A customs office the user is scoped to (repeatable; none: all)");
  c->add_flag("--password-stdin", create->password_stdin, "Read the password from the first line of standard input");
  c->add_option("--password", create->password, "The password (visible in the process list; prefer --password-stdin)");
  c->add_flag("--if-missing", create->if_missing, "Succeed without change when the user exists");
  c->callback([create, &registry] { registry.set_exit_code(run_create(*create)); });

  auto token = std::make_shared<TokenOptions>();
  CLI::App* t = admin->add_subcommand("token", "Create an API token for a user and print it (shown once)");
  add_store_options(*t, token->store);
  t->add_option("--username", token->username, "The user the token acts as")->required();
  t->add_option("--name", token->name, "What the token is for")->required();
  t->callback([token, &registry] { registry.set_exit_code(run_token(*token)); });
}

}  // namespace cordon::cli
