// libFuzzer target for the declaration entry point: JSON text from the API, NDJSON streams and
// files goes through parse_declaration, so hostile bytes must end in a Declaration or in errors
// that each name a rule, never in a crash, a hang or an escaped exception.
//
// It is also a differential test of the decoder's two parsers: declaration_from_json_text reads
// through simdjson (falling back to nlohmann for what simdjson refuses) and must decide every
// input exactly as declaration_from_json over nlohmann's tree does.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/declaration_json.h"
#include "core/validation.h"

namespace {

std::vector<std::string> sorted(const cordon::FieldErrors& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.path + "|" + e.rule + "|" + e.message);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = cordon::parse_declaration(text);
  if (!result) {
    if (result.error().empty()) std::abort();  // a refusal must say why
    for (const cordon::FieldError& error : result.error()) {
      if (error.rule.empty()) std::abort();
    }
  }

  const auto from_text = cordon::declaration_from_json_text(text);
  nlohmann::json tree;
  try {
    tree = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    if (from_text) std::abort();  // nlohmann refuses it, so must the text decoder
    return 0;
  }
  const auto from_tree = cordon::declaration_from_json(tree);
  if (from_text.has_value() != from_tree.has_value()) std::abort();
  if (from_tree && !(*from_text == *from_tree)) std::abort();
  if (!from_tree && sorted(from_text.error()) != sorted(from_tree.error())) std::abort();
  return 0;
}
