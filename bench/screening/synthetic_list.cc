#include "synthetic_list.h"

#include <array>
#include <string_view>

#include "core/identifiers.h"

namespace cordon::bench {
namespace {

struct Culture {
  std::vector<std::string_view> given;
  std::vector<std::string_view> prefixes;  // surname syllables
  std::vector<std::string_view> suffixes;
};

const std::vector<Culture>& cultures() {
  static const std::vector<Culture> c = {
      {{"Aleksandr", "Sergey", "Dmitriy", "Andrey", "Yuriy", "Oleg", "Igor", "Mikhail", "Nikolay", "Viktor",
        "Olga", "Tatyana", "Irina", "Yelena", "Natalya", "Svetlana", "Anna", "Maksim", "Roman", "Pavel"},
       {"Ivan", "Petr", "Sokol", "Volk", "Kuzn", "Mor", "Lebed", "Koz", "Nov", "Zakhar", "Belo", "Taras", "Grom",
        "Orl", "Medved", "Zhuk", "Kolesn", "Sorok", "Fil", "Bogdan", "Kras", "Chern", "Bel", "Zayts", "Pop"},
       {"ov", "ev", "in", "enko", "sky", "ovich", "ikov", "anov", "yuk", "chuk"}},
      {{"Mohammed", "Ahmed", "Ali", "Hassan", "Hussein", "Omar", "Khalid", "Youssef", "Ibrahim", "Mustafa",
        "Fatima", "Aisha", "Maryam", "Zainab", "Abdullah", "Tariq", "Said", "Karim", "Nabil", "Rashid"},
       {"Al Ras", "Al Nas", "Haddad", "Khal", "Sal", "Mans", "Qas", "Hamd", "Naj", "Sab", "Jab", "Far", "Zah",
        "Bakr", "Tam", "Sul", "Dar", "Kab", "Ghan", "Mah"},
       {"ani", "ouri", "idi", "awi", "an", "ah", "eh", "i", "oun", "ad"}},
      {{"Wei", "Jing", "Li", "Min", "Hui", "Lei", "Jun", "Yan", "Fang", "Ping", "Qiang", "Hong", "Xin", "Yong",
        "Jie", "Tao", "Bo", "Ling", "Chao", "Ming"},
       {"Zhang", "Wang", "Chen", "Liu", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo",
        "He", "Lin", "Gao", "Luo", "Zheng", "Liang"},
       {"", "", "", "", "", "", "", "", "", ""}},
      {{"Mehmet", "Mustafa", "Ahmet", "Ali", "Huseyin", "Hasan", "Ibrahim", "Ismail", "Osman", "Yusuf", "Fatma",
        "Ayse", "Emine", "Hatice", "Zeynep", "Elif", "Murat", "Emre", "Burak", "Serkan"},
       {"Yil", "Kay", "Demir", "Sahin", "Celik", "Yildiz", "Ayd", "Ozt", "Ars", "Dog", "Kil", "Asl", "Cet",
        "Kar", "Kurt", "Koc", "Ozd", "Sim", "Pol", "Erd"},
       {"maz", "a", "in", "ur", "urk", "an", "lan", "kaya", "oglu", "er"}},
      {{"Jose", "Juan", "Carlos", "Luis", "Miguel", "Javier", "Pedro", "Alejandro", "Manuel", "Francisco",
        "Maria", "Carmen", "Ana", "Laura", "Lucia", "Sofia", "Diego", "Jorge", "Pablo", "Andres"},
       {"Garc", "Rodr", "Gonz", "Fern", "Lop", "Mart", "Sanch", "Per", "Gom", "Diaz", "Alv", "Rom", "Nav",
        "Tor", "Dom", "Vazq", "Ram", "Gil", "Ser", "Bland"},
       {"ia", "iguez", "alez", "andez", "ez", "inez", "ero", "ado", "illo", "ena"}},
      {{"James", "John", "Robert", "Michael", "William", "David", "Richard", "Thomas", "Mark", "Paul", "Mary",
        "Linda", "Susan", "Karen", "Emma", "Olivia", "Peter", "George", "Edward", "Henry"},
       {"Smith", "John", "Will", "Brown", "Tay", "Thom", "Wh", "Harr", "Mart", "Thomp", "Wood", "Clark", "Lew",
        "Walk", "Hall", "Allen", "Young", "King", "Wright", "Hill"},
       {"", "son", "iams", "er", "lor", "ite", "is", "ton", "ford", "ley"}},
      {{"Thomas", "Michael", "Andreas", "Stefan", "Klaus", "Jurgen", "Wolfgang", "Piotr", "Krzysztof", "Tomasz",
        "Anna", "Katarzyna", "Monika", "Sabine", "Petra", "Jan", "Marek", "Pawel", "Lukas", "Matthias"},
       {"Mull", "Schm", "Schneid", "Fisch", "Web", "Meyer", "Wagn", "Beck", "Kowal", "Wisn", "Wojc", "Kaminsk",
        "Lewand", "Zielin", "Szymansk", "Wozn", "Dabrow", "Koz", "Jank", "Maz"},
       {"er", "idt", "ski", "czyk", "ewski", "mann", "ner", "ak", "owicz", "i"}},
      {{"Rahul", "Amit", "Sanjay", "Vijay", "Rajesh", "Suresh", "Anil", "Priya", "Sunita", "Anita", "Deepak",
        "Arjun", "Ravi", "Kiran", "Manoj", "Nguyen", "Minh", "Thanh", "Hoang", "Quang"},
       {"Shar", "Ver", "Gup", "Sing", "Kum", "Pat", "Red", "Nai", "Mehr", "Chaud", "Tran", "Le", "Pham", "Hoang",
        "Vu", "Dang", "Bui", "Do", "Ngo", "Duong"},
       {"ma", "el", "ta", "h", "ar", "dy", "r", "a", "hary", "van"}},
  };
  return c;
}

constexpr std::array<std::string_view, 24> kSyllables = {"al", "ba", "tro", "mex", "nor", "vis", "kar", "ton",
                                                         "lin", "sa", "ra", "dex", "zen", "pol", "gra", "vo",
                                                         "tek", "mar", "ori", "sun", "ve", "kor", "ax", "im"};
constexpr std::array<std::string_view, 16> kIndustries = {
    "Trading", "Logistics", "Electronics", "Textile", "Shipping", "Metals", "Chemicals", "Machinery",
    "Import Export", "Industries", "Holding", "Group", "Energy", "Foods", "Tobacco", "Auto Parts"};
constexpr std::array<std::string_view, 14> kForms = {"LLC", "Ltd", "GmbH", "OOO", "JSC", "S.A.", "Co., Ltd.",
                                                     "FZE", "Sp. z o.o.", "UAB", "SRL", "BV", "A.S.", "PVT LTD"};
constexpr std::array<std::string_view, 10> kPlateCountries = {"DE", "PL", "LT", "NL", "BG", "HU", "TR", "UA", "LV", "RO"};

std::string capital(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

}  // namespace

std::string SyntheticGenerator::surname(int culture) {
  const auto& c = cultures()[static_cast<std::size_t>(culture)];
  std::string s(c.prefixes[rng_() % c.prefixes.size()]);
  // A third syllable in some names widens the vocabulary the way real surname tables are wide.
  if (rng_() % 3 == 0) s += kSyllables[rng_() % kSyllables.size()];
  s += c.suffixes[rng_() % c.suffixes.size()];
  return s;
}

std::string SyntheticGenerator::person_name() {
  const int culture = static_cast<int>(rng_() % cultures().size());
  const auto& c = cultures()[static_cast<std::size_t>(culture)];
  std::string name(c.given[rng_() % c.given.size()]);
  if (rng_() % 3 == 0) name += " " + std::string(c.given[rng_() % c.given.size()]);
  name += " " + surname(culture);
  if (rng_() % 4 == 0) name += " " + surname(culture);
  return name;
}

std::string SyntheticGenerator::company_name() {
  std::string stem;
  const int parts = 2 + static_cast<int>(rng_() % 2);
  for (int i = 0; i < parts; ++i) stem += kSyllables[rng_() % kSyllables.size()];
  std::string name = capital(stem);
  if (rng_() % 2 == 0) {
    std::string second;
    for (int i = 0; i < 2; ++i) second += kSyllables[rng_() % kSyllables.size()];
    name += " " + capital(second);
  }
  name += " " + std::string(kIndustries[rng_() % kIndustries.size()]);
  name += " " + std::string(kForms[rng_() % kForms.size()]);
  return name;
}

std::string SyntheticGenerator::plate() {
  std::string p;
  for (int i = 0; i < 2; ++i) p.push_back(static_cast<char>('A' + rng_() % 26));
  p += ' ';
  for (int i = 0; i < 4; ++i) p.push_back(static_cast<char>('0' + rng_() % 10));
  p += ' ';
  for (int i = 0; i < 2; ++i) p.push_back(static_cast<char>('A' + rng_() % 26));
  return p;
}

std::string SyntheticGenerator::vin() {
  constexpr std::string_view chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
  std::string v = "WDB";
  while (v.size() < 17) v.push_back(chars[rng_() % chars.size()]);
  return v;
}

std::string SyntheticGenerator::container() {
  std::string c;
  for (int i = 0; i < 3; ++i) c.push_back(static_cast<char>('A' + rng_() % 26));
  c.push_back('U');
  for (int i = 0; i < 6; ++i) c.push_back(static_cast<char>('0' + rng_() % 10));
  const auto digit = ids::iso6346_check_digit(c);
  c.push_back(static_cast<char>('0' + (digit ? *digit % 10 : 0)));
  return c;
}

std::string SyntheticGenerator::typo(const std::string& name) {
  std::string out = name;
  std::vector<std::size_t> letters;
  for (std::size_t i = 1; i + 1 < out.size(); ++i) {
    if (out[i] != ' ' && out[i - 1] != ' ' && out[i + 1] != ' ') letters.push_back(i);
  }
  if (letters.empty()) return out;
  const std::size_t at = letters[rng_() % letters.size()];
  switch (rng_() % 4) {
    case 0: out[at] = out[at] == 'e' ? 'a' : 'e'; break;
    case 1: out.erase(at, 1); break;
    case 2: out.insert(at, 1, out[at]); break;
    default: std::swap(out[at], out[at + 1]); break;
  }
  return out;
}

screening::WatchlistEntity SyntheticGenerator::entity(int64_t index) {
  using namespace screening;
  WatchlistEntity e;
  e.id = "SYN-" + std::to_string(index);
  e.list = "SYNTHETIC";
  const auto roll = rng_() % 100;
  if (roll < 55) {
    e.type = EntityType::kPerson;
    e.names.push_back({person_name(), "Latn", true, {}});
    if (rng_() % 3 == 0) e.names.push_back({person_name(), "Latn", false, "a.k.a."});
    char dob[16];
    std::snprintf(dob, sizeof dob, "%04d-%02d-%02d", 1940 + static_cast<int>(rng_() % 60),
                  1 + static_cast<int>(rng_() % 12), 1 + static_cast<int>(rng_() % 28));
    e.dates_of_birth.push_back(dob);
  } else if (roll < 80) {
    e.type = EntityType::kOrganisation;
    e.names.push_back({company_name(), "Latn", true, {}});
  } else if (roll < 90) {
    e.type = EntityType::kVehicle;
    const auto country = std::string(kPlateCountries[rng_() % kPlateCountries.size()]);
    e.identifiers.push_back({IdentifierType::kPlate, plate(), country, {}});
    e.identifiers.push_back({IdentifierType::kVin, vin(), {}, {}});
  } else if (roll < 98) {
    e.type = EntityType::kContainer;
    e.identifiers.push_back({IdentifierType::kContainer, container(), {}, {}});
  } else {
    e.type = EntityType::kVessel;
    e.names.push_back({capital(std::string(kSyllables[rng_() % kSyllables.size()]) +
                               std::string(kSyllables[rng_() % kSyllables.size()])) + " Star",
                       "Latn", true, {}});
    e.identifiers.push_back({IdentifierType::kImo, std::to_string(9000000 + rng_() % 999999), {}, {}});
  }
  return e;
}

}  // namespace cordon::bench
