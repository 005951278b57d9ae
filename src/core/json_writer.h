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
    out_ += '"';
    out_ += name;  // field names are plain ASCII identifiers
    out_ += "\":";
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
  void open(char c) {
    separate();
    out_ += c;
    first_.push_back(true);
  }
  void close(char c) {
    out_ += c;
    first_.pop_back();
  }
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }

  // Escapes as JSON requires and replaces invalid UTF-8 with U+FFFD, as nlohmann's
  // error_handler_t::replace does.
  void append_escaped(std::string_view s);

  std::string& out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

}  // namespace cordon
