#include "assessment/intake.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../support/test_data.h"
#include "store/sqlite/sqlite_store.h"

namespace cordon::assessment {
namespace {

using nlohmann::json;

class IntakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cordon-intake-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    store_ = std::move(*store::open_sqlite_store(dir_ / "cordon.db"));
    sample_ = json::parse(testing::read_test_file("declaration_sea.json"));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string with_reference(const std::string& reference) {
    json doc = sample_;
    doc["reference"] = reference;
    return doc.dump();
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  json sample_;
};

TEST_F(IntakeTest, StoresAValidDeclarationAndAuditsIt) {
  Intake intake(*store_);
  auto outcome = intake.submit(with_reference("A-1"), "tester");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->status, IntakeStatus::kStored);
  EXPECT_GT(outcome->id, 0);
  EXPECT_EQ(outcome->reference, "A-1");
  auto audit = store_->list_audit(0, 10);
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].actor, "tester");
  EXPECT_EQ((*audit)[0].action, "declarations.create");
}

TEST_F(IntakeTest, FillsLodgedAtButRecognisesTheResentDocument) {
  json doc = sample_;
  doc.erase("lodged_at");
  Intake intake(*store_);
  auto first = intake.submit(doc.dump(), "t");
  ASSERT_EQ(first->status, IntakeStatus::kStored);
  EXPECT_FALSE(store_->get_declaration(first->id)->declaration.lodged_at.empty());
  auto again = intake.submit(doc.dump(), "t");
  EXPECT_EQ(again->status, IntakeStatus::kDuplicate);
  EXPECT_EQ(again->id, first->id);
  doc["goods"][0]["value"]["amount"] = 1;
  auto changed = intake.submit(doc.dump(), "t");
  EXPECT_EQ(changed->status, IntakeStatus::kConflict);
  ASSERT_EQ(changed->errors.size(), 1u);
  EXPECT_EQ(changed->errors[0].rule, "unique_reference");
}

TEST_F(IntakeTest, RejectsInvalidWithoutStoring) {
  json doc = sample_;
  doc["goods"][0]["containers"] = {"MSKU1234566"};
  auto outcome = Intake(*store_).submit(doc.dump(), "t");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->status, IntakeStatus::kRejected);
  ASSERT_EQ(outcome->errors.size(), 1u);
  EXPECT_EQ(outcome->errors[0].path, "goods[0].containers[0]");
  EXPECT_EQ(*store_->count_declarations(), 0);
  EXPECT_TRUE(store_->list_audit(0, 10)->empty());
}

TEST_F(IntakeTest, NdjsonStoresGoodLinesAndReportsBadOnesByLineNumber) {
  json bad = sample_;
  bad["reference"] = "B-2";
  bad["parties"][1]["address"]["country"] = "XX";
  std::string body = with_reference("B-1") + "\n" + bad.dump() + "\n\n{not json\r\n" + with_reference("B-5") + "\n";
  auto outcomes = Intake(*store_).submit_ndjson(body, "t");
  ASSERT_TRUE(outcomes);
  ASSERT_EQ(outcomes->size(), 4u);  // the blank line gets no result
  EXPECT_EQ((*outcomes)[0].line, 1u);
  EXPECT_EQ((*outcomes)[0].status, IntakeStatus::kStored);
  EXPECT_EQ((*outcomes)[1].line, 2u);
  EXPECT_EQ((*outcomes)[1].status, IntakeStatus::kRejected);
  EXPECT_EQ((*outcomes)[1].errors[0].path, "parties[1].address.country");
  EXPECT_EQ((*outcomes)[2].line, 4u);
  EXPECT_EQ((*outcomes)[2].errors[0].rule, "json_syntax");
  EXPECT_EQ((*outcomes)[3].line, 5u);
  EXPECT_EQ((*outcomes)[3].status, IntakeStatus::kStored);
  EXPECT_EQ(*store_->count_declarations(), 2);
  BatchSummary summary;
  for (const auto& o : *outcomes) summary.count(o);
  EXPECT_EQ(summary.stored, 2u);
  EXPECT_EQ(summary.rejected, 2u);
}

}  // namespace
}  // namespace cordon::assessment
