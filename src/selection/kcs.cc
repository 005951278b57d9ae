#include "selection/kcs.h"

#include <array>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "core/time.h"

namespace cordon::selection {
namespace {

const std::vector<std::string_view> kColumns{"Declaration ID",
                                             "Date",
                                             "Office ID",
                                             "Process Type",
                                             "Import Type",
                                             "Import Use",
                                             "Payment Type",
                                             "Mode of Transport",
                                             "Declarant ID",
                                             "Importer ID",
                                             "Seller ID",
                                             "Courier ID",
                                             "HS6 Code",
                                             "Country of Departure",
                                             "Country of Origin",
                                             "Tax Rate",
                                             "Tax Type",
                                             "Country of Origin Indicator",
                                             "Net Mass",
                                             "Item Price",
                                             "Fraud",
                                             "Critical Fraud"};

std::string quoted(std::string_view v) {
  std::string out = "\"";
  for (char c : v.substr(0, 40)) {
    unsigned char u = static_cast<unsigned char>(c);
    out += u < 0x20 || u >= 0x7f ? '?' : c;
  }
  if (v.size() > 40) out += "...";
  return out + "\"";
}

bool all_of(std::string_view v, bool (*ok)(char)) {
  for (char c : v) {
    if (!ok(c)) return false;
  }
  return true;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_code(char c) { return is_digit(c) || is_upper(c); }

std::optional<double> number(std::string_view v) {
  if (v.empty()) return std::nullopt;
  double out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || end != v.data() + v.size() || !std::isfinite(out)) return std::nullopt;
  return out;
}

}  // namespace

std::string KcsError::to_string() const {
  if (column == 0) return fmt::format("line {}: {}", line, message);
  return fmt::format("line {}, column {} ({}): {}", line, column, field, message);
}

const std::vector<std::string_view>& kcs_columns() { return kColumns; }

std::expected<void, KcsError> check_kcs_header(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
  size_t column = 0, start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    std::string_view name =
        line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (column >= kColumns.size()) {
      return std::unexpected(KcsError{1, 0, "", fmt::format("the header has more than {} columns", kColumns.size())});
    }
    if (name != kColumns[column]) {
      return std::unexpected(KcsError{
          1, static_cast<int>(column + 1), std::string(kColumns[column]),
          fmt::format("the header names this column {}, expected {}", quoted(name), quoted(kColumns[column]))});
    }
    ++column;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (column != kColumns.size()) {
    return std::unexpected(
        KcsError{1, 0, "", fmt::format("the header has {} columns, expected {}", column, kColumns.size())});
  }
  return {};
}

std::expected<KcsRecord, KcsError> parse_kcs_line(std::string_view line, int64_t line_number) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::array<std::string_view, 22> f;
  size_t count = 0, start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    if (count < f.size()) {
      f[count] = line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    }
    ++count;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (count != f.size()) {
    return std::unexpected(KcsError{line_number, 0, "",
                                    fmt::format("{} fields, expected {} ({})", count, f.size(),
                                                line.empty() ? "an empty line" : "comma-separated, no quoting")});
  }
  auto fail = [&](size_t i, std::string message) {
    return std::unexpected(
        KcsError{line_number, static_cast<int>(i + 1), std::string(kColumns[i]), std::move(message)});
  };
  for (size_t i = 0; i < f.size(); ++i) {
    for (char c : f[i]) {
      if (c == '"' || static_cast<unsigned char>(c) < 0x20)
        return fail(i, fmt::format("{}: quotes and control characters are not allowed", quoted(f[i])));
    }
  }
  KcsRecord r;
  if (f[0].empty() || f[0].size() > 20 || !all_of(f[0], is_digit))
    return fail(0, fmt::format("{} is not a declaration number", quoted(f[0])));
  r.declaration_id = f[0];
  if (!parse_date(f[1])) return fail(1, fmt::format("{} is not a date (YYYY-MM-DD)", quoted(f[1])));
  r.date = f[1];
  std::string* codes[] = {&r.office_id,         &r.process_type, &r.import_type, &r.import_use, &r.payment_type,
                          &r.mode_of_transport, &r.declarant_id, &r.importer_id, &r.seller_id,  &r.courier_id};
  for (size_t i = 2; i <= 11; ++i) {
    bool optional = i == 10 || i == 11;  // seller, courier
    if (f[i].empty() && !optional) return fail(i, "is required");
    if (f[i].size() > 32 || !all_of(f[i], is_code))
      return fail(i, fmt::format("{} is not a code (digits and capital letters)", quoted(f[i])));
    *codes[i - 2] = f[i];
  }
  if (f[12].size() != 6 || !all_of(f[12], is_digit)) return fail(12, fmt::format("{} is not 6 digits", quoted(f[12])));
  r.hs6 = f[12];
  for (size_t i : {13, 14}) {
    if (f[i].size() != 2 || !all_of(f[i], is_upper))
      return fail(i, fmt::format("{} is not a two-letter country code", quoted(f[i])));
  }
  r.departure_country = f[13];
  r.origin_country = f[14];
  auto rate = number(f[15]);
  if (!rate || *rate < 0 || *rate > 1000)
    return fail(15, fmt::format("{} is not a tax rate (a percentage, 0 to 1000)", quoted(f[15])));
  r.tax_rate = *rate;
  if (f[16].empty() || f[16].size() > 8 || !all_of(f[16], is_code))
    return fail(16, fmt::format("{} is not a tax type code", quoted(f[16])));
  r.tax_type = f[16];
  if (f[17].empty() || f[17].size() > 4 || !all_of(f[17], is_code))
    return fail(17, fmt::format("{} is not an indicator code", quoted(f[17])));
  r.origin_indicator = f[17];
  auto mass = number(f[18]);
  if (!mass || *mass < 0) return fail(18, fmt::format("{} is not a mass in kg (a number from 0)", quoted(f[18])));
  r.net_mass_kg = *mass;
  auto price = number(f[19]);
  if (!price || *price < 0) return fail(19, fmt::format("{} is not a price (a number from 0)", quoted(f[19])));
  r.item_price = *price;
  if (f[20] != "0" && f[20] != "1") return fail(20, fmt::format("{} is not 0 or 1", quoted(f[20])));
  r.fraud = f[20] == "1";
  if (f[21] != "0" && f[21] != "1" && f[21] != "2") return fail(21, fmt::format("{} is not 0, 1 or 2", quoted(f[21])));
  r.critical_fraud = f[21][0] - '0';
  return r;
}

std::expected<std::vector<KcsRecord>, std::vector<KcsError>> parse_kcs_csv(std::string_view text, size_t max_errors) {
  std::vector<KcsRecord> records;
  std::vector<KcsError> errors;
  int64_t line_number = 0;
  size_t start = 0;
  bool header = true;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    start = end == std::string_view::npos ? text.size() : end + 1;
    ++line_number;
    if (header) {
      header = false;
      if (auto ok = check_kcs_header(line); !ok) {
        errors.push_back(ok.error());
        return std::unexpected(std::move(errors));  // nothing else can be read against a wrong header
      }
      continue;
    }
    if (line.empty() && start >= text.size()) break;  // the final newline
    auto r = parse_kcs_line(line, line_number);
    if (!r) {
      if (errors.size() < std::max<size_t>(max_errors, 1)) errors.push_back(std::move(r.error()));
      continue;
    }
    if (errors.empty()) records.push_back(std::move(*r));
  }
  if (header) errors.push_back({1, 0, "", "the file is empty: expected the 22-column KCS header"});
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return records;
}

Declaration to_declaration(const KcsRecord& r) {
  Declaration d;
  d.reference = "KCS-" + r.declaration_id;
  d.kind = DeclarationKind::kImport;
  if (r.mode_of_transport == "10")
    d.mode = TransportMode::kSea;
  else if (r.mode_of_transport == "20")
    d.mode = TransportMode::kRail;
  else if (r.mode_of_transport == "30")
    d.mode = TransportMode::kRoad;
  else if (r.mode_of_transport == "40")
    d.mode = TransportMode::kAir;
  else if (r.mode_of_transport == "50")
    d.mode = TransportMode::kPostal;
  else
    d.mode = TransportMode::kFixedInstallation;
  d.declarant.role = PartyRole::kDeclarant;
  d.declarant.name = "KCS declarant " + r.declarant_id;
  d.declarant.address.country = "KR";
  d.office_of_first_entry = fmt::format("KR{:0>6}", r.office_id.substr(0, 6));
  d.lodged_at = r.date + "T00:00:00Z";
  d.arrival_date = r.date;
  Party importer;
  importer.role = PartyRole::kConsignee;
  importer.name = "KCS importer " + r.importer_id;
  importer.address.country = "KR";
  d.parties.push_back(std::move(importer));
  if (!r.seller_id.empty()) {
    Party seller;
    seller.role = PartyRole::kConsignor;
    seller.name = "KCS seller " + r.seller_id;
    seller.address.country = r.departure_country;
    d.parties.push_back(std::move(seller));
  }
  if (!r.courier_id.empty()) {
    Party courier;
    courier.role = PartyRole::kCarrier;
    courier.name = "KCS courier " + r.courier_id;
    d.parties.push_back(std::move(courier));
  }
  GoodsItem g;
  g.hs_code = r.hs6;
  g.origin_country = r.origin_country;
  g.net_mass_kg = r.net_mass_kg;
  g.gross_mass_kg = r.net_mass_kg;
  g.value = {r.item_price, "KRW"};
  g.description =
      fmt::format("KCS process {} import type {} use {} payment {} tax {} {}% origin indicator {}", r.process_type,
                  r.import_type, r.import_use, r.payment_type, r.tax_type, r.tax_rate, r.origin_indicator);
  d.goods.push_back(std::move(g));
  d.routing.countries.push_back(r.departure_country);
  return d;
}

}  // namespace cordon::selection
