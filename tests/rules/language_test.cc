// The profile language: syntax, literals, precedence, diagnostics with positions.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "rules/rules.h"
#include "support.h"

namespace cordon::rules {
namespace {

using testing::cigarettes;
using testing::compile_errors;
using testing::compile_ok;

bool eval(const std::string& source, const Declaration& d) {
  Facts facts(d);
  return compile_ok(source).matches(facts);
}
bool eval(const std::string& source) {
  return eval(source, cigarettes());
}

TEST(Language, IssueExampleParsesAndFires) {
  const std::string source =
      R"(goods.exists(g, g.hs.startsWith("2402") && g.origin in ["VN", "AE"]) && consignee.first_seen_days < 30)";
  const CompiledProfile profile = compile_ok(source);
  const Declaration d = cigarettes();
  Facts facts(d);
  facts.party(PartyRole::kConsignee).first_seen_days = 12;
  EXPECT_TRUE(profile.matches(facts));
  facts.party(PartyRole::kConsignee).first_seen_days = 400;
  EXPECT_FALSE(profile.matches(facts));
  facts.party(PartyRole::kConsignee).first_seen_days.reset();  // unknown: comparison is false
  EXPECT_FALSE(profile.matches(facts));
  Declaration other = d;
  other.goods[1].origin_country = "ID";
  facts.declaration = &other;
  facts.party(PartyRole::kConsignee).first_seen_days = 12;
  EXPECT_FALSE(profile.matches(facts));
  EXPECT_EQ(profile.fields_used(), (std::vector<std::string>{"consignee.first_seen_days", "goods",
                                                             "goods.hs", "goods.origin"}));
}

TEST(Language, Literals) {
  EXPECT_TRUE(eval("1.5e2 == 150"));
  EXPECT_TRUE(eval("-3 < -2"));
  EXPECT_TRUE(eval("\"a\\\"b\" == 'a\"b'"));
  EXPECT_TRUE(eval(R"("tab\there".contains("\t"))"));
  EXPECT_TRUE(eval(R"("\u00e9" == "é")"));
  EXPECT_TRUE(eval("true"));
  EXPECT_FALSE(eval("false"));
  EXPECT_TRUE(eval("3 in [1, 2, 3,]"));  // trailing comma
  EXPECT_TRUE(eval("-1 in [-1, 5]"));
}

TEST(Language, Precedence) {
  EXPECT_TRUE(eval("1 + 2 * 3 == 7"));
  EXPECT_TRUE(eval("(1 + 2) * 3 == 9"));
  EXPECT_TRUE(eval("10 - 4 - 3 == 3"));  // left-associative
  EXPECT_TRUE(eval("12 / 3 / 2 == 2"));
  EXPECT_TRUE(eval("true || false && false"));  // && binds tighter than ||
  EXPECT_FALSE(eval("(true || false) && false"));
  EXPECT_TRUE(eval("!false && true"));
  EXPECT_TRUE(eval("!(1 > 2)"));
  EXPECT_TRUE(eval("- 2 * 3 == -6"));
}

TEST(Language, CommentsAndWhitespace) {
  EXPECT_TRUE(
      eval("# tobacco from Viet Nam\n"
           "goods.exists(g,   # each item\n"
           "  g.hs.startsWith(\"2402\")) # cigarettes\n"
           "&& mode == \"sea\"\n# trailing comment"));
  EXPECT_TRUE(eval("\r\n  true\r\n"));
}

TEST(Language, SyntaxErrorPointsAtLineAndColumn) {
  const Diagnostics errors = compile_errors("mode == \"sea\" &&\n  office ==");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 2);
  EXPECT_EQ(errors[0].column, 12);
  EXPECT_EQ(errors[0].message, "expected a value to compare with");
  EXPECT_EQ(errors[0].excerpt, "    office ==\n             ^");
  EXPECT_EQ(errors[0].to_string(),
            "2:12: expected a value to compare with\n    office ==\n             ^");
}

TEST(Language, SyntaxErrorMessages) {
  auto first = [](const std::string& source) { return compile_errors(source).at(0); };
  EXPECT_EQ(first("mode = \"sea\"").message, "'=' is not an operator; use == to compare");
  EXPECT_EQ(first("mode == \"sea\" & true").message, "'&' is not an operator; use && for 'and'");
  EXPECT_EQ(first("(mode == \"sea\"").message, "expected ')' (or ',' between arguments)");
  EXPECT_EQ(first("mode == \"sea").message, "unterminated string (strings end on the same line)");
  EXPECT_EQ(first("office in [\"A\" \"B\"]").message, "expected ']' (or ',' between list items)");
  EXPECT_EQ(first("consignee.").message, "expected a field or method name after '.'");
  EXPECT_EQ(first("").message, "expected a condition");
  EXPECT_EQ(first("mode == \"sea\" )").column, 15);
  EXPECT_EQ(first(R"(office == "\q")").message,
            "unknown escape; use \\\" \\' \\\\ \\/ \\n \\t \\r or \\uXXXX");
  EXPECT_EQ(first("1 < 2 < 3").column, 7);  // comparisons do not chain
  EXPECT_EQ(first("office not office").message, "expected 'in' after 'not'");
}

TEST(Language, UnknownFieldSuggestsCloseNames) {
  Diagnostics errors = compile_errors("goods.exists(g, g.hss == \"2402\")");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 1);
  EXPECT_EQ(errors[0].column, 19);
  EXPECT_EQ(errors[0].message, "unknown field g.hss (did you mean g.hs?)");
  EXPECT_EQ(errors[0].suggestions, std::vector<std::string>{"g.hs"});

  errors = compile_errors("consignee.first_seen < 30");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].suggestions.at(0), "consignee.first_seen_days");

  errors = compile_errors("true &&\nconsigne.country == \"IR\"");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 2);
  EXPECT_EQ(errors[0].suggestions.at(0), "consignee.country");

  errors = compile_errors("goods.hs.startsWith(\"2402\")");
  EXPECT_EQ(errors.at(0).message,
            "goods is a list of goods items; read its items inside a macro, e.g. goods.exists(g, "
            "g.hs ...)");
}

TEST(Language, TypeErrors) {
  auto message = [](const std::string& source) { return compile_errors(source).at(0).message; };
  EXPECT_EQ(message("consignee.country == 30"),
            "cannot compare a string with a number: consignee.country is a string, 30 is a number "
            "(quote the number: \"30\")");
  EXPECT_EQ(
      message("consignee.first_seen_days"),
      "a profile is a condition (true or false), but this is a number; compare it with something");
  EXPECT_EQ(message("g.hs == \"24\" && goods.exists(g, true)"),
            "'g' is a macro variable and exists only inside its macro, e.g. goods.exists(g, ...)");
  EXPECT_EQ(message("goods.exists(g)"),
            "exists takes 2 arguments, a variable name and a condition: exists(g, "
            "g.hs.startsWith(\"24\")); got 1");
  EXPECT_EQ(message("abs(1, 2) > 0"), "abs takes 1 argument, got 2");
  EXPECT_EQ(message("goods.exists(g, g.value)"),
            "the condition of exists must be true or false, but g.value is a number");
  EXPECT_EQ(message("mode == \"ship\""),
            "\"ship\" is not a transport mode; one of: sea, air, road, rail, postal, "
            "inland_waterway, fixed_installation");
  EXPECT_EQ(message("goods.exists(g, g.origin in [\"VN\", \"XX\"])"),
            "\"XX\" is not an ISO 3166 alpha-2 country code");
  EXPECT_EQ(message("office.startWith(\"LT\")"),
            "no method startWith on a string (did you mean startsWith?); methods: startsWith, "
            "endsWith, contains, "
            "matches, lower, upper, size");
  EXPECT_EQ(message("goods.exists(g, g == \"x\")"),
            "cannot compare a goods item with a string: g is a goods item, \"x\" is a string "
            "(compare one of its fields)");
  EXPECT_EQ(message("total_value + \"1\" > 3"), "'+' needs numbers, but \"1\" is a string");
  EXPECT_EQ(message("office in [\"A\", 1]"), "a list holds either strings or numbers, not both");
  EXPECT_EQ(message("unknownfn(1) > 0"),
            "unknown function unknownfn; functions are size, abs, min, max");
  EXPECT_EQ(message("goods.exists(goods, true)"),
            "'goods' is a field name; choose another variable name");
  EXPECT_EQ(message("goods.exists(a, goods.exists(b, goods.exists(c, goods.exists(d, true))))"),
            "macros nested deeper than 3 levels (each level multiplies the work by the length of "
            "its list)");
  EXPECT_EQ(message("goods.exists(g, goods.exists(g, true))"),
            "'g' is already the variable of an enclosing macro");
  EXPECT_EQ(message("office.matches(reference)"),
            "matches needs a literal pattern (it is checked when the profile is compiled)");
}

TEST(Language, SeveralErrorsAreReportedInSourceOrder) {
  const Diagnostics errors =
      compile_errors("consignee.nam == \"x\" &&\n  goods.exists(g, g.orign == \"VN\")");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].line, 1);
  EXPECT_EQ(errors[1].line, 2);
}

TEST(Language, MetadataIsChecked) {
  ProfileMetadata m = testing::meta("");
  m.weight = -1;
  m.valid_from = "2026-02-30";
  m.version = 0;
  auto compiled = compile_profile("true", m);
  ASSERT_FALSE(compiled);
  std::vector<std::string> fields;
  for (const Diagnostic& d : compiled.error()) fields.push_back(d.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"metadata.id", "metadata.weight", "metadata.version",
                                              "metadata.valid_from"}));
  m = testing::meta();
  m.valid_from = "2026-03-01";
  m.valid_to = "2026-02-01";
  compiled = compile_profile("true", m);
  ASSERT_FALSE(compiled);
  EXPECT_EQ(compiled.error()[0].to_string(), "metadata.valid_to: is before valid_from");
}

TEST(Language, LimitsAreErrorsNotCrashes) {
  std::string deep(200, '(');
  deep += "true";
  deep += std::string(200, ')');
  EXPECT_EQ(compile_errors(deep).at(0).message, "expression nested deeper than 64 levels");
  EXPECT_EQ(compile_errors(std::string(500, '!') + "true").at(0).message,
            "expression nested deeper than 64 levels");
  std::string chain = "1";
  for (int i = 0; i < 1000; ++i) chain += " + 1";
  chain += " > 0";
  EXPECT_NE(compile_errors(chain).at(0).message.find("nested deeper than 200"), std::string::npos);
  std::string conjunction = "true";  // long && chains are flat: fine
  for (int i = 0; i < 2000; ++i) conjunction += " && true";
  EXPECT_TRUE(eval(conjunction));
  EXPECT_NE(compile_errors(std::string(kMaxSourceBytes + 1, ' ')).at(0).message.find("limit is"),
            std::string::npos);
  EXPECT_EQ(compile_errors(std::string("true\0", 5)).at(0).message, "NUL byte in profile");
}

TEST(Language, SchemaListsEveryField) {
  const std::vector<SchemaField> fields = schema_fields();
  auto type_of = [&](const std::string& name) -> std::string {
    for (const SchemaField& f : fields) {
      if (f.name == name) return f.type;
    }
    return "absent";
  };
  EXPECT_EQ(type_of("goods"), "list of goods items");
  EXPECT_EQ(type_of("goods[].hs"), "text");
  EXPECT_EQ(type_of("goods[].containers"), "list of texts");
  EXPECT_EQ(type_of("hits[].score"), "number");
  EXPECT_EQ(type_of("consignee.first_seen_days"), "number");
  EXPECT_EQ(type_of("transport.vin_valid"), "boolean");
  EXPECT_EQ(type_of("routing.countries"), "list of texts");
}

TEST(Language, DiagnosticsAreCappedAt50) {
  std::string source = "true";
  for (int i = 0; i < 500; ++i) source += " && nosuchfield" + std::to_string(i) + " == 1";
  const Diagnostics errors = compile_errors(source);
  ASSERT_EQ(errors.size(), 51u);
  EXPECT_EQ(errors.back().to_string(), "profile: too many errors; only the first 50 are shown");
}

TEST(Language, CheckSourceWithoutMetadata) {
  EXPECT_TRUE(check_source("mode == \"air\"").empty());
  EXPECT_EQ(check_source("mode ==").size(), 1u);
}

}  // namespace
}  // namespace cordon::rules

namespace cordon::rules {
namespace {

// Every example in the analysts' reference compiles (docs/rules.md, "Examples by risk area"
// and the list macros).
TEST(Language, DocumentationExamplesCompile) {
  std::ifstream in(std::string(CORDON_SOURCE_DIR) + "/docs/rules.md");
  ASSERT_TRUE(in);
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  int compiled = 0;
  for (const std::string heading : {"## Examples by risk area", "### List macros"}) {
    const size_t section = doc.find(heading);
    ASSERT_NE(section, std::string::npos);
    const size_t start = doc.find("```\n", section) + 4;
    const size_t end = doc.find("```", start);
    std::stringstream block(doc.substr(start, end - start));
    std::string line, profile;
    auto flush = [&] {
      if (profile.find_first_not_of(" \n") != std::string::npos) {
        auto result = compile_profile(profile, testing::meta());
        EXPECT_TRUE(result) << profile << "\n" << (result ? "" : to_string(result.error()));
        ++compiled;
      }
      profile.clear();
    };
    while (std::getline(block, line)) {
      if (line.empty()) {
        flush();
        continue;
      }
      // In the macro list every line is its own profile.
      profile += line + "\n";
      if (heading == "### List macros") flush();
    }
    flush();
  }
  EXPECT_GE(compiled, 15);
}

}  // namespace
}  // namespace cordon::rules
