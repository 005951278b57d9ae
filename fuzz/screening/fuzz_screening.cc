// One source, one executable per importer (selected by a CORDON_FUZZ_* definition).
// Importers must never crash and must either refuse with a located error or return entities
// that a Screener accepts and can be screened against.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "screening/screening.h"

using namespace cordon::screening;

namespace {

void exercise(const Imported<Entities>& parsed) {
  if (!parsed) {
    if (parsed.error().message.empty()) __builtin_trap();
    return;
  }
  if (parsed->size() > 200) return;
  Screener screener;
  screener.import_list("FUZZ", *parsed);
  for (const auto& e : *parsed) {
    ScreeningQuery q;
    if (!e.names.empty()) q.name = e.names.front().name;
    q.identifiers = e.identifiers;
    for (const auto& hit : screener.screen(q)) {
      if (hit.score < 0 || hit.score > 1) __builtin_trap();
    }
    break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
#if defined(CORDON_FUZZ_OFAC_CSV)
  // The four files separated by form feeds, so one input can exercise the cross references.
  std::string_view parts[4];
  std::string_view rest = text;
  for (int i = 0; i < 4; ++i) {
    const auto cut = rest.find('\f');
    parts[i] = rest.substr(0, cut);
    rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
  }
  exercise(parse_ofac_sdn(parts[0], parts[1], parts[2], parts[3]));
#elif defined(CORDON_FUZZ_UN_XML)
  exercise(parse_un_xml(text));
#elif defined(CORDON_FUZZ_EU_XML)
  exercise(parse_eu_xml(text));
#elif defined(CORDON_FUZZ_CORDON_CSV)
  exercise(parse_cordon_csv(text, "FUZZ"));
#elif defined(CORDON_FUZZ_CORDON_NDJSON)
  exercise(parse_cordon_ndjson(text, "FUZZ"));
#elif defined(CORDON_FUZZ_NAME_NORMALIZER)
  const std::string normalised = normalize_name(text);
  for (char c : normalised) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ')) __builtin_trap();
  }
  if (normalize_name(normalised) != normalised) __builtin_trap();  // idempotent
  const auto half = text.substr(0, size / 2);
  const auto m = match_names(half, text.substr(size / 2));
  if (m.score < 0 || m.score > 1) __builtin_trap();
#endif
  return 0;
}
