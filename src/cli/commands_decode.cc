// `cordon decode PROTOCOL MESSAGE`: what a device message decodes to, and the reply the device
// expects — a tool for integrators bringing a new device.
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/options.h"
#include "supervision/protocols/message_json.h"

namespace cordon::cli {
namespace {

namespace protocols = cordon::supervision::protocols;

struct DecodeOptions {
  std::string protocol;
  std::string message;
  bool compact = false;
};

std::string protocol_list() {
  return "Protocols:\n"
         "  teltonika    Codec 8/8E over TCP (hex; login frame then AVL frames)\n"
         "  gt06         Concox GT06 family over TCP (hex, 7878... or 7979...)\n"
         "  jt808        JT/T 808 with Jointech e-lock extensions (hex, 7e...7e)\n"
         "  jt600        Jointech JT600/JT701 e-lock (hex '$' frames, or text \"(...)\"); alias jt701\n"
         "  eseal        eSeal text (\"##S,eSeal,...,E##\")\n"
         "  osmand       OsmAnd HTTP (\"GET /?id=...&lat=...\" or the query string)\n"
         "  cordon-json  Cordon's JSON payload (HTTP POST and MQTT)\n"
         "Binary messages are hex, with or without spaces; several frames may follow each other.\n"
         "Output: {\"protocol\", \"frames\": [{\"message\", \"reply_hex\", \"reply_text\"?} | {\"error\"}]}.\n"
         "Exit status 1 when any frame is refused. See docs/protocols.md.";
}

int run_decode(const DecodeOptions& options) {
  auto protocol = protocols::parse_protocol(options.protocol);
  if (!protocol) {
    fmt::print(stderr, "unknown protocol \"{}\"\n{}\n", options.protocol, protocol_list());
    return kExitUsage;
  }
  std::string input = options.message;
  if (input == "-") {
    auto text = read_input("-");
    if (!text) {
      fmt::print(stderr, "{}\n", text.error());
      return kExitUsage;
    }
    input = *text;
  }
  nlohmann::json report = protocols::decode_report(*protocol, input);
  fmt::print("{}\n", report.dump(options.compact ? -1 : 2, ' ', false, nlohmann::json::error_handler_t::replace));
  for (const auto& frame : report["frames"]) {
    if (frame.contains("error")) return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

void register_decode(CLI::App& app, CommandRegistry& registry) {
  auto options = std::make_shared<DecodeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "decode", "Decode a device message (hex for binary protocols, text otherwise) and print it as JSON with the "
                "reply the device expects.");
  cmd->add_option("PROTOCOL", options->protocol, "teltonika, gt06, jt808, jt600 (jt701), eseal, osmand, cordon-json")
      ->required();
  cmd->add_option("MESSAGE", options->message, "the message; - reads standard input")->required();
  cmd->add_flag("--compact", options->compact, "One line of JSON instead of indented output");
  cmd->footer(protocol_list());
  cmd->callback([options, &registry] { registry.set_exit_code(run_decode(*options)); });
}

}  // namespace cordon::cli
