// The synthetic Korean customs import declarations (KCS, 22 columns, one inspected declaration
// per line with its outcome) as Cordon declarations with control results, so that the learned
// score can be measured on data Cordon did not generate.
//
//   auto records = parse_kcs_csv(text);   // every line checked; or the first problems found
//   for (auto& r : *records) store(to_declaration(r)), record(r.fraud);
//
// A malformed line is refused with its line (1-based, the header is line 1), column (1-based
// field number) and the column's name: `line 12, column 13 (HS6 Code): "4408" is not 6 digits`.
// Plain comma-separated fields: the files quote nothing, so a quote character is refused.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "core/declaration.h"

namespace cordon::selection {

struct KcsRecord {
  std::string declaration_id;  // digits
  std::string date;            // YYYY-MM-DD
  std::string office_id, process_type, import_type, import_use, payment_type, mode_of_transport;
  std::string declarant_id, importer_id, seller_id, courier_id;  // seller and courier may be empty
  std::string hs6;                                               // six digits
  std::string departure_country, origin_country;                 // two letters
  double tax_rate = 0;
  std::string tax_type, origin_indicator;
  double net_mass_kg = 0;
  double item_price = 0;  // KRW
  bool fraud = false;
  int critical_fraud = 0;  // 0, 1 or 2
};

struct KcsError {
  int64_t line = 0;
  int column = 0;     // 0: the line as a whole (wrong number of fields)
  std::string field;  // the column's name
  std::string message;
  std::string to_string() const;
};

// The 22 column names, in order.
const std::vector<std::string_view>& kcs_columns();

// REQUIRES: `line` has no line terminator. line_number is for the error.
std::expected<KcsRecord, KcsError> parse_kcs_line(std::string_view line, int64_t line_number);
std::expected<void, KcsError> check_kcs_header(std::string_view line);

// A whole file: header, then records (a final empty line and "\r\n" endings are accepted).
// Returns the records, or up to max_errors problems.
std::expected<std::vector<KcsRecord>, std::vector<KcsError>> parse_kcs_csv(std::string_view text,
                                                                           size_t max_errors = 20);

// The record as an import declaration: reference "KCS-<id>", the importer as consignee, the
// seller as consignor, the courier as carrier, the declarant, one goods item (HS6, origin, net
// mass, price in KRW), departure country as the route, office "KR" + 6 digits, lodged at
// midnight UTC of the date. Tax and procedure codes go in the goods description.
Declaration to_declaration(const KcsRecord& record);

}  // namespace cordon::selection
