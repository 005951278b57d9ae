#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_supervision_store.h"

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "../support/test_data.h"
#include "core/declaration_json.h"
#include "core/fingerprint.h"
#include "store/sqlite/migrations.h"

namespace cordon::store {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cordon-store-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto opened = open_sqlite_store(dir_ / "cordon.db");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    auto decoded = declaration_from_json_text(testing::read_test_file("declaration_sea.json"));
    ASSERT_TRUE(decoded);
    sample_ = *decoded;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  NewDeclaration make(const std::string& reference) {
    NewDeclaration n{sample_, 0};
    n.declaration.reference = reference;
    n.content_fingerprint = fingerprint(declaration_to_json_text(n.declaration));
    return n;
  }

  int64_t insert(NewDeclaration n) {
    std::vector<NewDeclaration> batch{std::move(n)};
    auto result = store_->insert_declarations(batch);
    EXPECT_TRUE(result) << (result ? "" : result.error().message);
    return result ? (*result)[0].id : 0;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  Declaration sample_;
};

// A deferred insert is committed and visible at once; sync() then flushes the WAL. Callers
// deferring and callers not deferring share group commits without losing anything.
TEST_F(SqliteStoreTest, DeferredInsertsAreCommittedAndSyncFlushesThem) {
  std::vector<NewDeclaration> batch{make("D-1"), make("D-2")};
  auto deferred = store_->insert_declarations(batch, nullptr, Store::Durability::kDeferred);
  ASSERT_TRUE(deferred) << deferred.error().message;
  EXPECT_EQ((*deferred)[0].status, InsertStatus::kStored);
  EXPECT_TRUE(store_->get_declaration((*deferred)[1].id));  // visible to the readers
  ASSERT_TRUE(store_->sync());

  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        std::vector<NewDeclaration> one{make("M-" + std::to_string(t) + "-" + std::to_string(i))};
        auto r = store_->insert_declarations(one, nullptr,
                                             t % 2 == 0 ? Store::Durability::kDeferred : Store::Durability::kSynced);
        EXPECT_TRUE(r && (*r)[0].status == InsertStatus::kStored);
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(store_->sync());
  EXPECT_EQ(*store_->count_declarations(), 2 + 6 * 20);

  // Under synchronous=NORMAL there is nothing to flush, and sync() says so without failing.
  store_.reset();
  auto normal = open_sqlite_store(dir_ / "cordon.db", {.sync = SqliteOptions::Sync::kNormal});
  ASSERT_TRUE(normal);
  EXPECT_TRUE((*normal)->sync());
  EXPECT_EQ(*(*normal)->count_declarations(), 2 + 6 * 20);
  store_ = std::move(*normal);
}

TEST_F(SqliteStoreTest, StoresAndReadsBackTheWholeDeclaration) {
  int64_t id = insert(make("R-1"));
  ASSERT_GT(id, 0);
  auto stored = store_->get_declaration(id);
  ASSERT_TRUE(stored) << stored.error().message;
  Declaration expected = sample_;
  expected.reference = "R-1";
  expected.id = id;
  EXPECT_EQ(stored->declaration, expected);
  EXPECT_FALSE(stored->received_at.empty());
  EXPECT_EQ(*store_->count_declarations(), 1);
}

TEST_F(SqliteStoreTest, MissingDeclarationIsNotFound) {
  auto stored = store_->get_declaration(999);
  ASSERT_FALSE(stored);
  EXPECT_EQ(stored.error().code, StoreError::Code::kNotFound);
}

TEST_F(SqliteStoreTest, ResentDeclarationIsADuplicateAndChangedContentAConflict) {
  std::vector<NewDeclaration> batch{make("R-1"), make("R-1"), make("R-2")};
  batch[2].declaration.reference = "R-1";
  batch[2].declaration.goods[0].value.amount = 1;  // same reference, different content
  batch[2].content_fingerprint = fingerprint(declaration_to_json_text(batch[2].declaration));
  auto results = store_->insert_declarations(batch);
  ASSERT_TRUE(results);
  ASSERT_EQ(results->size(), 3u);
  EXPECT_EQ((*results)[0].status, InsertStatus::kStored);
  EXPECT_EQ((*results)[1].status, InsertStatus::kDuplicate);
  EXPECT_EQ((*results)[1].id, (*results)[0].id);
  EXPECT_EQ((*results)[2].status, InsertStatus::kConflict);
  EXPECT_EQ(*store_->count_declarations(), 1);
}

TEST_F(SqliteStoreTest, FiltersAndPages) {
  for (int i = 0; i < 25; ++i) {
    NewDeclaration n = make("R-" + std::to_string(i));
    if (i % 5 == 0) {
      n.declaration.goods[0].hs_code = "240220";
      n.declaration.goods[0].containers = {"MSKU1234565"};
      n.declaration.mode = TransportMode::kRoad;
      n.declaration.transport.vehicle_plate = "ab-123 cd";
    }
    n.declaration.lodged_at = "2026-02-" + std::string(i < 9 ? "0" : "") + std::to_string(i + 1) + "T10:00:00+01:00";
    insert(std::move(n));
  }
  DeclarationFilter filter;
  filter.limit = 10;
  auto page1 = store_->list_declarations(filter);
  ASSERT_TRUE(page1) << page1.error().message;
  ASSERT_EQ(page1->items.size(), 10u);
  EXPECT_EQ(page1->items[0].reference, "R-24");  // newest first
  ASSERT_TRUE(page1->next_cursor);
  filter.before_id = page1->next_cursor;
  auto page2 = store_->list_declarations(filter);
  ASSERT_EQ(page2->items.size(), 10u);
  EXPECT_EQ(page2->items[0].reference, "R-14");
  filter.before_id = page2->next_cursor;
  auto page3 = store_->list_declarations(filter);
  ASSERT_EQ(page3->items.size(), 5u);
  EXPECT_FALSE(page3->next_cursor);

  DeclarationFilter by_hs;
  by_hs.hs_prefix = "2402";
  EXPECT_EQ(store_->list_declarations(by_hs)->items.size(), 5u);
  by_hs.hs_prefix = "24021";
  EXPECT_EQ(store_->list_declarations(by_hs)->items.size(), 0u);

  DeclarationFilter by_container;
  by_container.container = "MSKU1234565";
  EXPECT_EQ(store_->list_declarations(by_container)->items.size(), 5u);

  DeclarationFilter by_plate;
  by_plate.vehicle = "AB123CD";
  EXPECT_EQ(store_->list_declarations(by_plate)->items.size(), 5u);

  DeclarationFilter by_origin;
  by_origin.origin_country = "CN";
  EXPECT_EQ(store_->list_declarations(by_origin)->items.size(), 25u);
  by_origin.origin_country = "VN";
  EXPECT_EQ(store_->list_declarations(by_origin)->items.size(), 0u);

  DeclarationFilter by_mode;
  by_mode.mode = TransportMode::kRoad;
  EXPECT_EQ(store_->list_declarations(by_mode)->items.size(), 5u);

  DeclarationFilter by_party;
  by_party.party_eori = "NL812345678";
  EXPECT_EQ(store_->list_declarations(by_party)->items.size(), 25u);
  by_party.party_eori = "NL000000000";
  EXPECT_EQ(store_->list_declarations(by_party)->items.size(), 0u);

  // Lodged times are compared in UTC: 10:00+01:00 is 09:00Z.
  DeclarationFilter by_time;
  by_time.lodged_from = "2026-02-03T09:00:00Z";
  by_time.lodged_to = "2026-02-05T09:00:00Z";
  auto in_window = store_->list_declarations(by_time);
  ASSERT_EQ(in_window->items.size(), 2u);
  EXPECT_EQ(in_window->items[0].lodged_at, "2026-02-04T09:00:00Z");

  DeclarationFilter bad;
  bad.limit = 0;
  EXPECT_EQ(store_->list_declarations(bad).error().code, StoreError::Code::kInvalidArgument);
}

// A group commit inserts the keys of all its declarations together, sorted, many rows per
// statement: each declaration must still be found by its own keys and by no one else's, and a
// resent or conflicting declaration in the same batch adds no keys.
TEST_F(SqliteStoreTest, ABatchsKeysFindEachOfItsDeclarations) {
  constexpr int kCount = 70;  // 70 containers, 70 plates, 2 HS codes, ...: several statements
  std::vector<NewDeclaration> batch;
  for (int i = 0; i < kCount; ++i) {
    NewDeclaration n = make("K-" + std::to_string(i));
    char container[16];
    std::snprintf(container, sizeof container, "TEST%06d", i);  // the store does not validate
    n.declaration.goods[0].containers = {container};
    n.declaration.goods[0].hs_code = i % 2 == 0 ? "240220" : "850440";
    n.declaration.transport.vehicle_plate = "P" + std::to_string(1000 + i);
    n.content_fingerprint = fingerprint(declaration_to_json_text(n.declaration));
    batch.push_back(std::move(n));
  }
  batch.push_back(batch[3]);  // resent in the same batch: a duplicate
  NewDeclaration changed = batch[4];
  changed.declaration.goods[0].containers = {"TEST999999"};
  changed.content_fingerprint = fingerprint(declaration_to_json_text(changed.declaration));
  batch.push_back(std::move(changed));  // the same reference with other content: a conflict
  auto result = store_->insert_declarations(batch);
  ASSERT_TRUE(result) << result.error().message;
  ASSERT_EQ(result->size(), kCount + 2u);
  EXPECT_EQ((*result)[kCount].status, InsertStatus::kDuplicate);
  EXPECT_EQ((*result)[kCount + 1].status, InsertStatus::kConflict);

  for (int i = 0; i < kCount; ++i) {
    DeclarationFilter by_container;
    by_container.container = batch[i].declaration.goods[0].containers[0];
    auto found = store_->list_declarations(by_container);
    ASSERT_TRUE(found) << found.error().message;
    ASSERT_EQ(found->items.size(), 1u) << by_container.container;
    EXPECT_EQ(found->items[0].id, (*result)[i].id);
    DeclarationFilter by_plate;
    by_plate.vehicle = batch[i].declaration.transport.vehicle_plate;
    found = store_->list_declarations(by_plate);
    ASSERT_EQ(found->items.size(), 1u) << by_plate.vehicle;
    EXPECT_EQ(found->items[0].id, (*result)[i].id);
  }
  DeclarationFilter by_hs;
  by_hs.hs_prefix = "2402";
  by_hs.limit = 100;
  EXPECT_EQ(store_->list_declarations(by_hs)->items.size(), kCount / 2u);
  DeclarationFilter conflicting;
  conflicting.container = "TEST999999";
  EXPECT_EQ(store_->list_declarations(conflicting)->items.size(), 0u);
}

TEST_F(SqliteStoreTest, ConcurrentWritersAreGroupCommittedWithoutLoss) {
  constexpr int kThreads = 8, kPerThread = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::vector<NewDeclaration> batch{make("T" + std::to_string(t) + "-" + std::to_string(i))};
        auto r = store_->insert_declarations(batch);
        if (!r || (*r)[0].status != InsertStatus::kStored || batch[0].declaration.id != (*r)[0].id) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(*store_->count_declarations(), kThreads * kPerThread);
}

// Concurrent sync() calls share flushes; none may return before a flush that started after it
// was called, and none may wait forever.
TEST_F(SqliteStoreTest, ConcurrentDeferredWritersEachSyncWithoutLossOrHang) {
  constexpr int kThreads = 8, kPerThread = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::vector<NewDeclaration> batch{make("S" + std::to_string(t) + "-" + std::to_string(i))};
        auto r = store_->insert_declarations(batch, nullptr, Store::Durability::kDeferred);
        if (!r || (*r)[0].status != InsertStatus::kStored || !store_->sync()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(*store_->count_declarations(), kThreads * kPerThread);
}

TEST_F(SqliteStoreTest, AssessmentsAreStoredAndShownInLists) {
  int64_t id = insert(make("R-1"));
  EXPECT_FALSE(store_->get_assessment(id)->has_value());
  ASSERT_TRUE(store_->put_assessment({id, "red", 0.9, R"({"why":"test"})", "2026-02-11T10:00:00Z"}));
  auto a = store_->get_assessment(id);
  ASSERT_TRUE(a && a->has_value());
  EXPECT_EQ((*a)->channel, "red");
  EXPECT_EQ((*a)->reasons_json, R"({"why":"test"})");
  DeclarationFilter red;
  red.channel = "red";
  auto page = store_->list_declarations(red);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].channel, "red");
  EXPECT_EQ(store_->put_assessment({999, "green", 0, "{}", ""}).error().code, StoreError::Code::kNotFound);
}

TEST_F(SqliteStoreTest, AuditLogIsAppendOnlyEvenForDirectSql) {
  AuditEntry entry{0, "", "alice", "declarations.create", "declarations:1-1", R"({"count":1})"};
  std::vector<NewDeclaration> batch{make("R-1")};
  ASSERT_TRUE(store_->insert_declarations(batch, &entry));
  ASSERT_TRUE(store_->append_audit({0, "", "bob", "declarations.read", "declaration:1", ""}));
  auto entries = store_->list_audit(0, 10);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].actor, "alice");
  EXPECT_EQ((*entries)[1].detail_json, "{}");
  store_.reset();

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "cordon.db").c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit_log SET actor = 'mallory'", nullptr, nullptr, &message), SQLITE_OK);
  sqlite3_free(message);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit_log", nullptr, nullptr, &message), SQLITE_OK);
  sqlite3_free(message);
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, ReopeningKeepsDataAndSchema) {
  int64_t id = insert(make("R-1"));
  store_.reset();
  auto reopened = open_sqlite_store(dir_ / "cordon.db");
  ASSERT_TRUE(reopened) << reopened.error().message;
  EXPECT_TRUE((*reopened)->get_declaration(id));
}

TEST_F(SqliteStoreTest, RefusesADatabaseFromANewerCordon) {
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "cordon.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01T00:00:00Z')", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto reopened = open_sqlite_store(dir_ / "cordon.db");
  ASSERT_FALSE(reopened);
  EXPECT_NE(reopened.error().message.find("newer"), std::string::npos);
}

// The checkpoint threads (core store, supervision op log) copy the WAL back into the database
// file while writes go on. A checkpoint connection that never read was a silent no-op and the WAL
// grew without bound; with the automatic checkpoint off on every writer, only they checkpoint.
TEST_F(SqliteStoreTest, WalIsCheckpointedIntoTheDatabaseFileWhileWritesGoOn) {
  auto ops_store = sqlite::open_supervision_store(dir_ / "cordon.db");
  ASSERT_TRUE(ops_store) << ops_store.error().message;
  const auto db_size = [&] { return std::filesystem::file_size(dir_ / "cordon.db"); };
  const auto before = db_size();
  std::vector<SupervisionOp> ops(100, SupervisionOp{0, 1, "ingest", std::string(2000, 'x')});
  for (int batch = 0; batch < 30; ++batch) {  // 6 MB, 1,500 WAL pages: past the 1,000-page trigger
    auto r = (*ops_store)->commit(ops, {});
    ASSERT_TRUE(r) << r.error().message;
  }
  for (int i = 0; i < 100 && db_size() < before + 4'000'000; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_GE(db_size(), before + 4'000'000) << "the WAL was not copied back into the database file";
}

// Under sustained writes a PASSIVE checkpoint never catches up with the last frame, so the WAL
// never started over and grew with everything written (570 MB for 60,000 declarations); the
// checkpoint thread now restarts it once past 16 MiB. How far past depends on how much the
// writer adds while a checkpoint copies (34-40 MB measured on the 2-core machine), so the test
// writes far more than that and asks that the WAL never hold half of it. Before the restart
// went ahead of waiting writers (restart_gate_), one run in three reached 246 MB.
TEST_F(SqliteStoreTest, WalStaysBoundedUnderSustainedWrites) {
  const auto wal = dir_ / "cordon.db-wal";
  const AuditEntry big{0, "", "bench", "test.write", "x", "\"" + std::string(500'000, 'x') + "\""};
  std::uintmax_t largest = 0;
  // Back to back, as under intake: 250 MB (500 commits of 500 KB), or as much as 5 s allow
  // (under sanitizers), but at least 150 MB.
  const auto start = std::chrono::steady_clock::now();
  int batch = 0;
  for (; batch < 500 && (batch < 300 || std::chrono::steady_clock::now() - start < std::chrono::seconds(5)); ++batch) {
    auto r = store_->append_audit(big);
    ASSERT_TRUE(r) << r.error().message;
    largest = std::max(largest, std::filesystem::file_size(wal));
  }
  const std::uintmax_t written = batch * 500'000u;
  EXPECT_LT(largest, written / 2) << "the WAL grew with everything written (" << written / 1'000'000 << " MB)";
}

// Databases made before migration 4 kept parties, goods items, containers and vehicles in
// tables of their own; the migration moves what the filters need into declaration_keys.
TEST_F(SqliteStoreTest, MigrationFourKeepsOldDeclarationsFindable) {
  store_.reset();
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "cordon.db").c_str(), &db), SQLITE_OK);
  auto v3 = sqlite::migrations().first(3);
  ASSERT_TRUE(sqlite::apply_migrations(db, "schema_migrations", v3));
  const char* rows = R"sql(
    INSERT INTO declarations (id, reference, declarant_eori, declarant_name, kind, mode, lodged_at, received_at,
                              goods_count, content_fingerprint, document)
      VALUES (7, 'OLD-1', 'NL812345678', 'Old Ltd', 'entry_summary', 'road', '2026-01-01T00:00:00Z',
              '2026-01-01T00:00:00Z', 1, 1, '{}');
    INSERT INTO parties VALUES (7, 0, 'consignee', 'Buyer', 'LT', 'LT123456789');
    INSERT INTO goods_items VALUES (7, 0, '870321', 'JP', 1000, 5000, 'EUR');
    INSERT INTO containers VALUES ('MSKU1234565', 7, 0);
    INSERT INTO vehicles VALUES ('AB123CD', 7);
    INSERT INTO assessments VALUES (7, 'red', 2.5, '{"why":"old"}', '2026-01-01T00:00:00Z');
  )sql";
  ASSERT_EQ(sqlite3_exec(db, rows, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);

  auto opened = open_sqlite_store(dir_ / "cordon.db");
  ASSERT_TRUE(opened) << opened.error().message;
  store_ = std::move(*opened);
  auto found = [&](DeclarationFilter filter) {
    auto page = store_->list_declarations(filter);
    return page && page->items.size() == 1 && page->items[0].id == 7;
  };
  EXPECT_TRUE(found({.party_eori = "LT123456789"}));
  EXPECT_TRUE(found({.hs_prefix = "8703"}));
  EXPECT_TRUE(found({.origin_country = "JP"}));
  EXPECT_TRUE(found({.container = "MSKU1234565"}));
  EXPECT_TRUE(found({.vehicle = "AB-123 CD"}));
  EXPECT_FALSE(found({.hs_prefix = "8704"}));
  auto assessment = store_->get_assessment(7);
  ASSERT_TRUE(assessment && *assessment);
  EXPECT_EQ((*assessment)->reasons_json, R"({"why":"old"})");
}

TEST_F(SqliteStoreTest, UnopenablePathIsUnavailable) {
  auto opened = open_sqlite_store("/proc/cordon/nope.db");
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, StoreError::Code::kUnavailable);
}

}  // namespace
}  // namespace cordon::store

namespace cordon::store {
namespace {

TEST_F(SqliteStoreTest, UsersSessionsAndTokens) {
  User alice{"alice", "Alice A.", "$argon2id$hash", {"risk_analyst"}, {"LT000001"}, false, 0, "", ""};
  ASSERT_TRUE(store_->create_user(alice));
  EXPECT_EQ(store_->create_user(alice).error().code, StoreError::Code::kConflict);
  auto read = store_->get_user("alice");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->roles, std::vector<std::string>{"risk_analyst"});
  EXPECT_EQ(read->offices, std::vector<std::string>{"LT000001"});
  EXPECT_FALSE(read->created_at.empty());
  read->failed_attempts = 3;
  read->locked_until = "2030-01-01T00:00:00Z";
  read->roles.push_back("administrator");
  ASSERT_TRUE(store_->update_user(*read));
  auto updated = store_->get_user("alice");
  EXPECT_EQ(updated->failed_attempts, 3);
  EXPECT_EQ(updated->locked_until, "2030-01-01T00:00:00Z");
  EXPECT_EQ(updated->roles.size(), 2u);
  EXPECT_EQ(store_->get_user("bob").error().code, StoreError::Code::kNotFound);
  User ghost = alice;
  ghost.username = "ghost";
  EXPECT_EQ(store_->update_user(ghost).error().code, StoreError::Code::kNotFound);

  ASSERT_TRUE(store_->create_session({"h1", "alice", "csrf", "2026-01-01T00:00:00Z", "2999-01-01T00:00:00Z"}));
  EXPECT_EQ(store_->get_session("h1")->csrf_token, "csrf");
  ASSERT_TRUE(store_->delete_session("h1"));
  EXPECT_EQ(store_->get_session("h1").error().code, StoreError::Code::kNotFound);

  auto id = store_->create_token({0, "th", "ci", "alice", ""});
  ASSERT_TRUE(id);
  EXPECT_EQ(store_->find_token("th")->username, "alice");
  EXPECT_EQ(store_->list_tokens()->size(), 1u);
  ASSERT_TRUE(store_->delete_token(*id));
  EXPECT_EQ(store_->delete_token(*id).error().code, StoreError::Code::kNotFound);
  EXPECT_EQ(store_->find_token("th").error().code, StoreError::Code::kNotFound);
}

}  // namespace
}  // namespace cordon::store
