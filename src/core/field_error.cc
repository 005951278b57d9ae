#include "core/field_error.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cordon {
namespace {

// Values longer than this are cut: an error message names the value so a person can find it,
// it is not a copy of the input (which may be megabytes of hostile bytes).
constexpr std::size_t kMaxQuotedCharacters = 64;

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";              // U+2026

void append_unicode_escape(std::string& out, char32_t code_point) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(code_point >> shift) & 0xF];
}

// Length of the well-formed UTF-8 sequence at the start of `text` and its code point, or
// 0 when the bytes there are not well-formed UTF-8 (overlong forms and surrogates included).
std::size_t decode_utf8(std::string_view text, char32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
  const std::uint8_t lead = byte(0);
  std::size_t length = 0;
  char32_t minimum = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07, minimum = 0x10000;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i) & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF) return 0;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;
  return length;
}

// Code points that would let a value break out of its line or reorder what a person reads:
// C0/C1 controls, DEL, the Unicode line separators and the bidirectional overrides.
bool needs_escape(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

}  // namespace

std::string FieldError::to_string() const {
  if (path.empty()) return message;
  std::string out;
  out.reserve(path.size() + 2 + message.size());
  out += path;
  out += ": ";
  out += message;
  return out;
}

// The result is valid UTF-8 and a valid JSON string literal whatever the input: messages end
// up in JSON responses and logs, and a serializer that meets invalid UTF-8 throws.
std::string quote_value(std::string_view value) {
  std::string out;
  out.reserve(std::min(value.size(), kMaxQuotedCharacters * 2) + 8);
  out += '"';
  std::size_t characters = 0;
  std::size_t pos = 0;
  while (pos < value.size()) {
    if (characters == kMaxQuotedCharacters) {
      out += kEllipsis;
      break;
    }
    ++characters;
    char32_t code_point = 0;
    const std::size_t length = decode_utf8(value.substr(pos), code_point);
    if (length == 0) {
      // One stray byte becomes one replacement character; resynchronise on the next byte.
      out += kReplacementCharacter;
      ++pos;
      continue;
    }
    switch (code_point) {
      case U'"':
        out += "\\\"";
        break;
      case U'\\':
        out += "\\\\";
        break;
      case U'\n':
        out += "\\n";
        break;
      case U'\r':
        out += "\\r";
        break;
      case U'\t':
        out += "\\t";
        break;
      default:
        if (needs_escape(code_point)) {
          append_unicode_escape(out, code_point);
        } else {
          out.append(value.substr(pos, length));
        }
    }
    pos += length;
  }
  out += '"';
  return out;
}

}  // namespace cordon
