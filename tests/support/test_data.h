// Helpers shared by the test binaries: reading files from tests/data.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace cordon::testing {

inline std::string read_test_file(const std::string& name) {
  std::ifstream in(std::string(CORDON_SOURCE_DIR) + "/tests/data/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing test file " + name);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace cordon::testing
