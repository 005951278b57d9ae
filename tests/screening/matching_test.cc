#include <gtest/gtest.h>

#include <random>
#include <string>

#include "screening/matcher.h"
#include "screening/normalize.h"
#include "screening/screening.h"

namespace cordon::screening {
namespace {

TEST(Normalize, Scripts) {
  EXPECT_EQ(normalize_name("Владимир"), "VLADIMIR");
  EXPECT_EQ(normalize_name("習近平"), "XI JIN PING");
  EXPECT_EQ(normalize_name("Γεώργιος Παπαδόπουλος"), "GEORGIOS PAPADOPOULOS");
  EXPECT_EQ(normalize_name("Şahin Yılmaz"), "SAHIN YILMAZ");
  EXPECT_FALSE(normalize_name("صدام حسين").empty());
  EXPECT_EQ(normalize_name("  O'Brien-Smith, J.  "), "OBRIEN SMITH J");
  EXPECT_EQ(normalize_name("ＡＢＣ"), "ABC");  // NFKC folds full-width letters
}

TEST(Normalize, LegalFormsAndGenericWords) {
  using detail::TokenKind;
  auto kinds = [](std::string_view name) {
    std::string out;
    for (const auto& t : detail::tokenize_name(normalize_name(name))) {
      out += t.kind == TokenKind::kLegalForm ? 'L' : t.kind == TokenKind::kGeneric ? 'G' : 'N';
    }
    return out;
  };
  EXPECT_EQ(kinds("OOO Baltiyskiy Tranzit"), "LNN");
  EXPECT_EQ(kinds("CIMEX, S.A."), "NLL");
  EXPECT_EQ(kinds("Huaxin Electronics Co., Ltd."), "NNLL");
  EXPECT_EQ(kinds("Polimex Sp. z o.o."), "NLLLL");
  EXPECT_EQ(kinds("MI FEL, S. DE R.L. DE C.V."), "NNLLLLLLL");
  EXPECT_EQ(kinds("Alfa International Group GmbH"), "NGGL");
  EXPECT_EQ(kinds("UAB Baltijos prekyba"), "LNN");
}

TEST(Normalize, Identifiers) {
  EXPECT_EQ(normalize_identifier(IdentifierType::kPlate, "b-ab 1234"), "BAB1234");
  EXPECT_EQ(normalize_identifier(IdentifierType::kImo, "IMO 9187629"), "9187629");
  EXPECT_EQ(normalize_identifier(IdentifierType::kContainer, "TGHU 123456-1"), "TGHU1234561");
}

double score(std::string_view a, std::string_view b, std::optional<EntityType> t = std::nullopt) {
  return match_names(a, b, t).score;
}

constexpr double kThreshold = ScreenerOptions{}.threshold;

TEST(MatchNames, Variants) {
  EXPECT_GE(score("Владимир Путин", "Vladimir Putin"), 0.99);
  EXPECT_GE(score("Yuriy Kuznetsov", "Iouri Kouznetsov"), kThreshold);
  EXPECT_GE(score("Sidorov Ivan", "Ivan Sidorov"), 0.99);                        // swapped order
  EXPECT_GE(score("Ivan Sidorov", "Ivan Petrovich Sidorov"), kThreshold);       // dropped middle name
  EXPECT_GE(score("OOO Baltiyskiy Tranzit", "Baltiyskiy Tranzit LLC"), 0.99);   // changed legal form
  EXPECT_GE(score("Ivan Sidorvo", "Ivan Sidorov"), kThreshold);                 // typo
  EXPECT_GE(score("Ivan Sidorov", "Ivan Sidoroff"), kThreshold);
  EXPECT_GE(score("Xi Jinping", "習近平"), kThreshold);                           // split syllables
  EXPECT_GE(score("I. P. Sidorov", "Ivan Petrovich Sidorov", EntityType::kPerson), 0.75);
  EXPECT_GE(score("Saddam Hussein", "صدام حسين"), 0.6);
}

TEST(MatchNames, NonMatches) {
  EXPECT_LT(score("Ivan Sergeyevich Sidorov", "Ivan Petrovich Sidorov"), kThreshold);  // other patronymic
  EXPECT_LT(score("Oleg Sidorov", "Ivan Petrovich Sidorov"), kThreshold);              // other person
  EXPECT_LT(score("Huaxin Textile Co Ltd", "Huaxin Electronics Co Ltd"), kThreshold);  // other trade
  EXPECT_LT(score("Ningbo Huaxin Electronics", "Shenzhen Huaxin Electronics"), kThreshold);
  // Generic words do not inflate.
  EXPECT_LT(score("Alfa International Trading Group", "Beta International Trading Group"), 0.3);
  EXPECT_LT(score("Global Holding Corp", "Alfa Global Holding Corp"), kThreshold);
}

// Words that only share letters and a prefix are not typing errors of each other, and a
// name whose words are all merely alike does not score as an equal one.
TEST(MatchNames, AlikeIsNotEqual) {
  EXPECT_LT(score("Wang Yanqiang", "Wang Kunqiang"), kThreshold);
  EXPECT_LT(score("Ibrahim Cinarsoy", "Ibrahim Tunarsoy"), kThreshold);
  EXPECT_LT(score("Baltic Qupra LLC", "Baltic Quzar Ltd"), kThreshold);
  EXPECT_LT(score("Said Badawari", "Said Balawi"), kThreshold);
  EXPECT_LT(score("Ivan Sidorov", "Ivan Sidorovich"), kThreshold);
  EXPECT_GE(score("Ivan Sidorvo", "Ivan Sidorov"), kThreshold);  // one transposition
  EXPECT_GE(score("Ivan Sidoroff", "Ivan Sidorov"), kThreshold);
  EXPECT_GE(score("Ivan Ivanoff", "Ivan Ivanov"), kThreshold);
  EXPECT_LT(score("Ivan Ivanoff", "Ivan Ivanov"), 1.0);  // alike, not equal
}

TEST(MatchNames, BoundIsAnUpperBound) {
  // score_names_bound(all covered, nothing unmatched) is 1; fewer covered words bound lower.
  EXPECT_DOUBLE_EQ(detail::score_names_bound(2, 2, 0, 0, 2, 2), 1.0);
  EXPECT_LT(detail::score_names_bound(1, 2, 0, 0, 2, 1), kThreshold);
  EXPECT_GE(detail::score_names_bound(1, 2, 0, 0, 2, 1), score("Ivan Sidorov", "Ivan Petrov"));
}

TEST(MatchNames, Explanation) {
  auto m = match_names("Ivan Ivanoff", "Ivan Ivanov");
  EXPECT_NE(m.explanation.find("'IVANOFF'"), std::string::npos) << m.explanation;
  EXPECT_NE(m.explanation.find("jaro-winkler"), std::string::npos) << m.explanation;
}

TEST(Similarity, OneCharDifference) {
  EXPECT_EQ(detail::one_char_difference("BAB1235", "BAB1234"), "substitution");
  EXPECT_EQ(detail::one_char_difference("BAB1243", "BAB1234"), "transposition");
  EXPECT_EQ(detail::one_char_difference("BAB12345", "BAB1234"), "insertion");
  EXPECT_EQ(detail::one_char_difference("BAB123", "BAB1234"), "deletion");
  EXPECT_EQ(detail::one_char_difference("XAB1299", "BAB1234"), "");
  EXPECT_NEAR(detail::jaro_winkler("MARTHA", "MARHTA"), 0.961, 0.001);
}

// The bit-parallel distance (the index's two-edit check on prefix buckets) must be the table's
// optimal string alignment distance exactly: on words of few letters, where repeats,
// transpositions and insertions next to equal letters are frequent.
TEST(Similarity, BitParallelDistanceIsTheTables) {
  EXPECT_EQ(detail::EditDistanceFrom("SIDOROV").distance("SIDOROFF"), 2);
  EXPECT_EQ(detail::EditDistanceFrom("MARTHA").distance("MARHTA"), 1);  // one transposition
  EXPECT_EQ(detail::EditDistanceFrom("CA").distance("ABC"), 3);          // OSA, not Damerau: 3
  EXPECT_EQ(detail::EditDistanceFrom("").distance("ABC"), 3);
  EXPECT_EQ(detail::EditDistanceFrom("KARKARRA").distance(""), 8);
  std::mt19937 rng(7);
  const std::string letters = "ABKR";
  auto word = [&](std::size_t max) {
    std::string w(rng() % (max + 1), 'A');
    for (char& c : w) c = letters[rng() % letters.size()];
    return w;
  };
  int compared = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string a = word(i % 50 == 0 ? 64 : 12);
    const detail::EditDistanceFrom from(a);
    for (int k = 0; k < 5; ++k) {
      std::string b = word(i % 50 == 0 ? 64 : 12);
      if (k == 4) {  // a near variant: one or two edits of a
        b = a;
        for (int e = 0; e < 1 + static_cast<int>(rng() % 2) && !b.empty(); ++e) {
          const std::size_t at = rng() % b.size();
          if (rng() % 2 == 0 && at + 1 < b.size()) std::swap(b[at], b[at + 1]);
          else b[at] = letters[rng() % letters.size()];
        }
      }
      const int limit = static_cast<int>(std::max(a.size(), b.size()));
      ASSERT_EQ(from.distance(b), detail::edit_distance(a, b, limit)) << a << " / " << b;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 100000);
}

}  // namespace
}  // namespace cordon::screening
