// The `cordon` command line: exit codes and messages a script relies on.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../support/test_data.h"
#include "../support/cordon_process.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

struct CommandRun {
  std::optional<int> exit_code;
  std::string out;
};

CommandRun run(std::vector<std::string> args) {
  args.insert(args.begin(), CORDON_BINARY);
  ChildProcess child(args);
  CommandRun result;
  while (auto line = child.read_line(std::chrono::seconds(60))) result.out += *line + "\n";
  result.exit_code = child.wait(std::chrono::seconds(60));
  return result;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cordon-cli-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name) << content;
    return dir_ / name;
  }

  std::filesystem::path dir_;
};

TEST_F(CliTest, ValidateReportsLineAndFieldAndExitsNonZero) {
  json good = json::parse(read_test_file("declaration_sea.json"));
  json bad = good;
  bad["goods"][0]["containers"] = {"MSKU1234566"};
  auto file = write("mixed.ndjson", good.dump() + "\n" + bad.dump() + "\n");
  CommandRun r = run({"validate", file.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "line 2: goods[0].containers[0]: \"MSKU1234566\" fails the ISO 6346 check digit (expected 5)\n");

  CommandRun ok = run({"validate", (std::filesystem::path(CORDON_SOURCE_DIR) / "tests/data/declaration_sea.json").string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
}

TEST_F(CliTest, SimulateThenImportStoresEveryDeclaration) {
  CommandRun sim = run({"simulate", "--out", (dir_ / "world").string(), "--scale", "0.05", "--seed", "7"});
  ASSERT_EQ(sim.exit_code, 0) << sim.out;
  CommandRun imported = run({"import", "declarations", (dir_ / "world/declarations.ndjson").string(), "--db",
                      (dir_ / "cordon.db").string(), "--sync", "normal"});
  ASSERT_EQ(imported.exit_code, 0) << imported.out;
  EXPECT_NE(imported.out.find(" 0 rejected"), std::string::npos) << imported.out;
  // A second import finds every declaration already stored.
  CommandRun again = run({"import", "declarations", (dir_ / "world/declarations.ndjson").string(), "--db",
                   (dir_ / "cordon.db").string()});
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_NE(again.out.find(": 0 stored"), std::string::npos) << again.out;
}

TEST_F(CliTest, BadArgumentsAreUsageErrors) {
  EXPECT_EQ(run({"import", "declarations", (dir_ / "missing.ndjson").string()}).exit_code, 105);  // CLI11: file not found
  EXPECT_EQ(run({"simulate", "--scale", "-1", "--out", (dir_ / "w").string()}).exit_code, 2);
  EXPECT_EQ(run({"serve", "--listen", "nonsense"}).exit_code, 2);
  CommandRun version = run({"version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(version.out.starts_with("cordon ")) << version.out;
}

}  // namespace
}  // namespace cordon::testing
