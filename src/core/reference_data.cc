#include "core/reference_data.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Generated at build time from data/reference/*.csv by cmake/embed_file.cmake.
namespace cordon::embedded {
extern const std::string_view kHarmonizedSystemCsv;
extern const std::string_view kCountryCodesCsv;
extern const std::string_view kCurrencyCodesCsv;
}  // namespace cordon::embedded

// Not in the header: the parser is an implementation detail, but it has external linkage so
// that tests/core/reference_data_test.cc can declare and test it directly (quoting, CRLF, BOM
// are hard to reach through the compiled-in files, which happen to use few of them).
namespace cordon::reference::detail {

using CsvRow = std::vector<std::string>;

// RFC 4180 with the usual tolerances: a UTF-8 byte-order mark at the start is skipped, records
// end with LF, CRLF or a lone CR, blank lines (records of one empty field) are skipped, and a
// quote inside an unquoted field is kept as text. Quoted fields may hold commas, line breaks
// and doubled quotes.
// Fails on an unterminated quoted field or text after a closing quote.
std::expected<std::vector<CsvRow>, std::string> parse_csv(std::string_view text) {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  if (text.starts_with(kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());

  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  std::size_t line = 1;
  std::size_t pos = 0;
  const std::size_t size = text.size();

  const auto end_record = [&] {
    row.push_back(std::move(field));
    field.clear();
    const bool blank_line = row.size() == 1 && row.front().empty();
    if (!blank_line) rows.push_back(std::move(row));
    row.clear();
  };
  // Consumes a record terminator at `pos` if there is one.
  const auto at_line_end = [&] {
    if (text[pos] == '\n') {
      ++pos;
    } else if (text[pos] == '\r') {
      ++pos;
      if (pos < size && text[pos] == '\n') ++pos;
    } else {
      return false;
    }
    ++line;
    return true;
  };

  while (pos < size) {
    if (text[pos] == '"') {
      const std::size_t start_line = line;
      ++pos;
      while (true) {
        if (pos >= size) {
          return std::unexpected("unterminated quoted field starting on line " +
                                 std::to_string(start_line));
        }
        const char c = text[pos++];
        if (c == '"') {
          if (pos < size && text[pos] == '"') {
            field += '"';
            ++pos;
            continue;
          }
          break;
        }
        if (c == '\n') ++line;
        field += c;
      }
      if (pos >= size) break;
      if (text[pos] == ',') {
        ++pos;
        row.push_back(std::move(field));
        field.clear();
      } else if (at_line_end()) {
        end_record();
      } else {
        return std::unexpected("unexpected text after a closing quote on line " +
                               std::to_string(line));
      }
      continue;
    }
    // Unquoted field: up to the next comma or record end.
    while (pos < size && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r') {
      field += text[pos++];
    }
    if (pos >= size) break;
    if (text[pos] == ',') {
      ++pos;
      row.push_back(std::move(field));
      field.clear();
      // A comma at the very end of the text still ends with an (empty) last field.
      if (pos >= size) break;
    } else {
      at_line_end();
      end_record();
    }
  }
  // The last record needs no terminator.
  if (!row.empty() || !field.empty()) end_record();
  return rows;
}

}  // namespace cordon::reference::detail

namespace cordon::reference {
namespace {

using detail::CsvRow;

// The embedded files are part of the build, so anything wrong with them is a bug in the
// repository, not bad input: fail loudly on first use (and in the unit tests).
[[noreturn]] void corrupt(std::string_view file, const std::string& what) {
  throw std::logic_error("embedded reference data " + std::string(file) + ": " + what);
}

// A parsed CSV file whose columns are looked up by header name, so that a reordered or
// extended upstream file still loads.
class CsvTable {
 public:
  CsvTable(std::string_view file, std::string_view text) : file_(file) {
    auto parsed = detail::parse_csv(text);
    if (!parsed) corrupt(file_, parsed.error());
    if (parsed->empty()) corrupt(file_, "no header row");
    header_ = std::move(parsed->front());
    rows_.assign(std::make_move_iterator(parsed->begin() + 1),
                 std::make_move_iterator(parsed->end()));
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      if (rows_[i].size() != header_.size()) {
        corrupt(file_, "record " + std::to_string(i + 1) + " has " +
                           std::to_string(rows_[i].size()) + " fields, the header has " +
                           std::to_string(header_.size()));
      }
    }
  }

  std::size_t column(std::string_view name) const {
    const auto found = std::ranges::find(header_, name);
    if (found == header_.end()) corrupt(file_, "no column \"" + std::string(name) + "\"");
    return static_cast<std::size_t>(found - header_.begin());
  }

  const std::vector<CsvRow>& rows() const { return rows_; }
  std::string_view file() const { return file_; }

 private:
  std::string_view file_;
  CsvRow header_;
  std::vector<CsvRow> rows_;
};

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool all_digits(std::string_view s) { return std::ranges::all_of(s, is_digit); }
bool all_upper(std::string_view s) { return std::ranges::all_of(s, is_upper); }

std::string_view code_of(const HsEntry& entry) { return entry.code; }

// --- HS 2022 -------------------------------------------------------------------------------

struct HsTables {
  std::vector<HsEntry> subheadings;            // 6 digits, sorted
  std::vector<HsEntry> chapters_and_headings;  // 2 and 4 digits, sorted
};

const HsTables& hs_tables() {
  static const HsTables tables = [] {
    const CsvTable csv("harmonized-system.csv", embedded::kHarmonizedSystemCsv);
    const std::size_t section = csv.column("section");
    const std::size_t code = csv.column("hscode");
    const std::size_t description = csv.column("description");
    const std::size_t level = csv.column("level");
    HsTables built;
    for (const CsvRow& row : csv.rows()) {
      // The upstream file adds statistical aggregates under the pseudo-section TOTAL (the
      // grand total and chapter 99, "commodities not specified according to kind"). They are
      // not part of the HS 2022 nomenclature, and a declaration must not be able to use them.
      if (row[section] == "TOTAL") continue;
      const std::string& hs = row[code];
      if (!all_digits(hs) || std::to_string(hs.size()) != row[level] ||
          (hs.size() != 2 && hs.size() != 4 && hs.size() != 6)) {
        corrupt(csv.file(), "bad code \"" + hs + "\" at level " + row[level]);
      }
      auto& target = hs.size() == 6 ? built.subheadings : built.chapters_and_headings;
      target.push_back(HsEntry{hs, row[description], row[section]});
    }
    for (auto* list : {&built.subheadings, &built.chapters_and_headings}) {
      std::ranges::sort(*list, {}, code_of);
      const auto duplicate = std::ranges::adjacent_find(*list, {}, code_of);
      if (duplicate != list->end()) corrupt(csv.file(), "duplicate code " + duplicate->code);
    }
    return built;
  }();
  return tables;
}

// --- ISO 3166 ------------------------------------------------------------------------------

struct CountryTables {
  std::vector<Country> countries;  // sorted by alpha-2
  // Index into `countries` for each of the 26 * 26 possible codes, -1 when unassigned: a
  // country lookup is on the hot path of validation and this makes it two array reads.
  std::array<std::int16_t, 26 * 26> index_by_code;
};

std::optional<std::size_t> alpha2_slot(std::string_view code) {
  if (code.size() != 2 || !all_upper(code)) return std::nullopt;
  return static_cast<std::size_t>(code[0] - 'A') * 26 + static_cast<std::size_t>(code[1] - 'A');
}

const CountryTables& country_tables() {
  static const CountryTables tables = [] {
    const CsvTable csv("country-codes.csv", embedded::kCountryCodesCsv);
    const std::size_t alpha2 = csv.column("ISO3166-1-Alpha-2");
    const std::size_t display_name = csv.column("CLDR display name");
    const std::size_t official_name = csv.column("official_name_en");
    const std::size_t currency = csv.column("ISO4217-currency_alphabetic_code");
    const std::size_t region = csv.column("Region Name");
    CountryTables built;
    for (const CsvRow& row : csv.rows()) {
      // Rows without an alpha-2 code are M49 areas that are not ISO 3166 countries.
      if (row[alpha2].empty()) continue;
      if (!alpha2_slot(row[alpha2])) corrupt(csv.file(), "bad alpha-2 \"" + row[alpha2] + "\"");
      // Countries with several legal tenders list them all ("PAB,USD"); the first is the
      // country's own and the one we report as its main currency.
      const std::string& currencies = row[currency];
      std::string main_currency = currencies.substr(0, currencies.find(','));
      built.countries.push_back(Country{
          .alpha2 = row[alpha2],
          .name = row[display_name].empty() ? row[official_name] : row[display_name],
          .currency = std::move(main_currency),
          .region = row[region],
      });
    }
    std::ranges::sort(built.countries, {}, &Country::alpha2);
    built.index_by_code.fill(-1);
    for (std::size_t i = 0; i < built.countries.size(); ++i) {
      std::int16_t& slot = built.index_by_code[*alpha2_slot(built.countries[i].alpha2)];
      if (slot != -1) corrupt(csv.file(), "duplicate code " + built.countries[i].alpha2);
      slot = static_cast<std::int16_t>(i);
    }
    return built;
  }();
  return tables;
}

// --- ISO 4217 ------------------------------------------------------------------------------

std::optional<std::size_t> currency_slot(std::string_view code) {
  if (code.size() != 3 || !all_upper(code)) return std::nullopt;
  return (static_cast<std::size_t>(code[0] - 'A') * 26 + static_cast<std::size_t>(code[1] - 'A')) *
             26 +
         static_cast<std::size_t>(code[2] - 'A');
}

// One bit per possible three-letter code: the whole table fits in 2.2 KB.
using CurrencySet = std::bitset<26 * 26 * 26>;

const CurrencySet& currency_set() {
  static const CurrencySet set = [] {
    const CsvTable csv("currency-codes.csv", embedded::kCurrencyCodesCsv);
    const std::size_t code = csv.column("AlphabeticCode");
    const std::size_t withdrawn = csv.column("WithdrawalDate");
    CurrencySet built;
    for (const CsvRow& row : csv.rows()) {
      // Withdrawn currencies stay in the upstream list for history. A code can be withdrawn
      // for one entity and current for another (a country that adopted the euro): any current
      // row makes it valid. Rows without a code are entities with no universal currency.
      if (!row[withdrawn].empty() || row[code].empty()) continue;
      const auto slot = currency_slot(row[code]);
      if (!slot) corrupt(csv.file(), "bad currency code \"" + row[code] + "\"");
      built.set(*slot);
    }
    return built;
  }();
  return set;
}

}  // namespace

const HsEntry* find_hs(std::string_view code) {
  const HsTables& tables = hs_tables();
  const std::vector<HsEntry>* list = nullptr;
  if (code.size() == 6) {
    list = &tables.subheadings;
  } else if (code.size() == 2 || code.size() == 4) {
    list = &tables.chapters_and_headings;
  } else {
    return nullptr;
  }
  const auto found = std::ranges::lower_bound(*list, code, {}, code_of);
  if (found == list->end() || found->code != code) return nullptr;
  return &*found;
}

std::span<const HsEntry> hs_subheadings() { return hs_tables().subheadings; }

const Country* find_country(std::string_view alpha2) {
  const auto slot = alpha2_slot(alpha2);
  if (!slot) return nullptr;
  const CountryTables& tables = country_tables();
  const std::int16_t index = tables.index_by_code[*slot];
  return index < 0 ? nullptr : &tables.countries[static_cast<std::size_t>(index)];
}

std::span<const Country> countries() { return country_tables().countries; }

bool is_currency(std::string_view code) {
  const auto slot = currency_slot(code);
  return slot && currency_set().test(*slot);
}

}  // namespace cordon::reference
