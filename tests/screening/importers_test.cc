#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "screening/screening.h"

namespace cordon::screening {
namespace {

const std::filesystem::path kShared = std::filesystem::path(CORDON_SOURCE_DIR) / ".." / "shared" / "datasets" / "screening";
const std::filesystem::path kData = std::filesystem::path(CORDON_SOURCE_DIR) / "tests" / "data" / "screening";

const WatchlistEntity* find(const Entities& list, std::string_view id) {
  auto it = std::ranges::find_if(list, [&](const WatchlistEntity& e) { return e.id == id; });
  return it == list.end() ? nullptr : &*it;
}

bool has_name(const WatchlistEntity& e, std::string_view name) {
  return std::ranges::any_of(e.names, [&](const EntityName& n) { return n.name == name; });
}

bool has_identifier(const WatchlistEntity& e, IdentifierType type, std::string_view value) {
  return std::ranges::any_of(e.identifiers, [&](const Identifier& i) { return i.type == type && i.value == value; });
}

TEST(OfacImport, SampleCountsAliasesAndIdentifiers) {
  if (!std::filesystem::exists(kShared / "ofac-sdn-2019" / "sdn.csv")) GTEST_SKIP() << "no sample lists";
  auto list = read_list(kShared / "ofac-sdn-2019", ListFormat::kOfacSdn);
  ASSERT_TRUE(list) << list.error().to_string();
  // Counted independently: `grep -c '^[0-9]\+,' sdn.csv` = 7379 rows, one per ent_num;
  // `grep -c ',"individual",'` = 3845, `,"vessel",` = 323, `,"aircraft",` = 217, the rest 2994.
  EXPECT_EQ(list->size(), 7379U);
  auto count = [&](EntityType t) { return std::ranges::count_if(*list, [&](const auto& e) { return e.type == t; }); };
  EXPECT_EQ(count(EntityType::kPerson), 3845);
  EXPECT_EQ(count(EntityType::kVessel), 323);
  EXPECT_EQ(count(EntityType::kAircraft), 217);
  EXPECT_EQ(count(EntityType::kOrganisation), 2994);
  // alt.csv has 9682 rows for 3196 entities; every one is attached (an alias equal to the
  // primary name is not repeated).
  std::size_t aliases = 0;
  for (const auto& e : *list) aliases += e.names.size() - 1;
  EXPECT_GE(aliases, 9600U);
  EXPECT_LE(aliases, 9682U);

  const auto* bnc = find(*list, "306");
  ASSERT_NE(bnc, nullptr);
  EXPECT_EQ(bnc->names.front().name, "BANCO NACIONAL DE CUBA");
  EXPECT_TRUE(has_name(*bnc, "NATIONAL BANK OF CUBA"));
  EXPECT_TRUE(std::ranges::any_of(bnc->addresses, [](const auto& a) { return a.country == "CH"; }));
  EXPECT_EQ(bnc->programme, "CUBA");

  const auto* zawahiri = find(*list, "2676");
  ASSERT_NE(zawahiri, nullptr);
  EXPECT_EQ(zawahiri->type, EntityType::kPerson);
  EXPECT_NE(std::ranges::find(zawahiri->dates_of_birth, "1951-06-19"), zawahiri->dates_of_birth.end());
  EXPECT_TRUE(has_identifier(*zawahiri, IdentifierType::kPassport, "1084010"));

  const auto* artavil = find(*list, "15036");
  ASSERT_NE(artavil, nullptr);
  EXPECT_EQ(artavil->type, EntityType::kVessel);
  EXPECT_TRUE(has_identifier(*artavil, IdentifierType::kImo, "9187629"));
}

TEST(UnImport, SampleCountsAliasesAndIdentifiers) {
  if (!std::filesystem::exists(kShared / "un" / "UN_consolidated.xml")) GTEST_SKIP() << "no sample lists";
  auto list = read_list(kShared / "un" / "UN_consolidated.xml", ListFormat::kUnXml);
  ASSERT_TRUE(list) << list.error().to_string();
  // `grep -c '<INDIVIDUAL>'` = 730, `grep -c '<ENTITY>'` = 273.
  EXPECT_EQ(list->size(), 1003U);
  EXPECT_EQ(std::ranges::count_if(*list, [](const auto& e) { return e.type == EntityType::kPerson; }), 730);
  const auto* badege = find(*list, "CDi.001");
  ASSERT_NE(badege, nullptr);
  EXPECT_EQ(badege->names.front().name, "ERIC BADEGE");
  EXPECT_EQ(badege->dates_of_birth, std::vector<std::string>{"1971"});
  EXPECT_EQ(badege->nationalities, std::vector<std::string>{"CD"});
  EXPECT_EQ(badege->programme, "DRC");
  const auto* saddam = find(*list, "IQi.001");
  ASSERT_NE(saddam, nullptr);
  EXPECT_TRUE(std::ranges::any_of(saddam->names, [](const auto& n) { return n.script == "Arab"; }));
  const auto* adf = find(*list, "CDe.001");
  ASSERT_NE(adf, nullptr);
  EXPECT_TRUE(has_name(*adf, "Allied Democratic Forces"));
  std::size_t documents = 0;
  for (const auto& e : *list) documents += e.identifiers.size();
  EXPECT_GT(documents, 300U);  // 454 <NUMBER> elements, some empty
}

TEST(EuImport, HandMadeFixture) {
  auto list = read_list(kData / "eu_sample.xml", ListFormat::kEuXml);
  ASSERT_TRUE(list) << list.error().to_string();
  ASSERT_EQ(list->size(), 2U);
  const auto& p = (*list)[0];
  EXPECT_EQ(p.id, "9001");
  EXPECT_EQ(p.type, EntityType::kPerson);
  EXPECT_EQ(p.names.size(), 2U);
  EXPECT_EQ(p.names[1].script, "Cyrl");
  EXPECT_EQ(p.dates_of_birth, std::vector<std::string>{"1968-02-11"});
  EXPECT_EQ(p.nationalities, std::vector<std::string>{"RU"});
  EXPECT_TRUE(has_identifier(p, IdentifierType::kPassport, "753123456"));
  EXPECT_EQ(p.programme, "UKR");
  EXPECT_EQ(p.listed_on, "2022-03-15");
  EXPECT_EQ((*list)[1].type, EntityType::kOrganisation);
  EXPECT_EQ((*list)[1].names[2].quality, "weak");
}

TEST(CordonImport, CsvAndNdjson) {
  auto csv = read_list(kData / "national.csv", ListFormat::kCordonCsv, "LT-NATIONAL");
  ASSERT_TRUE(csv) << csv.error().to_string();
  ASSERT_EQ(csv->size(), 4U);
  EXPECT_TRUE(has_identifier((*csv)[0], IdentifierType::kPlate, "B-AB 1234"));
  EXPECT_EQ((*csv)[0].identifiers[0].country, "DE");
  EXPECT_EQ((*csv)[0].instruction, "Stop the vehicle; seize it and inform the police");
  EXPECT_EQ((*csv)[2].names.size(), 3U);
  auto nd = read_list(kData / "national.ndjson", ListFormat::kCordonNdjson, "LT-NATIONAL");
  ASSERT_TRUE(nd) << nd.error().to_string();
  ASSERT_EQ(nd->size(), 3U);
  EXPECT_EQ((*nd)[2].names[1].script, "Cyrl");  // the simulation's watchlist.ndjson layout
  EXPECT_EQ((*nd)[2].dates_of_birth, std::vector<std::string>{"1971-05-02"});
}

TEST(MalformedLists, RefusedWithLineOrElement) {
  auto ofac = parse_ofac_sdn("1,\"A\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n2,\"B\",-0-\n", "", "", "");
  ASSERT_FALSE(ofac);
  EXPECT_EQ(ofac.error().where, "sdn.csv:2");
  auto quote = parse_ofac_sdn("1,\"A,-0- \n", "", "", "");
  ASSERT_FALSE(quote);
  EXPECT_EQ(quote.error().where, "sdn.csv:1");
  auto orphan = parse_ofac_sdn("1,\"A\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n", "",
                               "9,1,\"aka\",\"B\",-0- \n", "");
  ASSERT_FALSE(orphan);
  EXPECT_EQ(orphan.error().where, "alt.csv:1");

  auto un = parse_un_xml("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME>"
                         "</INDIVIDUAL><INDIVIDUAL><DATAID>2</DATAID></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>");
  ASSERT_FALSE(un);
  EXPECT_EQ(un.error().where, "/CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL[2]/FIRST_NAME");
  auto broken = parse_un_xml("<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n</CONSOLIDATED_LIST>");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().where, "line 3");

  auto eu = parse_eu_xml("<export><sanctionEntity logicalId=\"1\"><nameAlias wholeName=\"A\"/></sanctionEntity>"
                         "<sanctionEntity logicalId=\"2\"><birthdate birthdate=\"yesterday\"/></sanctionEntity></export>");
  ASSERT_FALSE(eu);
  EXPECT_EQ(eu.error().where, "/export/sanctionEntity[2]/birthdate/@birthdate");

  auto csv = parse_cordon_csv("id,type,name\nA,person,Ivan\nB,robot,Bender\n", "L");
  ASSERT_FALSE(csv);
  EXPECT_EQ(csv.error().where, "line 3");
  auto nd = parse_cordon_ndjson("{\"id\":\"A\",\"type\":\"container\",\"identifiers\":[]}\n", "L");
  ASSERT_FALSE(nd);
  EXPECT_EQ(nd.error().to_string(), "line 1: container: a container entry needs its number");
}

TEST(MalformedLists, ActiveVersionUntouched) {
  Screener screener;
  auto good = parse_cordon_csv("id,type,name\nA,person,Ivan Petrov\n", "L");
  ASSERT_TRUE(good);
  EXPECT_EQ(screener.import_list("L", *good).version, 1);
  auto bad = parse_cordon_csv("id,type,name\nA,person\n", "L");
  ASSERT_FALSE(bad);  // never reaches the screener
  ASSERT_EQ(screener.lists().size(), 1U);
  EXPECT_EQ(screener.lists()[0].version, 1);
  EXPECT_EQ(screener.lists()[0].entity_count, 1);
}

}  // namespace
}  // namespace cordon::screening
