#include "core/identifiers.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "core/field_error.h"

namespace cordon::ids {
namespace {

// The rule a value breaks, or "" when it is valid: keeps each expectation on one line.
std::string rule_of(const Check& check) { return check ? "" : check.error().rule; }
std::string message_of(const Check& check) { return check ? "" : check.error().message; }

// --- messages (field_error.cc has no test file of its own) -------------------------------

TEST(FieldError, ToStringPrefixesThePath) {
  EXPECT_EQ((FieldError{"goods[3].containers[0]", "iso6346_check_digit", "bad"}).to_string(),
            "goods[3].containers[0]: bad");
  EXPECT_EQ((FieldError{"", "json_syntax", "not JSON"}).to_string(), "not JSON");
}

TEST(QuoteValue, QuotesAndEscapesLikeJson) {
  EXPECT_EQ(quote_value("MSKU1234566"), "\"MSKU1234566\"");
  EXPECT_EQ(quote_value(""), "\"\"");
  EXPECT_EQ(quote_value("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(quote_value("line\nforged: ok\r\t"), "\"line\\nforged: ok\\r\\t\"");
  EXPECT_EQ(quote_value(std::string_view("a\0b\x1b\x7f", 5)), "\"a\\u0000b\\u001b\\u007f\"");
  EXPECT_EQ(quote_value("Vilnius \xC5\xBE"
                        "algiris"),
            "\"Vilnius \xC5\xBE"
            "algiris\"");  // UTF-8 kept
  EXPECT_EQ(quote_value("\xE2\x80\xAE"
                        "evil"),
            "\"\\u202eevil\"");                       // bidi override escaped
  EXPECT_EQ(quote_value("\xC2\x85"), "\"\\u0085\"");  // C1 next-line escaped
}

TEST(QuoteValue, ReplacesInvalidUtf8) {
  EXPECT_EQ(quote_value("a\xFF"
                        "b"),
            "\"a\xEF\xBF\xBD"
            "b\"");
  EXPECT_EQ(quote_value("\xC3"), "\"\xEF\xBF\xBD\"");                  // truncated sequence
  EXPECT_EQ(quote_value("\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");  // overlong '/'
  EXPECT_EQ(quote_value("\xED\xA0\x80"),
            "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // UTF-16 surrogate
}

TEST(QuoteValue, CutsLongValues) {
  const std::string sixty_four(64, 'A');
  EXPECT_EQ(quote_value(sixty_four), "\"" + sixty_four + "\"");
  EXPECT_EQ(quote_value(sixty_four + "B"), "\"" + sixty_four + "\xE2\x80\xA6\"");
  EXPECT_EQ(quote_value(std::string(1'000'000, 'A')), "\"" + sixty_four + "\xE2\x80\xA6\"");
  // Characters, not bytes, are counted, so a multi-byte character is never split.
  std::string accents;
  for (int i = 0; i < 70; ++i) accents += "\xC3\xA9";
  const std::string quoted = quote_value(accents);
  EXPECT_EQ(quoted, "\"" + accents.substr(0, 128) + "\xE2\x80\xA6\"");
}

// --- ISO 6346 ------------------------------------------------------------------------------

TEST(ContainerNumber, AcceptsPublishedExamples) {
  EXPECT_EQ(rule_of(check_container_number("CSQU3054383")), "");  // ISO 6346's own example
  EXPECT_EQ(rule_of(check_container_number("MSKU1234565")), "");
  EXPECT_EQ(rule_of(check_container_number("TGHU1000050")), "");  // remainder 10 -> digit 0
}

TEST(ContainerNumber, ComputesCheckDigitByHand) {
  // M=24 S=30 K=21 U=32 then 1 2 3 4 5 6, weights 1 2 4 .. 512:
  // 24 + 60 + 84 + 256 + 16 + 64 + 192 + 512 + 1280 + 3072 = 5560; 5560 mod 11 = 5.
  EXPECT_EQ(iso6346_check_digit("MSKU123456"), 5);
  EXPECT_EQ(iso6346_check_digit("CSQU305438"), 3);
  EXPECT_EQ(iso6346_check_digit("MSKU12345"), std::nullopt);
  EXPECT_EQ(iso6346_check_digit("MSK1123456"), std::nullopt);
  EXPECT_EQ(iso6346_check_digit(""), std::nullopt);
}

TEST(ContainerNumber, WrongCheckDigitNamesTheExpectedOne) {
  const Check check = check_container_number("MSKU1234566");
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().rule, "iso6346_check_digit");
  EXPECT_EQ(check.error().message, "\"MSKU1234566\" fails the ISO 6346 check digit (expected 5)");
}

TEST(ContainerNumber, RejectsBadLayout) {
  for (std::string_view bad : {"", "CSQU305438", "CSQU30543833", "csqu3054383", "CSQX3054383",
                               "CSQU305438A", "CS1U3054383", "CSQU 3054383", "CSQU-305438-3"}) {
    EXPECT_EQ(rule_of(check_container_number(bad)), "iso6346_format") << bad;
  }
  EXPECT_EQ(rule_of(check_container_number("CSQJ3054383")), "iso6346_check_digit");
}

// --- VIN -----------------------------------------------------------------------------------

TEST(Vin, AcceptsValidNumbers) {
  EXPECT_EQ(rule_of(check_vin("1M8GDM9AXKP042788")), "");  // the classic 49 CFR 565 example
  EXPECT_EQ(rule_of(check_vin("11111111111111111")), "");
  EXPECT_EQ(vin_check_digit("1M8GDM9AXKP042788"), 'X');
  EXPECT_EQ(vin_check_digit("11111111111111111"), '1');
}

TEST(Vin, NorthAmericanCheckDigitIsEnforced) {
  const Check check = check_vin("1M8GDM9A1KP042788");
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().rule, "vin_check_digit");
  EXPECT_EQ(check.error().message, "\"1M8GDM9A1KP042788\" fails the VIN check digit (expected X)");
  // China (WMI starting with L) makes the check digit mandatory too.
  const char expected = *vin_check_digit("LSVAB4187C2000001");
  std::string chinese = "LSVAB4187C2000001";
  chinese[8] = expected == '0' ? '1' : '0';
  EXPECT_EQ(rule_of(check_vin(chinese)), "vin_check_digit");
  chinese[8] = expected;
  EXPECT_EQ(rule_of(check_vin(chinese)), "");
}

TEST(Vin, EuropeanCheckDigitIsNotTested) {
  // Position 9 is free for European manufacturers; a 'Z' filler is common there.
  EXPECT_EQ(rule_of(check_vin("WVWZZZ1JZXW000001")), "");
  EXPECT_NE(vin_check_digit("WVWZZZ1JZXW000001"), 'Z');
  EXPECT_EQ(rule_of(check_vin("VF1AB000123456789")), "");
}

TEST(Vin, LengthAndCharacterRulesAreDistinct) {
  EXPECT_EQ(rule_of(check_vin("")), "vin_length");
  EXPECT_EQ(rule_of(check_vin("1M8GDM9AXKP04278")), "vin_length");
  EXPECT_EQ(rule_of(check_vin("1M8GDM9AXKP0427888")), "vin_length");
  EXPECT_EQ(message_of(check_vin("ABC")),
            "\"ABC\" is not a VIN: it has 3 characters, a VIN has 17");
  EXPECT_EQ(rule_of(check_vin("1M8GDM9AXKP04278O")), "vin_characters");
  EXPECT_EQ(rule_of(check_vin("IM8GDM9AXKP042788")), "vin_characters");
  EXPECT_EQ(rule_of(check_vin("1M8GDM9AXKQ042788")), "vin_characters");
  EXPECT_EQ(rule_of(check_vin("1m8gdm9axkp042788")), "vin_characters");
  EXPECT_EQ(rule_of(check_vin("1M8GDM9AXKP04278-")), "vin_characters");
  EXPECT_EQ(message_of(check_vin("1M8GDM9AXKP04278O")),
            "\"1M8GDM9AXKP04278O\" is not a VIN: the letter O at position 17 is not allowed "
            "(VINs never use I, O or Q)");
  EXPECT_EQ(vin_check_digit("1M8GDM9AXKP04278O"), std::nullopt);
  EXPECT_EQ(vin_check_digit("short"), std::nullopt);
}

// --- IMO -----------------------------------------------------------------------------------

TEST(Imo, AcceptsNumberWithAndWithoutPrefix) {
  EXPECT_EQ(rule_of(check_imo_number("9074729")), "");
  EXPECT_EQ(rule_of(check_imo_number("IMO 9074729")), "");
  EXPECT_EQ(rule_of(check_imo_number("IMO9074729")), "");
}

TEST(Imo, WrongCheckDigitNamesTheExpectedOne) {
  // 9*7 + 0*6 + 7*5 + 4*4 + 7*3 + 2*2 = 139, so the check digit is 9.
  const Check check = check_imo_number("9074728");
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().rule, "imo_check_digit");
  EXPECT_EQ(check.error().message, "\"9074728\" fails the IMO check digit (expected 9)");
}

TEST(Imo, RejectsBadFormat) {
  for (std::string_view bad : {"", "IMO", "IMO ", "907472", "90747290", "IMO  9074729",
                               "imo 9074729", "9O74729", "IMO-9074729", " 9074729"}) {
    EXPECT_EQ(rule_of(check_imo_number(bad)), "imo_format") << bad;
  }
}

// --- EORI ----------------------------------------------------------------------------------

TEST(Eori, AcceptsCountryAndUpToFifteenCharacters) {
  EXPECT_EQ(rule_of(check_eori("DE123456789012345")), "");  // 15 after the country
  EXPECT_EQ(rule_of(check_eori("GB123456789000")), "");
  EXPECT_EQ(rule_of(check_eori("XI123456789000")), "");  // Northern Ireland
  EXPECT_EQ(rule_of(check_eori("FR1")), "");
  EXPECT_EQ(rule_of(check_eori("NLABC123")), "");
}

TEST(Eori, RejectsBadFormatAndUnknownCountry) {
  EXPECT_EQ(rule_of(check_eori("DE1234567890123456")), "eori_format");  // 16 after the country
  EXPECT_EQ(rule_of(check_eori("DE123456789012345?")), "eori_format");
  EXPECT_EQ(rule_of(check_eori("DE")), "eori_format");
  EXPECT_EQ(rule_of(check_eori("")), "eori_format");
  EXPECT_EQ(rule_of(check_eori("de123456789")), "eori_format");
  EXPECT_EQ(rule_of(check_eori("DE 123456789")), "eori_format");
  EXPECT_EQ(rule_of(check_eori("12345678")), "eori_format");
  EXPECT_EQ(rule_of(check_eori("QQ123456789")), "eori_country");
  EXPECT_EQ(message_of(check_eori("QQ123456789")),
            "\"QQ123456789\" is not an EORI number: \"QQ\" is not an ISO 3166 code");
}

// --- HS ------------------------------------------------------------------------------------

TEST(HsCode, AcceptsSubheadingsAndNationalExtensions) {
  EXPECT_EQ(rule_of(check_hs_code("010121")), "");
  EXPECT_EQ(rule_of(check_hs_code("01012100")), "");
  EXPECT_EQ(rule_of(check_hs_code("0101210000")), "");
  EXPECT_EQ(rule_of(check_hs_code("970690")), "");  // last subheading of HS 2022
}

TEST(HsCode, RejectsUnknownSubheadings) {
  EXPECT_EQ(rule_of(check_hs_code("999999")), "hs_unknown");
  EXPECT_EQ(message_of(check_hs_code("999999")), "\"999999\" is not in the HS 2022 nomenclature");
  EXPECT_EQ(rule_of(check_hs_code("0101990000")), "hs_unknown");
  EXPECT_EQ(message_of(check_hs_code("0101990000")),
            "\"0101990000\" is not in the HS 2022 nomenclature: subheading 010199 does not exist");
  EXPECT_EQ(rule_of(check_hs_code("000000")), "hs_unknown");
}

TEST(HsCode, RejectsBadFormat) {
  EXPECT_EQ(rule_of(check_hs_code("12345")), "hs_format");
  EXPECT_EQ(rule_of(check_hs_code("01012100000")), "hs_format");
  EXPECT_EQ(rule_of(check_hs_code("")), "hs_format");
  EXPECT_EQ(rule_of(check_hs_code("01012a")), "hs_format");
  EXPECT_EQ(message_of(check_hs_code("01012a")),
            "\"01012a\" is not an HS code: only digits are allowed");
  EXPECT_EQ(rule_of(check_hs_code("0101.21")), "hs_format");
  EXPECT_EQ(rule_of(check_hs_code(" 010121")), "hs_format");
  EXPECT_EQ(rule_of(check_hs_code("-10121")), "hs_format");
}

// --- ISO 3166, ISO 4217 --------------------------------------------------------------------

TEST(Country, AcceptsAssignedCodes) {
  for (std::string_view code : {"LT", "DE", "GB", "NA", "CN", "US"}) {
    EXPECT_EQ(rule_of(check_country(code)), "") << code;
  }
}

TEST(Country, RejectsUnknownAndLowerCase) {
  const Check check = check_country("XX");
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().rule, "iso3166");
  EXPECT_EQ(check.error().message, "\"XX\" is not an ISO 3166 code");
  EXPECT_EQ(rule_of(check_country("lt")), "iso3166");
  EXPECT_EQ(message_of(check_country("lt")),
            "\"lt\" is not an ISO 3166 code (country codes are upper case)");
  EXPECT_EQ(rule_of(check_country("")), "iso3166");
  EXPECT_EQ(rule_of(check_country("LTU")), "iso3166");
  EXPECT_EQ(rule_of(check_country("XI")), "iso3166");  // only EORI and offices accept XI
  EXPECT_EQ(rule_of(check_country("L")), "iso3166");
}

TEST(Currency, AcceptsCurrentCodes) {
  for (std::string_view code : {"EUR", "USD", "GBP", "CNY", "CHF", "JPY"}) {
    EXPECT_EQ(rule_of(check_currency(code)), "") << code;
  }
}

TEST(Currency, RejectsUnknownWithdrawnAndLowerCase) {
  EXPECT_EQ(rule_of(check_currency("XYZ")), "iso4217");
  EXPECT_EQ(message_of(check_currency("XYZ")), "\"XYZ\" is not an ISO 4217 currency code");
  EXPECT_EQ(rule_of(check_currency("DEM")), "iso4217");  // Deutsche Mark, withdrawn
  EXPECT_EQ(rule_of(check_currency("LTL")), "iso4217");  // Litas, withdrawn 2015
  EXPECT_EQ(rule_of(check_currency("eur")), "iso4217");
  EXPECT_EQ(message_of(check_currency("eur")),
            "\"eur\" is not an ISO 4217 currency code (currency codes are upper case)");
  EXPECT_EQ(rule_of(check_currency("")), "iso4217");
  EXPECT_EQ(rule_of(check_currency("EURO")), "iso4217");
}

// --- UN/LOCODE, customs offices ------------------------------------------------------------

TEST(Unlocode, AcceptsWithAndWithoutSpace) {
  EXPECT_EQ(rule_of(check_unlocode("CNSHA")), "");
  EXPECT_EQ(rule_of(check_unlocode("CN SHA")), "");
  EXPECT_EQ(rule_of(check_unlocode("NLRTM")), "");
  EXPECT_EQ(rule_of(check_unlocode("DEHAM")), "");
  EXPECT_EQ(rule_of(check_unlocode("US2AB")), "");
}

TEST(Unlocode, RejectsBadCountryAndCharacters) {
  EXPECT_EQ(rule_of(check_unlocode("ZZABC")), "unlocode_country");
  EXPECT_EQ(message_of(check_unlocode("ZZABC")),
            "\"ZZABC\" is not a UN/LOCODE: \"ZZ\" is not an ISO 3166 code");
  EXPECT_EQ(rule_of(check_unlocode("CNSH1")), "unlocode_format");
  EXPECT_EQ(rule_of(check_unlocode("CNSH0")), "unlocode_format");
  for (std::string_view bad : {"", "CN", "CNSH", "CNSHAA", "CN  SHA", "CN-SHA", "cnsha", "C1SHA"}) {
    EXPECT_EQ(rule_of(check_unlocode(bad)), "unlocode_format") << bad;
  }
}

TEST(CustomsOffice, AcceptsReferenceNumbers) {
  EXPECT_EQ(rule_of(check_customs_office("BE101000")), "");
  EXPECT_EQ(rule_of(check_customs_office("NL000396")), "");
  EXPECT_EQ(rule_of(check_customs_office("XI000142")), "");
  EXPECT_EQ(rule_of(check_customs_office("DE00A1B2")), "");
}

TEST(CustomsOffice, RejectsBadFormatAndCountry) {
  for (std::string_view bad : {"", "BE10100", "BE1010000", "be101000", "BE 10100", "1E101000"}) {
    EXPECT_EQ(rule_of(check_customs_office(bad)), "customs_office_format") << bad;
  }
  EXPECT_EQ(rule_of(check_customs_office("ZZ101000")), "customs_office_country");
}

// --- plates --------------------------------------------------------------------------------

TEST(Plate, Normalizes) {
  EXPECT_EQ(normalize_plate("ab-123 cd"), "AB123CD");
  EXPECT_EQ(normalize_plate("B.MW 1234"), "BMW1234");
  EXPECT_EQ(normalize_plate(""), "");
  EXPECT_EQ(normalize_plate(" - . "), "");
  EXPECT_EQ(normalize_plate("\xD0\x90\xD0\x92 123"),
            "\xD0\x90\xD0\x92"
            "123");  // Cyrillic kept
}

// --- hostile input -------------------------------------------------------------------------

// Every validator, on input meant to break it: nothing crashes (the sanitizers watch), every
// failure names a rule, and the message stays short and valid for a JSON string.
TEST(HostileInput, NoValidatorCrashesOrEchoesTheWholeValue) {
  const std::string long_value(100'000, 'A');
  const std::string nul_bytes("CSQU\0\0\0\0\0\0\0", 11);
  const std::string long_digits(1'000, '9');
  const std::string inputs[] = {
      "",
      long_value,
      long_digits,
      nul_bytes,
      "\xFF\xFE\xFD",
      "\xC3\xA9\xC3\xA9\xC3\xA9",
      "IMO",
      "IMO ",
      "\n\r\t",
      "\"\\",
      "CN \xE2\x80\xAE"
      "ABC",
      std::string(17, '\x80'),
      std::string(11, '\xFF'),
      std::string(8, '\0'),
  };
  using Validator = Check (*)(std::string_view);
  const Validator validators[] = {
      check_container_number, check_vin,      check_imo_number, check_eori,          check_hs_code,
      check_country,          check_currency, check_unlocode,   check_customs_office};
  for (const std::string& input : inputs) {
    for (const Validator validate : validators) {
      const Check check = validate(input);
      if (check) continue;  // "IMO" is a valid EORI number (Isle of Man), for one
      EXPECT_FALSE(check.error().rule.empty());
      EXPECT_LT(check.error().message.size(), 400u);
      EXPECT_EQ(check.error().message.find('\n'), std::string::npos);
      EXPECT_EQ(check.error().message.find('\0'), std::string::npos);
    }
    (void)normalize_plate(input);
    (void)iso6346_check_digit(input);
    (void)vin_check_digit(input);
  }
}

}  // namespace
}  // namespace cordon::ids
