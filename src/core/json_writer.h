// A streaming JSON text writer for the hot paths (declaration documents, decision-log
// entries): it appends to a string as it goes, where building an nlohmann tree and dumping it
// allocates a node per value and a std::map per object. Output is compact JSON; strings are
// escaped as JSON requires and invalid UTF-8 is replaced with U+FFFD (as nlohmann's
// error_handler_t::replace does); a non-finite number is written as null.
//
// Usage: open_object(); key("a"); integer(1); key("b"); open_array(); string("x"); close_array();
// close_object(). Keys are written as given: they must be plain ASCII names.
#pragma once

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace cordon {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void open_object() { open('{'); }
  void close_object() { close('}'); }
  void open_array() { open('['); }
  void close_array() { close(']'); }

  void key(std::string_view name) {
    separate();
    // One append of '"name":' (field names are plain ASCII identifiers, short).
    char quoted[64];
    if (name.size() + 3 <= sizeof quoted) {
      quoted[0] = '"';
      std::memcpy(quoted + 1, name.data(), name.size());
      quoted[name.size() + 1] = '"';
      quoted[name.size() + 2] = ':';
      out_.append(quoted, name.size() + 3);
    } else {
      out_ += '"';
      out_ += name;
      out_ += "\":";
    }
    after_key_ = true;
  }

  void string(std::string_view value) {
    separate();
    out_ += '"';
    append_escaped(value);
    out_ += '"';
  }

  void number(double value) {
    separate();
    if (std::isfinite(value)) {
      fmt::format_to(std::back_inserter(out_), "{}", value);  // shortest text that round-trips
    } else {
      out_ += "null";  // JSON has no NaN or infinity; validation refuses them anyway
    }
  }

  void integer(int64_t value) {
    separate();
    fmt::format_to(std::back_inserter(out_), "{}", value);
  }

  void boolean(bool value) {
    separate();
    out_ += value ? "true" : "false";
  }

  void null() {
    separate();
    out_ += "null";
  }

  // A key and its value in one call.
  void string_field(std::string_view name, std::string_view value) {
    key(name);
    string(value);
  }
  void integer_field(std::string_view name, int64_t value) {
    key(name);
    integer(value);
  }
  void number_field(std::string_view name, double value) {
    key(name);
    number(value);
  }
  void boolean_field(std::string_view name, bool value) {
    key(name);
    boolean(value);
  }

  // Fields left out when empty, as in declaration_to_json().
  void optional(std::string_view name, const std::string& value) {
    if (value.empty()) return;
    key(name);
    string(value);
  }
  void optional(std::string_view name, const std::vector<std::string>& values) {
    if (values.empty()) return;
    key(name);
    open_array();
    for (const auto& v : values) string(v);
    close_array();
  }

 private:
  // Nesting is tracked in a bit per level ("no value written at this level yet"), 64 levels at
  // most: what Cordon writes is a few levels deep.
  void open(char c) {
    separate();
    out_ += c;
    ++depth_;
    if (depth_ > 64) throw std::length_error("JsonWriter: more than 64 levels of nesting");
    first_ |= uint64_t{1} << (depth_ - 1);
  }
  void close(char c) {
    out_ += c;
    --depth_;
  }
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_ == 0) return;
    const uint64_t level = uint64_t{1} << (depth_ - 1);
    if (!(first_ & level)) out_ += ',';
    first_ &= ~level;
  }

  // Escapes as JSON requires and replaces invalid UTF-8 with U+FFFD, as nlohmann's
  // error_handler_t::replace does.
  void append_escaped(std::string_view s);

  std::string& out_;
  uint64_t first_ = 0;  // bit d - 1: nothing written yet at nesting depth d
  int depth_ = 0;
  bool after_key_ = false;
};

}  // namespace cordon
