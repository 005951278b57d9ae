// `cordon journey verify FILE`: checks a signed journey record exported by another Cordon
// (GET /api/v1/journeys/{id}/record) — mutual recognition of supervision results.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "assessment/supervision_service.h"
#include "cli/commands.h"
#include "cli/options.h"

namespace cordon::cli {

void register_journey(CLI::App& app, CommandRegistry& registry) {
  CLI::App* journey = app.add_subcommand("journey", "Supervised journeys: signed records");
  journey->require_subcommand(1);
  struct Options {
    std::string file;
    std::string trusted_key;
  };
  auto options = std::make_shared<Options>();
  CLI::App* verify = journey->add_subcommand("verify", "Verify a signed journey record (exit 0 valid, 1 refused)");
  verify->add_option("file", options->file, "The signed record (JSON), or - for standard input")->required();
  verify->add_option("--trusted-key", options->trusted_key,
                     "The sending administration's Ed25519 public key (hex); without it the embedded key is used, "
                     "which proves the record is intact but not who signed it");
  verify->callback([options, &registry] {
    auto text = read_input(options->file);
    if (!text) {
      fmt::print(stderr, "{}\n", text.error());
      registry.set_exit_code(kExitUsage);
      return;
    }
    auto doc = nlohmann::json::parse(*text, nullptr, false);
    if (doc.is_discarded()) {
      fmt::print("refused: the file is not JSON\n");
      registry.set_exit_code(kExitFailure);
      return;
    }
    auto record = assessment::verify_journey_record(doc, options->trusted_key);
    if (!record) {
      fmt::print("refused: {}\n", record.error());
      registry.set_exit_code(kExitFailure);
      return;
    }
    fmt::print("valid: journey {} (MRN {}), grade {}, {} alarms, {} events, signed by key {}{}\n",
               record->value("id", 0), record->value("mrn", ""), record->value("grade", ""),
               record->value("alarms", nlohmann::json::array()).size(),
               record->value("events", nlohmann::json::array()).size(), doc.value("public_key", ""),
               options->trusted_key.empty() ? " (not checked against a trusted key)" : " (trusted)");
  });
}

}  // namespace cordon::cli
