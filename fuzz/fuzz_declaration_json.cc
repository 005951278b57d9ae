// libFuzzer target for the declaration entry point: JSON text from the API, NDJSON streams and
// files goes through parse_declaration, so hostile bytes must end in a Declaration or in errors
// that each name a rule, never in a crash, a hang or an escaped exception.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/validation.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = cordon::parse_declaration(text);
  if (!result) {
    if (result.error().empty()) std::abort();  // a refusal must say why
    for (const cordon::FieldError& error : result.error()) {
      if (error.rule.empty()) std::abort();
    }
  }
  return 0;
}
