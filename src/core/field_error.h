// Errors about outside input: which field, which rule, and a sentence for a person.
#pragma once

#include <string>
#include <vector>

namespace cordon {

// One broken rule in one field of outside input.
//   path:    "goods[3].containers[0]"  (empty for the document as a whole)
//   rule:    a stable, machine-readable name, e.g. "iso6346_check_digit"
//   message: "\"MSKU1234566\" fails the ISO 6346 check digit (expected 5)"
struct FieldError {
  std::string path;
  std::string rule;
  std::string message;

  // "path: message", the form used in logs and command-line output.
  std::string to_string() const;
  friend bool operator==(const FieldError&, const FieldError&) = default;
};

using FieldErrors = std::vector<FieldError>;

// A violated rule without its location; the caller adds the path.
struct RuleViolation {
  std::string rule;
  std::string message;
};

// Quotes a value for an error message: "MSKU1234566", with control characters escaped and
// long values cut, so that hostile input cannot forge log lines.
std::string quote_value(std::string_view value);

}  // namespace cordon
