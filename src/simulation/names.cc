#include "simulation/names.h"

#include <array>
#include <utility>

namespace cordon::simulation::detail {

std::size_t spelling_count(const Word& word) {
  std::size_t n = 1;
  for (char c : word.latin) n += c == '|';
  return n;
}

std::string_view spelling(const Word& word, std::size_t i) {
  std::string_view rest = word.latin;
  for (;;) {
    const std::size_t bar = rest.find('|');
    if (i == 0 || bar == std::string_view::npos) return rest.substr(0, bar);
    rest.remove_prefix(bar + 1);
    --i;
  }
}

std::string_view own_form(const Word& word) { return word.original.empty() ? spelling(word, 0) : word.original; }

namespace {

void append_word(std::string& out, std::string_view word) {
  if (word.empty()) return;
  if (!out.empty()) out += ' ';
  out += word;
}

bool has_own_script(const NameProfile& profile) {
  return profile.style != NameStyle::kLatin;
}

}  // namespace

PersonParts make_person(const NameProfile& profile, Rng& rng) {
  PersonParts person;
  person.profile = &profile;
  person.female = !profile.female.empty() && rng.chance(0.25);
  person.given = person.female ? &rng.pick(profile.female) : &rng.pick(profile.male);
  const auto middles = person.female ? profile.middle_female : profile.middle_male;
  if (!middles.empty()) person.middle = &rng.pick(middles);
  person.surname = &rng.pick(profile.surnames);
  return person;
}

CompanyParts make_company(const NameProfile& profile, Rng& rng) {
  CompanyParts company;
  company.profile = &profile;
  company.stem = &rng.pick(profile.stems);
  const bool wants_industry = profile.style == NameStyle::kHan || profile.style == NameStyle::kArabic ||
                              profile.style == NameStyle::kVietnamese || rng.chance(0.6);
  if (!profile.industries.empty() && wants_industry) company.industry = &rng.pick(profile.industries);
  // Earlier legal forms are the usual ones: an LLC is far commoner than a joint-stock company.
  const std::size_t n = profile.forms.size();
  std::size_t form = 0;
  while (form + 1 < n && rng.chance(0.3)) ++form;
  company.form = &profile.forms[form];
  if (profile.style == NameStyle::kHan) company.city = &rng.pick(profile.cities);
  return company;
}

RenderedName render_person(const PersonParts& p, const Spelling& s) {
  const NameProfile& profile = *p.profile;
  const bool middle = p.middle != nullptr && s.include_middle;
  std::string latin, original;
  const auto given = spelling(*p.given, s.given);
  const auto surname = spelling(*p.surname, s.surname);
  const auto mid = middle ? spelling(*p.middle, s.middle) : std::string_view{};
  const bool surname_first = profile.surname_first != s.swap_order;
  if (!surname_first) {
    append_word(latin, given);
    append_word(latin, mid);
    append_word(latin, surname);
  } else if (profile.style == NameStyle::kVietnamese) {
    append_word(latin, surname);
    append_word(latin, mid);
    append_word(latin, given);
  } else {
    // "Petrov Ivan Sergeyevich", "Zhang Wei": the register order of the person's country.
    append_word(latin, surname);
    append_word(latin, given);
    append_word(latin, mid);
  }

  switch (profile.style) {
    case NameStyle::kHan:
    case NameStyle::kHangul:
      original = std::string(p.surname->original) + std::string(p.given->original);
      break;
    case NameStyle::kCyrillic:
      // Russian, Belarusian and Ukrainian documents: surname, given name, patronymic.
      append_word(original, own_form(*p.surname));
      append_word(original, own_form(*p.given));
      if (middle) append_word(original, own_form(*p.middle));
      break;
    case NameStyle::kVietnamese:
      append_word(original, own_form(*p.surname));
      if (middle) append_word(original, own_form(*p.middle));
      append_word(original, own_form(*p.given));
      break;
    case NameStyle::kLatin:
      break;
    default:
      append_word(original, own_form(*p.given));
      if (middle) append_word(original, own_form(*p.middle));
      append_word(original, own_form(*p.surname));
      break;
  }
  if (original == latin) original.clear();
  return {std::move(latin), std::move(original)};
}

RenderedName render_sole_proprietor(const PersonParts& p, const Spelling& s) {
  const NameProfile& profile = *p.profile;
  if (profile.sole_forms.empty()) return render_person(p, s);
  const LegalForm& form = profile.sole_forms.front();
  // The registered name of a sole proprietorship is surname first, as in the register.
  Spelling register_order = s;
  register_order.swap_order = !s.swap_order;
  RenderedName person = render_person(p, register_order);
  RenderedName out;
  if (s.include_form) {
    out.latin = std::string(spelling(form.form, s.form)) + " " + person.latin;
  } else {
    out.latin = person.latin;
  }
  out.original = person.original.empty() ? std::string{} : std::string(own_form(form.form)) + " " + person.original;
  return out;
}

RenderedName render_company(const CompanyParts& c, const Spelling& s) {
  const NameProfile& profile = *c.profile;
  const auto stem = spelling(*c.stem, s.stem);
  const auto industry = c.industry ? spelling(*c.industry, s.industry) : std::string_view{};
  const auto form = s.include_form ? spelling(c.form->form, s.form) : std::string_view{};
  std::string latin, original;
  switch (profile.style) {
    case NameStyle::kCyrillic:
      if (s.swap_order || !c.form->prefix) {
        append_word(latin, stem);
        append_word(latin, form);
      } else {
        append_word(latin, form);
        append_word(latin, stem);
      }
      original = std::string(own_form(c.form->form)) + " «" + std::string(own_form(*c.stem)) + "»";
      break;
    case NameStyle::kHan:
      if (s.swap_order) {
        append_word(latin, stem);
        append_word(latin, industry);
        if (c.city) latin += " (" + std::string(spelling(c.city->name, 0)) + ")";
      } else {
        if (c.city) append_word(latin, spelling(c.city->name, 0));
        append_word(latin, stem);
        append_word(latin, industry);
      }
      append_word(latin, form);
      if (c.city) original += own_form(c.city->name);
      original += own_form(*c.stem);
      if (c.industry) original += own_form(*c.industry);
      original += own_form(c.form->form);
      break;
    case NameStyle::kHangul:
      append_word(latin, stem);
      append_word(latin, industry);
      append_word(latin, form);
      original = std::string(own_form(c.form->form)) + std::string(own_form(*c.stem)) +
                 (c.industry ? std::string(own_form(*c.industry)) : std::string{});
      break;
    case NameStyle::kArabic:
      append_word(latin, stem);
      append_word(latin, industry);
      append_word(latin, form);
      original = "شركة ";
      original += own_form(*c.stem);
      if (c.industry) append_word(original, own_form(*c.industry));
      append_word(original, own_form(c.form->form));
      break;
    case NameStyle::kVietnamese:
      append_word(latin, stem);
      append_word(latin, industry);
      append_word(latin, form);
      append_word(original, own_form(c.form->form));
      if (c.industry) append_word(original, own_form(*c.industry));
      append_word(original, own_form(*c.stem));
      break;
    default: {
      const bool prefix = c.form->prefix != s.swap_order;
      if (prefix) append_word(latin, form);
      append_word(latin, stem);
      append_word(latin, industry);
      if (!prefix) append_word(latin, form);
      if (has_own_script(profile)) {
        if (c.form->prefix) append_word(original, own_form(c.form->form));
        append_word(original, own_form(*c.stem));
        if (c.industry) append_word(original, own_form(*c.industry));
        if (!c.form->prefix) append_word(original, own_form(c.form->form));
      }
      break;
    }
  }
  if (original == latin) original.clear();
  return {std::move(latin), std::move(original)};
}

std::string fill_pattern(std::string_view pattern, Rng& rng) {
  std::string out;
  out.reserve(pattern.size());
  for (char c : pattern) {
    if (c == '#') {
      out += static_cast<char>('0' + rng.between(0, 9));
    } else if (c == '@') {
      out += static_cast<char>('A' + rng.between(0, 25));
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

std::string fill_street(std::string_view pattern, std::string_view street, std::string_view number) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern.substr(i, 3) == "{s}") {
      out += street;
      i += 2;
    } else if (pattern.substr(i, 3) == "{n}") {
      out += number;
      i += 2;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

}  // namespace

Address make_address(const NameProfile& profile, Rng& rng, const City** city_out) {
  const City& city = rng.pick(profile.cities);
  if (city_out) *city_out = &city;
  const Word& street = rng.pick(profile.streets);
  std::string number = std::to_string(rng.between(1, rng.chance(0.7) ? 60 : 240));
  if (rng.chance(0.1)) number += static_cast<char>('A' + rng.between(0, 2));
  Address address;
  address.street = fill_street(profile.street_pattern_latin, spelling(street, 0), number);
  address.city = std::string(spelling(city.name, 0));
  address.postcode = fill_pattern(city.postcode, rng);
  address.country = std::string(profile.country);
  if (profile.style == NameStyle::kFolded || profile.style == NameStyle::kVietnamese) {
    address.street = fold_diacritics(address.street);
    address.city = fold_diacritics(address.city);
  }
  return address;
}

std::string fold_diacritics(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 74> kFolds = {{
      {"ı", "i"}, {"İ", "I"}, {"ş", "s"}, {"Ş", "S"}, {"ğ", "g"}, {"Ğ", "G"}, {"ç", "c"}, {"Ç", "C"},
      {"ö", "o"}, {"Ö", "O"}, {"ü", "u"}, {"Ü", "U"}, {"â", "a"}, {"î", "i"}, {"û", "u"},
      {"đ", "d"}, {"Đ", "D"}, {"ă", "a"}, {"ơ", "o"}, {"ư", "u"}, {"ê", "e"}, {"ô", "o"},
      {"á", "a"}, {"à", "a"}, {"ả", "a"}, {"ã", "a"}, {"ạ", "a"}, {"ấ", "a"}, {"ầ", "a"}, {"ậ", "a"},
      {"é", "e"}, {"è", "e"}, {"ế", "e"}, {"ề", "e"}, {"ệ", "e"}, {"í", "i"}, {"ì", "i"}, {"ị", "i"},
      {"ó", "o"}, {"ò", "o"}, {"ố", "o"}, {"ồ", "o"}, {"ộ", "o"}, {"ớ", "o"}, {"ờ", "o"}, {"ợ", "o"},
      {"ú", "u"}, {"ù", "u"}, {"ụ", "u"}, {"ứ", "u"}, {"ừ", "u"}, {"ự", "u"}, {"ý", "y"}, {"ỹ", "y"},
      {"ũ", "u"}, {"ĩ", "i"}, {"ọ", "o"}, {"ắ", "a"}, {"ằ", "a"}, {"ặ", "a"}, {"ể", "e"}, {"ữ", "u"},
      {"ć", "c"}, {"č", "c"}, {"Č", "C"}, {"š", "s"}, {"Š", "S"}, {"ž", "z"}, {"Ž", "Z"},
      {"ã", "a"}, {"õ", "o"}, {"ẫ", "a"}, {"ổ", "o"}, {"ở", "o"},
  }};
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += text[i++];
      continue;
    }
    bool folded = false;
    for (const auto& [from, to] : kFolds) {
      if (text.substr(i, from.size()) == from) {
        out += to;
        i += from.size();
        folded = true;
        break;
      }
    }
    if (folded) continue;
    const std::size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    out += text.substr(i, len);
    i += len;
  }
  return out;
}

}  // namespace cordon::simulation::detail
