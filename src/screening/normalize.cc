#include "screening/normalize.h"

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include "screening/screening.h"

namespace cordon::screening {
namespace detail {
namespace {

bool is_ascii(std::string_view s) {
  return std::ranges::all_of(s, [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// One transliterator for the process, behind a mutex. "Any-Latin" builds a transliterator for
// each script the first time an instance meets it (Han-Latin alone takes tens of milliseconds),
// so per-thread instances or clones made every server worker pay those builds again on its first
// names; ICU does not document Transliterator::transliterate as safe for concurrent use. The
// lock is taken only on a TransliterationCache miss, so contention is low. The scripts of the
// simulated and listed names are met once here, at first use (ScreeningService::load).
struct SharedTransliterator {
  std::mutex mutex;
  std::unique_ptr<icu::Transliterator> transliterator;
};

SharedTransliterator& shared_transliterator() {
  static SharedTransliterator shared{{}, [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> made(icu::Transliterator::createInstance(
        icu::UnicodeString::fromUTF8("Any-Latin; Latin-ASCII"), UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !made) throw std::runtime_error("ICU transliterator Any-Latin; Latin-ASCII unavailable");
    icu::UnicodeString warm = icu::UnicodeString::fromUTF8(
        "Владимир Ελένη 習近平 محمد 김민준 グエン Nguyễn דוד राहुल ნინო Արամ สมชาย");
    made->transliterate(warm);
    return made;
  }()};
  return shared;
}

std::string icu_to_ascii(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (U_SUCCESS(status) && nfkc != nullptr) {
    icu::UnicodeString normalised = nfkc->normalize(u, status);
    if (U_SUCCESS(status)) u = normalised;
  }
  {
    SharedTransliterator& shared = shared_transliterator();
    std::lock_guard lock(shared.mutex);
    shared.transliterator->transliterate(u);
  }
  std::string out;
  u.toUTF8String(out);
  return out;
}

// Lists repeat the same names and declarations the same parties: transliteration (tens of
// microseconds per string) is done once per distinct string. Bounded so hostile input cannot
// grow it without limit.
class TransliterationCache {
 public:
  std::string get(std::string_view text) {
    {
      std::shared_lock lock(mutex_);
      if (auto it = map_.find(std::string(text)); it != map_.end()) return it->second;
    }
    std::string value = icu_to_ascii(text);
    std::unique_lock lock(mutex_);
    if (map_.size() >= kMaxEntries) map_.clear();
    map_.emplace(std::string(text), value);
    return value;
  }

 private:
  static constexpr std::size_t kMaxEntries = 1 << 20;
  std::shared_mutex mutex_;
  std::unordered_map<std::string, std::string> map_;
};

TransliterationCache& cache() {
  static TransliterationCache c;
  return c;
}

const std::unordered_set<std::string_view>& legal_forms() {
  static const std::unordered_set<std::string_view> set = {
      "LTD",    "LIMITED", "GMBH",  "OOO",    "ZAO",   "OAO",    "PAO",   "AO",     "JSC",    "PJSC",   "OJSC",
      "CJSC",   "LLC",     "LLP",   "INC",    "INCORPORATED",    "CO",    "SA",     "SAS",    "SARL",   "SRL",
      "SPA",    "SL",      "BV",    "NV",     "AG",    "KG",     "OHG",   "UG",     "AB",     "AS",     "ASA",
      "OY",     "OYJ",     "UAB",   "SIA",    "OU",    "AD",     "EAD",   "OOD",    "EOOD",   "DOO",    "DOOEL",
      "SRO",    "KFT",     "ZRT",   "NYRT",   "PLC",   "PTE",    "PTY",   "PVT",    "FZE",    "FZCO",   "FZC",
      "FZLLC",  "DMCC",    "TNHH",  "SPZOO",  "TOO",   "TOV",    "PP",    "PAT",    "PRAT",   "AE",     "EPE",
      "IKE",    "LTDA",    "LIMITADA",        "STI",   "SDN",    "BHD",   "KK",     "IP",     "CV",     "SCS",
      "SNC",    "SCA",     "SASU",  "EURL",   "SPRL",  "BVBA",   "CVBA",  "APS",    "KS",     "VOF",    "EIRL",
      "ODO",    "CHP",     "FOP",   "SPD",     "PUE",   "UP",     "CHUP",  "OAOT",   "ZAT",   "TNHHMTV", "JSCO",
      "JUSIKHOESA",        "YUGEN", "KAISHA", "KABUSHIKI",       "GONGSI", "YOUXIAN", "YOUXIANGONGSI",
  };
  return set;
}

const std::unordered_set<std::string_view>& generic_words() {
  static const std::unordered_set<std::string_view> set = {
      "CORP",       "CORPORATION", "GROUP",     "GRUPO",     "GRUPPA",     "GRUPPE",    "INTERNATIONAL",
      "INTL",       "INTERNATIONALE",          "HOLDING",   "HOLDINGS",   "COMPANY",   "COMPANIA",
      "COMPAGNIE",  "KOMPANIYA",   "KOMPANIJA", "TRADING",   "TRADE",      "TRADERS",   "ENTERPRISE",
      "ENTERPRISES", "INDUSTRIES", "INDUSTRY",  "GLOBAL",    "GENERAL",    "SERVICE",   "SERVICES",
      "IMPORT",     "EXPORT",      "IMPEX",     "THE",       "AND",        "OF",        "FOR",
      "DE",         "DEL",         "DA",        "DI",        "DU",         "LA",        "LE",
      "LES",        "EL",          "AL",        "BIN",       "IBN",        "BINT",      "VON",
      "VAN",        "DER",         "DEN",       "UND",       "ET",         "Y",         "VE",
      "TIC",        "SAN",         "TICARET",   "SANAYI",    "SHARIKAT",   "SHARIKA",   "SHIRKAT",
      "COMMERCIAL", "COMERCIAL",   "COMPANIES", "PARTNERS",  "ASSOCIATES", "SOLUTIONS", "WORLDWIDE",
      "MR",         "MRS",         "MS",        "DR",        "HAJI",       "SHEIKH",    "JR",
  };
  return set;
}

// Legal forms written as several words once punctuation is folded ("S.A. de C.V.").
// Matched only at the start or the end of a name, where a lone letter cannot be an initial.
constexpr std::array<std::array<std::string_view, 7>, 34> kLegalSequences = {{
    {"S", "DE", "R", "L", "DE", "C", "V"}, {"S", "A", "DE", "C", "V"}, {"S", "DE", "R", "L"},
    {"DE", "C", "V"}, {"SP", "Z", "O", "O"}, {"Z", "O", "O"}, {"S", "A", "R", "L"}, {"S", "A", "S"},
    {"S", "R", "L"}, {"S", "P", "A"}, {"S", "A"}, {"B", "V"}, {"N", "V"}, {"A", "S"}, {"A", "G"},
    {"S", "L"}, {"L", "L", "C"}, {"P", "L", "C"}, {"CO", "LTD"}, {"LTD", "STI"}, {"YOU", "XIAN", "GONG", "SI"},
    {"YOUXIAN", "GONGSI"}, {"GONG", "SI"}, {"CONG", "TY"}, {"CO", "PHAN"}, {"DH", "M", "M"}, {"E", "P", "E"},
    {"O", "O", "D"}, {"E", "O", "O", "D"}, {"A", "E"}, {"D", "O", "O"}, {"S", "R", "O"}, {"T", "O", "V"},
    {"P", "T", "E"},
}};

std::size_t sequence_length(const std::array<std::string_view, 7>& seq) {
  std::size_t n = 0;
  while (n < seq.size() && !seq[n].empty()) ++n;
  return n;
}

bool sequence_at(const std::vector<Token>& tokens, std::size_t at, const std::array<std::string_view, 7>& seq) {
  const std::size_t n = sequence_length(seq);
  if (at + n > tokens.size()) return false;
  for (std::size_t i = 0; i < n; ++i) {
    if (tokens[at + i].text != seq[i]) return false;
  }
  return true;
}

bool is_vowel(char c) { return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' || c == 'Y'; }

}  // namespace

std::string to_ascii_upper(std::string_view text) {
  std::string ascii = is_ascii(text) ? std::string(text) : cache().get(text);
  for (char& c : ascii) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return ascii;
}

TokenKind classify_word(std::string_view word) {
  if (word.size() == 1 && word[0] >= 'A' && word[0] <= 'Z') return TokenKind::kInitial;
  if (legal_forms().contains(word)) return TokenKind::kLegalForm;
  if (generic_words().contains(word)) return TokenKind::kGeneric;
  return TokenKind::kNormal;
}

float weight_of(TokenKind kind) {
  switch (kind) {
    case TokenKind::kNormal: return 1.0F;
    case TokenKind::kGeneric: return 0.2F;
    case TokenKind::kLegalForm: return 0.0F;
    case TokenKind::kInitial: return 0.5F;
  }
  return 1.0F;
}

std::vector<Token> tokenize_name(std::string_view normalised) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < normalised.size()) {
    while (i < normalised.size() && normalised[i] == ' ') ++i;
    std::size_t j = i;
    while (j < normalised.size() && normalised[j] != ' ') ++j;
    if (j > i) {
      Token t;
      t.text = std::string(normalised.substr(i, j - i));
      t.kind = classify_word(t.text);
      tokens.push_back(std::move(t));
    }
    i = j;
  }
  // Multi-word legal forms at the end, then at the start.
  std::size_t end = tokens.size();
  for (bool found = true; found && end > 1;) {
    found = false;
    for (const auto& seq : kLegalSequences) {
      const std::size_t n = sequence_length(seq);
      if (n < end && sequence_at(tokens, end - n, seq)) {
        for (std::size_t k = end - n; k < end; ++k) tokens[k].kind = TokenKind::kLegalForm;
        end -= n;
        found = true;
        break;
      }
    }
    while (!found && end > 1 && tokens[end - 1].kind == TokenKind::kLegalForm) {
      --end;
      found = true;
    }
  }
  for (const auto& seq : kLegalSequences) {
    const std::size_t n = sequence_length(seq);
    if (n < tokens.size() && sequence_at(tokens, 0, seq)) {
      for (std::size_t k = 0; k < n; ++k) tokens[k].kind = TokenKind::kLegalForm;
      break;
    }
  }
  // A name made only of legal forms or generic words is itself the distinctive part.
  const bool any_normal = std::ranges::any_of(tokens, [](const Token& t) {
    return t.kind == TokenKind::kNormal || t.kind == TokenKind::kInitial;
  });
  for (auto& t : tokens) {
    if (!any_normal) t.kind = TokenKind::kNormal;
    t.weight = weight_of(t.kind);
    t.phonetic = phonetic_key(t.text);
  }
  return tokens;
}

std::string phonetic_key(std::string_view word) {
  std::string w(word);
  // -OFF / -EFF is the French and German spelling of -OV / -EV (IVANOFF, IVANOV).
  if (w.size() >= 5 && (w.ends_with("OFF") || w.ends_with("EFF"))) w.replace(w.size() - 2, 2, "V");
  auto replace_all = [&w](std::string_view from, std::string_view to) {
    for (std::size_t at = w.find(from); at != std::string::npos; at = w.find(from, at + to.size())) {
      w.replace(at, from.size(), to);
    }
  };
  // Order matters: longer spellings of the same sound first.
  replace_all("TSCH", "J");
  replace_all("DZH", "J");
  replace_all("SCH", "S");
  replace_all("TCH", "J");
  replace_all("CH", "J");
  replace_all("CZ", "J");
  replace_all("ZH", "J");
  replace_all("DJ", "J");
  replace_all("SH", "S");
  replace_all("SZ", "S");
  replace_all("KH", "H");
  replace_all("GH", "G");
  replace_all("PH", "F");
  replace_all("TH", "T");
  replace_all("TS", "S");
  replace_all("TZ", "S");
  replace_all("CK", "K");
  replace_all("X", "KS");
  std::string key;
  for (std::size_t i = 0; i < w.size(); ++i) {
    char c = w[i];
    if (c >= '0' && c <= '9') {
      key.push_back(c);
      continue;
    }
    if (c < 'A' || c > 'Z') continue;
    if (is_vowel(c)) {
      if (i == 0) key.push_back('A');
      continue;
    }
    switch (c) {
      case 'H': continue;  // dropped: "KHALED"/"HALED", "MOHAMMED"/"MOHAMED" keep H, "HUSAYN"/"USAIN"
      case 'W': c = 'V'; break;
      case 'Z': c = 'S'; break;
      case 'C': c = 'K'; break;
      case 'Q': c = 'K'; break;
      default: break;
    }
    if (!key.empty() && key.back() == c) continue;
    key.push_back(c);
  }
  return key;
}

double jaro_winkler(std::string_view a, std::string_view b) {
  if (a == b) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  const std::size_t la = a.size(), lb = b.size();
  if (la > 64 || lb > 64) {
    // Long strings only come from hostile input or joined names; compare prefixes.
    return jaro_winkler(a.substr(0, 64), b.substr(0, 64));
  }
  const std::size_t window = std::max<std::size_t>(la, lb) / 2 == 0 ? 0 : std::max<std::size_t>(la, lb) / 2 - 1;
  std::array<bool, 64> ma{}, mb{};
  std::size_t matches = 0;
  for (std::size_t i = 0; i < la; ++i) {
    const std::size_t lo = i > window ? i - window : 0;
    const std::size_t hi = std::min(lb, i + window + 1);
    for (std::size_t j = lo; j < hi; ++j) {
      if (!mb[j] && a[i] == b[j]) {
        ma[i] = mb[j] = true;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  std::size_t transpositions = 0;
  for (std::size_t i = 0, j = 0; i < la; ++i) {
    if (!ma[i]) continue;
    while (!mb[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  const double jaro = (m / static_cast<double>(la) + m / static_cast<double>(lb) +
                       (m - static_cast<double>(transpositions) / 2.0) / m) / 3.0;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

int edit_distance(std::string_view a, std::string_view b, int limit) {
  const int la = static_cast<int>(a.size()), lb = static_cast<int>(b.size());
  if (std::abs(la - lb) > limit) return limit + 1;
  if (lb > 64) return edit_distance(a.substr(0, 64), b.substr(0, 64), limit);  // hostile lengths only
  if (la > 64) return edit_distance(a.substr(0, 64), b, limit);
  // Three rows on the stack: the query hot path calls this for every neighbour it probes.
  std::array<int, 65> row0{}, row1{}, row2{};
  int* prev2 = row0.data();
  int* prev = row1.data();
  int* cur = row2.data();
  for (int j = 0; j <= lb; ++j) prev[j] = j;
  for (int i = 1; i <= la; ++i) {
    cur[0] = i;
    int row_min = cur[0];
    for (int j = 1; j <= lb; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > limit) return limit + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[lb], limit + 1);
}

EditDistanceFrom::EditDistanceFrom(std::string_view word) : word_(word) {
  if (word.size() > 64) return;
  for (std::size_t i = 0; i < word.size(); ++i) positions_[static_cast<unsigned char>(word[i])] |= uint64_t{1} << i;
}

int EditDistanceFrom::distance(std::string_view other) const {
  const std::size_t m = word_.size();
  if (m > 64 || other.size() > 64) return edit_distance(word_, other, static_cast<int>(std::max(m, other.size())));
  if (m == 0) return static_cast<int>(other.size());
  // Column by column over `other`: VP/VN hold the vertical deltas (+1/-1) of the distance
  // table's current column, D0 the diagonal zero-deltas; TR adds the cells a transposition of
  // the previous and current letters reaches. The distance is tracked in the last row.
  const uint64_t last = uint64_t{1} << (m - 1);
  uint64_t vp = ~uint64_t{0}, vn = 0, d0 = 0, previous_match = 0;
  int distance = static_cast<int>(m);
  for (char c : other) {
    const uint64_t match = positions_[static_cast<unsigned char>(c)];
    const uint64_t tr = (((~d0) & match) << 1) & previous_match;
    d0 = ((((match & vp) + vp) ^ vp) | match | vn) | tr;
    uint64_t hp = vn | ~(d0 | vp);
    uint64_t hn = d0 & vp;
    if (hp & last) ++distance;
    if (hn & last) --distance;
    hp = (hp << 1) | 1;
    hn <<= 1;
    vp = hn | ~(d0 | hp);
    vn = hp & d0;
    previous_match = match;
  }
  return distance;
}

std::string one_char_difference(std::string_view q, std::string_view l) {
  if (q == l) return {};
  if (q.size() == l.size()) {
    std::size_t first = q.size(), count = 0;
    for (std::size_t i = 0; i < q.size(); ++i) {
      if (q[i] != l[i]) {
        if (count == 0) first = i;
        ++count;
      }
    }
    if (count == 1) return "substitution";
    if (count == 2 && first + 1 < q.size() && q[first] == l[first + 1] && q[first + 1] == l[first]) {
      return "transposition";
    }
    return {};
  }
  const bool longer = q.size() == l.size() + 1;
  if (!longer && l.size() != q.size() + 1) return {};
  std::string_view big = longer ? q : l, small = longer ? l : q;
  std::size_t i = 0;
  while (i < small.size() && big[i] == small[i]) ++i;
  if (big.substr(i + 1) != small.substr(i)) return {};
  return longer ? "insertion" : "deletion";
}

namespace {
constexpr uint64_t kFnvOffset = 1469598103934665603ULL, kFnvPrime = 1099511628211ULL;
uint64_t hash_start(uint64_t seed) { return kFnvOffset ^ (seed * 0x9E3779B97F4A7C15ULL); }
uint64_t hash_finish(uint64_t h) {
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 32;
  return h;
}
}  // namespace

uint64_t hash_bytes(std::string_view bytes, uint64_t seed) {
  uint64_t h = hash_start(seed);
  for (unsigned char c : bytes) {
    h ^= c;
    h *= kFnvPrime;
  }
  return hash_finish(h);
}

uint64_t hash_without(std::string_view bytes, std::size_t skip1, std::size_t skip2, uint64_t seed) {
  uint64_t h = hash_start(seed);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == skip1 || i == skip2) continue;
    h ^= static_cast<unsigned char>(bytes[i]);
    h *= kFnvPrime;
  }
  return hash_finish(h);
}

}  // namespace detail

std::string normalize_name(std::string_view name) {
  const std::string ascii = detail::to_ascii_upper(name);
  std::string out;
  out.reserve(ascii.size());
  bool space = true;
  for (char c : ascii) {
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum) {
      out.push_back(c);
      space = false;
    } else if (c == '\'' || c == '`') {
      continue;  // O'BRIEN, AL-QA'IDA: the apostrophe is not a word break
    } else if (!space) {
      out.push_back(' ');
      space = true;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string normalize_identifier(IdentifierType type, std::string_view value) {
  std::string ascii = detail::to_ascii_upper(value);
  std::string out;
  for (char c : ascii) {
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) out.push_back(c);
  }
  if (type == IdentifierType::kImo && out.starts_with("IMO")) out.erase(0, 3);
  return out;
}

}  // namespace cordon::screening
