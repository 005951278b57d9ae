#include "core/reference_data.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <expected>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

// Defined in src/core/reference_data.cc; not in the header because only these tests need it.
namespace cordon::reference::detail {
std::expected<std::vector<std::vector<std::string>>, std::string> parse_csv(std::string_view text);
}  // namespace cordon::reference::detail

namespace cordon::reference {
namespace {

using detail::parse_csv;
using Rows = std::vector<std::vector<std::string>>;

// --- CSV parser ----------------------------------------------------------------------------

TEST(Csv, SplitsPlainRecords) {
  EXPECT_EQ(parse_csv("a,b,c\n1,2,3\n"), (Rows{{"a", "b", "c"}, {"1", "2", "3"}}));
  EXPECT_EQ(parse_csv("a,b\n1,2"), (Rows{{"a", "b"}, {"1", "2"}}));  // no final newline
  EXPECT_EQ(parse_csv(""), Rows{});
  EXPECT_EQ(parse_csv("\n\n"), Rows{});
  EXPECT_EQ(parse_csv("a,,c\n,,\n"), (Rows{{"a", "", "c"}, {"", "", ""}}));
  EXPECT_EQ(parse_csv("a,"), (Rows{{"a", ""}}));
}

TEST(Csv, HandlesQuotedFields) {
  EXPECT_EQ(parse_csv("I,0101,\"Horses, asses, mules and hinnies; live\",01,4\n"),
            (Rows{{"I", "0101", "Horses, asses, mules and hinnies; live", "01", "4"}}));
  EXPECT_EQ(parse_csv("\"\"\"A\"\" Account\",ESB\n"), (Rows{{"\"A\" Account", "ESB"}}));
  EXPECT_EQ(parse_csv("\"two\nlines\",x\n"), (Rows{{"two\nlines", "x"}}));
  EXPECT_EQ(parse_csv("\"\",x"), (Rows{{"", "x"}}));
  EXPECT_EQ(parse_csv("x,\"\""), (Rows{{"x", ""}}));
  EXPECT_EQ(parse_csv("a\"b,c"), (Rows{{"a\"b", "c"}}));  // stray quote kept as text
}

TEST(Csv, ToleratesCrlfLoneCrAndBom) {
  EXPECT_EQ(parse_csv("\xEF\xBB\xBFsection,name\r\nI,\"live, animals\"\r\n"),
            (Rows{{"section", "name"}, {"I", "live, animals"}}));
  EXPECT_EQ(parse_csv("a\rb\r\n\r\nc"), (Rows{{"a"}, {"b"}, {"c"}}));
  // A BOM is only special at the very start.
  EXPECT_EQ(parse_csv("a\n\xEF\xBB\xBF"
                      "b"),
            (Rows{{"a"},
                  {"\xEF\xBB\xBF"
                   "b"}}));
}

TEST(Csv, RejectsMalformedQuoting) {
  EXPECT_FALSE(parse_csv("a,\"unterminated\n"));
  EXPECT_FALSE(parse_csv("\""));
  EXPECT_FALSE(parse_csv("\"closed\"junk,b\n"));
  EXPECT_NE(parse_csv("x\n\"open").error().find("line 2"), std::string::npos);
}

// --- HS 2022 -------------------------------------------------------------------------------

TEST(Hs, FindsChaptersHeadingsAndSubheadings) {
  const HsEntry* chapter = find_hs("01");
  ASSERT_NE(chapter, nullptr);
  EXPECT_EQ(chapter->description, "Animals; live");
  const HsEntry* heading = find_hs("0101");
  ASSERT_NE(heading, nullptr);
  EXPECT_EQ(heading->description, "Horses, asses, mules and hinnies; live");
  const HsEntry* subheading = find_hs("010121");
  ASSERT_NE(subheading, nullptr);
  EXPECT_EQ(subheading->code, "010121");
  EXPECT_EQ(subheading->description, "Horses; live, pure-bred breeding animals");
  EXPECT_EQ(subheading->section, "I");
  const HsEntry* antiques = find_hs("970690");
  ASSERT_NE(antiques, nullptr);
  EXPECT_EQ(antiques->section, "XXI");
}

TEST(Hs, MissesWhatIsNotInTheNomenclature) {
  for (std::string_view code : {"", "0", "010", "01012", "0101210", "01012100", "999999", "9999",
                                "99", "TOTAL", "000000", "010199", "7701"}) {
    EXPECT_EQ(find_hs(code), nullptr) << code;
  }
}

TEST(Hs, SubheadingsAreCompleteAndOrdered) {
  const auto subheadings = hs_subheadings();
  // HS 2022 has 5,612 subheadings; the upstream file's 999999 aggregate is left out.
  EXPECT_EQ(subheadings.size(), 5612u);
  EXPECT_TRUE(std::ranges::is_sorted(subheadings, {}, &HsEntry::code));
  EXPECT_TRUE(std::ranges::all_of(subheadings, [](const HsEntry& e) {
    return e.code.size() == 6 && !e.description.empty() && !e.section.empty();
  }));
  EXPECT_EQ(subheadings.front().code, "010121");
  EXPECT_EQ(subheadings.back().code, "970690");
  for (const HsEntry& entry : subheadings) ASSERT_EQ(find_hs(entry.code), &entry);
}

// --- ISO 3166 ------------------------------------------------------------------------------

TEST(Countries, FindsCountriesWithNameCurrencyAndRegion) {
  const Country* lithuania = find_country("LT");
  ASSERT_NE(lithuania, nullptr);
  EXPECT_EQ(lithuania->alpha2, "LT");
  EXPECT_EQ(lithuania->name, "Lithuania");
  EXPECT_EQ(lithuania->currency, "EUR");
  EXPECT_EQ(lithuania->region, "Europe");
  // Namibia's code must not be read as "not available".
  const Country* namibia = find_country("NA");
  ASSERT_NE(namibia, nullptr);
  EXPECT_EQ(namibia->currency, "NAD");  // first of "NAD,ZAR"
  EXPECT_EQ(namibia->region, "Africa");
  const Country* china = find_country("CN");
  ASSERT_NE(china, nullptr);
  EXPECT_EQ(china->currency, "CNY");
  EXPECT_EQ(china->region, "Asia");
}

TEST(Countries, MissesUnassignedAndMalformedCodes) {
  for (std::string_view code :
       {"", "X", "XX", "ZZ", "XI", "EU", "lt", "Lt", "LTU", "L1", "\xC3\x84"}) {
    EXPECT_EQ(find_country(code), nullptr) << code;
  }
}

TEST(Countries, ListIsSortedAndComplete) {
  const auto all = countries();
  EXPECT_EQ(all.size(), 249u);  // every ISO 3166-1 assignment in the upstream file
  EXPECT_TRUE(std::ranges::is_sorted(all, {}, &Country::alpha2));
  for (const Country& country : all) {
    EXPECT_EQ(country.alpha2.size(), 2u);
    EXPECT_FALSE(country.name.empty()) << country.alpha2;
    EXPECT_TRUE(country.currency.empty() || country.currency.size() == 3u) << country.alpha2;
    ASSERT_EQ(find_country(country.alpha2), &country);
  }
}

// --- ISO 4217 ------------------------------------------------------------------------------

TEST(Currencies, KnowsCurrentCodesOnly) {
  for (std::string_view code : {"EUR", "USD", "GBP", "CNY", "NAD", "ZAR", "XAU", "CHE"}) {
    EXPECT_TRUE(is_currency(code)) << code;
  }
  for (std::string_view code :
       {"", "XYZ", "DEM", "LTL", "FRF", "eur", "EU", "EURO", "E1R", "\xE2\x82\xAC"}) {
    EXPECT_FALSE(is_currency(code)) << code;
  }
}

TEST(Currencies, EveryCountryCurrencyIsCurrent) {
  for (const Country& country : countries()) {
    if (!country.currency.empty()) {
      EXPECT_TRUE(is_currency(country.currency)) << country.alpha2;
    }
  }
}

// --- thread-safety -------------------------------------------------------------------------

// The first use builds the tables; C++ guarantees one initialisation of a function-local static
// even when threads race to it. This runs under TSan-less CI too, so it checks results, not races.
TEST(ReferenceData, ConcurrentLookupsAgree) {
  std::vector<std::thread> threads;
  std::vector<int> found(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&found, t] {
      for (int i = 0; i < 1000; ++i) {
        found[t] += find_hs("010121") != nullptr;
        found[t] += find_country("LT") != nullptr;
        found[t] += is_currency("EUR");
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const int count : found) EXPECT_EQ(count, 3000);
}

}  // namespace
}  // namespace cordon::reference
