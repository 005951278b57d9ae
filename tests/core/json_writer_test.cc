#include "core/json_writer.h"

#include <limits>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cordon {
namespace {

TEST(JsonWriter, WritesCommasKeysAndNestingAsJson) {
  std::string out;
  JsonWriter w(out);
  w.open_object();
  w.string_field("a", "x\"y");
  w.key("list");
  w.open_array();
  w.integer(1);
  w.open_object();
  w.close_object();
  w.open_array();
  w.boolean(true);
  w.null();
  w.close_array();
  w.number(std::numeric_limits<double>::quiet_NaN());
  w.close_array();
  w.key(std::string(70, 'k'));  // longer than the one-append buffer
  w.number(0.5);
  w.close_object();
  EXPECT_EQ(out, R"({"a":"x\"y","list":[1,{},[true,null],null],")" + std::string(70, 'k') + R"(":0.5})");
  EXPECT_TRUE(nlohmann::json::accept(out));
}

TEST(JsonWriter, RefusesMoreThanSixtyFourLevels) {
  std::string out;
  JsonWriter w(out);
  for (int i = 0; i < 64; ++i) w.open_array();
  EXPECT_THROW(w.open_array(), std::length_error);
}

}  // namespace
}  // namespace cordon
