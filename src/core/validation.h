// The rules a declaration must satisfy before Cordon stores it: identifiers with their check
// digits, codes from the reference lists, dates, masses and the rules between fields.
#pragma once

#include <expected>
#include <string_view>

#include "core/declaration.h"
#include "core/field_error.h"

namespace cordon {

// Every broken rule, in document order; empty when the declaration is valid.
// Thread-safety: pure, safe to call concurrently.
FieldErrors validate_declaration(const Declaration& declaration);

// Decode and validate in one step, as every entry point (API, NDJSON, files) does.
std::expected<Declaration, FieldErrors> parse_declaration(std::string_view json_text);

}  // namespace cordon
