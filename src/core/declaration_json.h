// The declaration JSON codec. The wire format is documented in docs/api/openapi.yaml
// (schema Declaration) and docs/declarations.md.
//
// Decoding is strict: unknown fields, wrong types and missing required fields are errors,
// each with the field's path ("goods[1].value.currency: expected a string"). Decoding checks
// shape only; the rules on values (check digits, codes) are in validation.h.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/declaration.h"
#include "core/field_error.h"

namespace cordon {

std::expected<Declaration, FieldErrors> declaration_from_json(const nlohmann::json& document);
// As above from text; malformed JSON gives one error with rule "json_syntax" and the byte offset.
std::expected<Declaration, FieldErrors> declaration_from_json_text(std::string_view text);

// Encodes every field that is set; empty strings and empty lists are left out. "id" is written
// only when non-zero. Round-trips: declaration_from_json(declaration_to_json(d)) == d.
nlohmann::json declaration_to_json(const Declaration& declaration);
std::string declaration_to_json_text(const Declaration& declaration);

}  // namespace cordon
