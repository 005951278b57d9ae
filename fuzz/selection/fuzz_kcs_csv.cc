// Fuzzes the KCS CSV reader: any bytes give records or errors that name a line inside the input
// and a column of the 22 (0 for the whole line), never a crash; every record converts to a
// declaration with the record's HS code and reference.
//
//   cp -r fuzz/corpus/fuzz_kcs_csv /tmp/kcs && build/fuzz/fuzz/selection/fuzz_kcs_csv /tmp/kcs -max_total_time=60
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "selection/kcs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  int64_t lines = 1;
  for (char c : text) lines += c == '\n' ? 1 : 0;
  auto parsed = cordon::selection::parse_kcs_csv(text, 5);
  if (parsed) {
    for (const auto& r : *parsed) {
      cordon::Declaration d = cordon::selection::to_declaration(r);
      if (d.goods.size() != 1 || d.goods[0].hs_code != r.hs6 || d.reference != "KCS-" + r.declaration_id) std::abort();
    }
  } else {
    if (parsed.error().empty() || parsed.error().size() > 5) std::abort();
    for (const auto& e : parsed.error()) {
      if (e.line < 1 || e.line > lines || e.column < 0 || e.column > 22) std::abort();
      if (e.to_string().empty()) std::abort();
    }
  }
  // The same bytes as one line.
  auto line = cordon::selection::parse_kcs_line(text.substr(0, text.find('\n')), 2);
  if (!line && (line.error().line != 2 || line.error().column < 0 || line.error().column > 22)) std::abort();
  return 0;
}
