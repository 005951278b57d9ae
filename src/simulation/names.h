// Name tables per country, hand-written with their transliterations (no ICU at generation
// time: the generator must not depend on the matcher's own transliteration to plant variants
// that the matcher is then tested against), and the composition of person and company names
// and addresses from them.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/declaration.h"
#include "simulation/random.h"

namespace cordon::simulation::detail {

// A word in its own script and its Latin forms. `latin` holds the usual transliteration first
// and then other spellings seen in documents, separated by '|': "Yuriy|Yuri|Yury|Iouri".
// For Latin-script countries `original` is empty, or the form with diacritics where documents
// usually drop them ("Yılmaz" / "Yilmaz").
struct Word {
  std::string_view original;
  std::string_view latin;
};

// Number of Latin spellings and the i-th one.
std::size_t spelling_count(const Word& word);
std::string_view spelling(const Word& word, std::size_t i);
// The own-script form, or the first Latin spelling when the word has none.
std::string_view own_form(const Word& word);

struct LegalForm {
  Word form;           // {"ООО", "OOO|LLC"}
  bool prefix = false;  // written before the name ("UAB Baltijos prekyba")
};

struct City {
  Word name;
  std::string_view postcode;  // pattern: '#' a digit, '@' a letter, anything else literal
};

enum class NameStyle {
  kLatin,       // stem industry form, own script = Latin (DE, PL, IN, ...)
  kFolded,      // Latin with diacritics in name_original, ASCII in name (TR, VN, RS)
  kCyrillic,    // ООО «Стем»; persons surname first in own script (RU, BY, UA)
  kBulgarian,   // Cyrillic, form as suffix
  kHan,         // 宁波华鑫电子有限公司 / Ningbo Huaxin Electronics Co., Ltd.
  kHangul,      // (주)한성전자 / Hansung Electronics Co., Ltd.
  kArabic,      // شركة النور للتجارة العامة ذ.م.م / Al Noor General Trading LLC
  kGreek,
  kVietnamese,  // Công ty TNHH Dệt may Hoàng Phát / Hoang Phat Garment Co., Ltd
};

struct NameProfile {
  std::string_view country;
  std::string_view script;  // ISO 15924 of the own-script forms
  NameStyle style = NameStyle::kLatin;
  bool surname_first = false;  // persons: CN, KR, VN
  std::span<const Word> male;
  std::span<const Word> female;
  std::span<const Word> middle_male;  // patronymics, "bin Rashid", Vietnamese middle names
  std::span<const Word> middle_female;
  std::span<const Word> surnames;
  std::span<const Word> stems;       // company name stems
  std::span<const Word> industries;  // "Trading", "Textile", "Logistics"
  std::span<const LegalForm> forms;  // the first kinds of company are commonest
  std::span<const LegalForm> sole_forms;  // sole proprietor prefixes ("ИП"), may be empty
  std::span<const City> cities;
  std::span<const Word> streets;
  // Street line patterns with {s} street and {n} number; own-script and Latin.
  std::string_view street_pattern_original;
  std::string_view street_pattern_latin;

  bool has_persons() const { return !male.empty() && !surnames.empty(); }
};

const NameProfile& profile_for(std::string_view country);  // throws for an unknown country
bool has_profile(std::string_view country);

// A name as its parts, with the chosen spelling of each, so that variants can be rendered.
struct PersonParts {
  const NameProfile* profile = nullptr;
  const Word* given = nullptr;
  const Word* middle = nullptr;  // may be null
  const Word* surname = nullptr;
  bool female = false;
};

struct CompanyParts {
  const NameProfile* profile = nullptr;
  const City* city = nullptr;  // in the name itself (Chinese companies), may be null
  const Word* stem = nullptr;
  const Word* industry = nullptr;  // may be null
  const LegalForm* form = nullptr;
};

PersonParts make_person(const NameProfile& profile, Rng& rng);
CompanyParts make_company(const NameProfile& profile, Rng& rng);

// How a rendering chooses among spellings: index into the '|' list of each part (clamped).
struct Spelling {
  std::size_t given = 0, middle = 0, surname = 0, stem = 0, industry = 0, form = 0;
  bool include_middle = true;
  bool swap_order = false;  // persons: the other conventional order; companies: form moved
  bool include_form = true;
};

struct RenderedName {
  std::string latin;
  std::string original;  // empty when the profile's script is Latin without diacritics
};

RenderedName render_person(const PersonParts& person, const Spelling& spelling = {});
RenderedName render_company(const CompanyParts& company, const Spelling& spelling = {});
// "Individual entrepreneur" style sole proprietorship name for a person, when the profile has one.
RenderedName render_sole_proprietor(const PersonParts& person, const Spelling& spelling = {});

Address make_address(const NameProfile& profile, Rng& rng, const City** city_out = nullptr);
std::string fill_pattern(std::string_view pattern, Rng& rng);  // '#' digit, '@' letter

// Drops diacritics from common Latin letters (Turkish, Vietnamese, Slavic): "Şahin" -> "Sahin".
std::string fold_diacritics(std::string_view text);

}  // namespace cordon::simulation::detail
