#include "selection/kcs.h"

#include <gtest/gtest.h>

namespace cordon::selection {
namespace {

constexpr std::string_view kHeader =
    "Declaration ID,Date,Office ID,Process Type,Import Type,Import Use,Payment Type,Mode of Transport,Declarant ID,"
    "Importer ID,Seller ID,Courier ID,HS6 Code,Country of Departure,Country of Origin,Tax Rate,Tax Type,Country of "
    "Origin Indicator,Net Mass,Item Price,Fraud,Critical Fraud";
constexpr std::string_view kGood =
    "97061800,2020-01-01,30,B,11,21,11,10,ZZR1LT6,QLRUBN9,0VKY2BR,,440890,BE,BE,0.0,FEU1,G,108.0,372254.4,1,2";

TEST(KcsCsv, ParsesAGoodLineIntoADeclaration) {
  auto r = parse_kcs_line(kGood, 2);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->declaration_id, "97061800");
  EXPECT_EQ(r->hs6, "440890");
  EXPECT_EQ(r->courier_id, "");
  EXPECT_DOUBLE_EQ(r->item_price, 372254.4);
  EXPECT_TRUE(r->fraud);
  EXPECT_EQ(r->critical_fraud, 2);
  Declaration d = to_declaration(*r);
  EXPECT_EQ(d.reference, "KCS-97061800");
  EXPECT_EQ(d.kind, DeclarationKind::kImport);
  EXPECT_EQ(d.mode, TransportMode::kSea);
  EXPECT_EQ(d.office_of_first_entry, "KR000030");
  EXPECT_EQ(d.lodged_at, "2020-01-01T00:00:00Z");
  ASSERT_NE(d.find_party(PartyRole::kConsignee), nullptr);
  EXPECT_EQ(d.find_party(PartyRole::kConsignee)->name, "KCS importer QLRUBN9");
  ASSERT_NE(d.find_party(PartyRole::kConsignor), nullptr);
  EXPECT_EQ(d.find_party(PartyRole::kCarrier), nullptr);  // no courier
  ASSERT_EQ(d.goods.size(), 1u);
  EXPECT_EQ(d.goods[0].hs_code, "440890");
  EXPECT_EQ(d.goods[0].value.currency, "KRW");
  EXPECT_EQ(d.routing.countries, std::vector<std::string>{"BE"});
}

TEST(KcsCsv, MalformedLinesNameTheLineAndColumn) {
  struct Case {
    std::string line;
    int column;
    std::string field;
  };
  std::vector<Case> cases{
      {"97061800,2020-13-01,30,B,11,21,11,10,ZZR1LT6,QLRUBN9,0VKY2BR,,440890,BE,BE,0.0,FEU1,G,108.0,372254.4,0,0", 2,
       "Date"},
      {"97061800,2020-01-01,30,B,11,21,11,10,ZZR1LT6,QLRUBN9,0VKY2BR,,44089,BE,BE,0.0,FEU1,G,108.0,372254.4,0,0", 13,
       "HS6 Code"},
      {"97061800,2020-01-01,30,B,11,21,11,10,ZZR1LT6,QLRUBN9,0VKY2BR,,440890,BE,be,0.0,FEU1,G,108.0,372254.4,0,0", 15,
       "Country of Origin"},
      {"97061800,2020-01-01,30,B,11,21,11,10,ZZR1LT6,QLRUBN9,0VKY2BR,,440890,BE,BE,x,FEU1,G,108.0,372254.4,0,0", 16,
       "Tax Rate"},
      {"97061800,2020-01-01,30,B,11,21,11,10,ZZR1LT6,QLRUBN9,0VKY2BR,,440890,BE,BE,0.0,FEU1,G,-1,372254.4,0,0", 19,
       "Net Mass"},
      {"97061800,2020-01-01,30,B,11,21,11,10,ZZR1LT6,QLRUBN9,0VKY2BR,,440890,BE,BE,0.0,FEU1,G,108.0,nan,0,0", 20,
       "Item Price"},
      {"97061800,2020-01-01,30,B,11,21,11,10,ZZR1LT6,QLRUBN9,0VKY2BR,,440890,BE,BE,0.0,FEU1,G,108.0,1,yes,0", 21,
       "Fraud"},
      {"97061800,2020-01-01,30,B,11,21,11,10,,QLRUBN9,0VKY2BR,,440890,BE,BE,0.0,FEU1,G,108.0,1,0,0", 9, "Declarant ID"},
      {"\"97061800\",2020-01-01,30,B,11,21,11,10,ZZR1LT6,QLRUBN9,0VKY2BR,,440890,BE,BE,0.0,FEU1,G,108.0,1,0,0", 1,
       "Declaration ID"},
      {"97061800,2020-01-01,30", 0, ""},
      {"", 0, ""},
  };
  for (const auto& c : cases) {
    auto r = parse_kcs_line(c.line, 7);
    ASSERT_FALSE(r) << c.line;
    EXPECT_EQ(r.error().line, 7);
    EXPECT_EQ(r.error().column, c.column) << c.line << ": " << r.error().to_string();
    EXPECT_EQ(r.error().field, c.field);
    EXPECT_NE(r.error().to_string().find("line 7"), std::string::npos);
  }
  EXPECT_EQ(parse_kcs_line(cases[1].line, 7).error().to_string(),
            "line 7, column 13 (HS6 Code): \"44089\" is not 6 digits");
}

TEST(KcsCsv, FilesNeedTheHeaderAndReportEveryBadLine) {
  std::string good = std::string(kHeader) + "\r\n" + std::string(kGood) + "\r\n" + std::string(kGood) + "\n";
  auto ok = parse_kcs_csv(good);
  ASSERT_TRUE(ok) << ok.error().front().to_string();
  EXPECT_EQ(ok->size(), 2u);

  std::string bad = std::string(kHeader) + "\n" + std::string(kGood) + "\nbroken\n" + std::string(kGood) + "\n,,\n";
  auto refused = parse_kcs_csv(bad);
  ASSERT_FALSE(refused);
  ASSERT_EQ(refused.error().size(), 2u);
  EXPECT_EQ(refused.error()[0].line, 3);
  EXPECT_EQ(refused.error()[1].line, 5);

  auto no_header = parse_kcs_csv(std::string(kGood) + "\n");
  ASSERT_FALSE(no_header);
  EXPECT_EQ(no_header.error()[0].line, 1);
  EXPECT_EQ(no_header.error()[0].column, 1);
  EXPECT_FALSE(parse_kcs_csv(""));
}

}  // namespace
}  // namespace cordon::selection
