// `cordon validate FILE`: check declarations without storing them.
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/options.h"
#include "core/validation.h"

namespace cordon::cli {
namespace {

struct ValidateOptions {
  std::string file;
  bool json_output = false;
};

// A file that is one JSON value as a whole (even over several lines) is one declaration;
// otherwise every non-blank line is one. For NDJSON, accept() fails at the second line, so the
// check costs little.
bool is_single_document(const std::string& text) { return nlohmann::json::accept(text); }

int run_validate(const ValidateOptions& options) {
  auto text = read_input(options.file);
  if (!text) {
    fmt::print(stderr, "{}\n", text.error());
    return kExitUsage;
  }
  std::vector<std::pair<std::size_t, std::string_view>> documents;
  if (is_single_document(*text)) {
    documents.emplace_back(0, *text);
  } else {
    std::string_view all = *text;
    std::size_t start = 0, number = 0;
    while (start < all.size()) {
      std::size_t end = all.find('\n', start);
      if (end == std::string_view::npos) end = all.size();
      ++number;
      std::string_view line = all.substr(start, end - start);
      if (line.find_first_not_of(" \t\r") != std::string_view::npos) documents.emplace_back(number, line);
      start = end + 1;
    }
  }
  std::size_t invalid = 0;
  for (const auto& [line, doc] : documents) {
    auto result = parse_declaration(doc);
    if (result) continue;
    ++invalid;
    for (const auto& e : result.error()) {
      if (options.json_output) {
        nlohmann::json j = {{"path", e.path}, {"rule", e.rule}, {"message", e.message}};
        if (line != 0) j["line"] = line;
        fmt::print("{}\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      } else if (line != 0) {
        fmt::print("line {}: {}\n", line, e.to_string());
      } else {
        fmt::print("{}\n", e.to_string());
      }
    }
  }
  fmt::print(stderr, "{}: {} declarations, {} valid, {} invalid\n", options.file, documents.size(),
             documents.size() - invalid, invalid);
  return invalid == 0 ? kExitOk : kExitFailure;
}

}  // namespace

void register_validate(CLI::App& app, CommandRegistry& registry) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "validate",
      "Check declarations against Cordon's rules without storing them. FILE holds one JSON declaration or NDJSON "
      "(one per line); - reads standard input. Exit status 1 when any is invalid.");
  cmd->add_option("FILE", options->file, "JSON or NDJSON file, or -")->required();
  cmd->add_flag("--json", options->json_output, "One JSON error object per line instead of text");
  cmd->callback([options, &registry] { registry.set_exit_code(run_validate(*options)); });
}

}  // namespace cordon::cli
