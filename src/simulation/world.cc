// generate_world: traders and their regular partners, carriers and fleets, the watch list, then
// the declarations day by day with planted irregularities and their ground truth.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "core/reference_data.h"
#include "core/time.h"
#include "simulation/names.h"
#include "simulation/objects.h"
#include "simulation/random.h"
#include "simulation/simulation.h"
#include "simulation/trade.h"
#include "simulation/watchlist.h"

namespace cordon::simulation {

using namespace detail;

std::string_view to_string(TraderRole role) {
  switch (role) {
    case TraderRole::kConsignor: return "consignor";
    case TraderRole::kConsignee: return "consignee";
    case TraderRole::kDeclarant: return "declarant";
    case TraderRole::kCarrier: return "carrier";
  }
  return "consignor";
}

std::string_view to_string(WatchEntityType type) {
  switch (type) {
    case WatchEntityType::kPerson: return "person";
    case WatchEntityType::kOrganisation: return "organisation";
    case WatchEntityType::kVehicle: return "vehicle";
    case WatchEntityType::kContainer: return "container";
    case WatchEntityType::kVessel: return "vessel";
  }
  return "person";
}

std::string_view to_string(FactKind kind) {
  switch (kind) {
    case FactKind::kUndervaluation: return "undervaluation";
    case FactKind::kHsDescriptionMismatch: return "hs_description_mismatch";
    case FactKind::kWatchlistParty: return "watchlist_party";
    case FactKind::kStolenVehicle: return "stolen_vehicle";
    case FactKind::kStolenContainer: return "stolen_container";
    case FactKind::kUnusualRoute: return "unusual_route";
    case FactKind::kNewTraderPair: return "new_trader_pair";
    case FactKind::kLookalikeInnocent: return "lookalike_innocent";
  }
  return "undervaluation";
}

std::vector<FactKind> all_fact_kinds() {
  return {FactKind::kUndervaluation, FactKind::kHsDescriptionMismatch, FactKind::kWatchlistParty,
          FactKind::kStolenVehicle,  FactKind::kStolenContainer,       FactKind::kUnusualRoute,
          FactKind::kNewTraderPair,  FactKind::kLookalikeInnocent};
}

std::expected<void, std::string> check_options(const SimulationOptions& options) {
  if (!(options.scale > 0 && options.scale <= 1000)) {
    return std::unexpected(fmt::format("scale {} is outside (0, 1000]", options.scale));
  }
  if (options.days < 1 || options.days > 3660) {
    return std::unexpected(fmt::format("days {} is outside [1, 3660]", options.days));
  }
  if (!parse_date(options.start_date)) {
    return std::unexpected(fmt::format("start date \"{}\" is not a date in the form YYYY-MM-DD", options.start_date));
  }
  if (options.journeys < -1 || options.journeys > 100000) {
    return std::unexpected(
        fmt::format("journeys {} is outside [0, 100000] (-1: 40 per unit of scale)", options.journeys));
  }
  return {};
}

namespace {

// --- world shape ---------------------------------------------------------------------------

constexpr double kDeclarationsPerDayAtScale1 = 10000.0 / 30.0;
constexpr double kTradersAtScale1 = 800;

struct CountryWeight {
  std::string_view country;
  double weight;
};
constexpr CountryWeight kConsignorCountries[] = {
    {"CN", 30}, {"TR", 13}, {"IN", 7}, {"VN", 6}, {"BY", 4}, {"UA", 5}, {"RS", 3},
    {"AE", 6},  {"KR", 4},  {"US", 5}, {"GB", 6}, {"MY", 3}, {"BD", 3}, {"BR", 3},
};
constexpr CountryWeight kConsigneeCountries[] = {
    {"DE", 20}, {"NL", 9}, {"PL", 12}, {"BE", 6}, {"LT", 6}, {"FR", 8}, {"IT", 8}, {"ES", 6}, {"BG", 4},
    {"HU", 4},  {"CZ", 4}, {"RO", 4},  {"AT", 3}, {"GR", 3}, {"LV", 2}, {"EE", 1}, {"SK", 2}, {"FI", 2},
};
// Hauliers per road origin; EU hauliers (LT, PL) drive much of the Belarusian and Ukrainian freight.
constexpr CountryWeight kHaulierCountries[] = {
    {"TR", 12}, {"BY", 5}, {"UA", 6}, {"RS", 3}, {"GB", 3}, {"LT", 5}, {"PL", 5}, {"BG", 3},
};

// Planting rates: probability per declaration (per eligible declaration for vehicles and
// containers). Documented in docs/simulation.md; the tests hold the realised rates to them.
constexpr double kRateUndervaluation = 0.020;
constexpr double kRateHsMismatch = 0.012;
constexpr double kRateWatchlistParty = 0.012;
constexpr double kRateStolenVehicle = 0.030;    // of road declarations
constexpr double kRateStolenContainer = 0.015;  // of sea and rail declarations
constexpr double kRateUnusualRoute = 0.010;
constexpr double kRateNewTraderPair = 0.006;
constexpr double kShareLookalikeConsignors = 0.015;  // of consignors from watch-list countries

template <std::size_t N>
std::vector<double> weights_of(const CountryWeight (&table)[N]) {
  std::vector<double> w;
  for (const auto& c : table) w.push_back(c.weight);
  return w;
}

// Rounds to a decimal step (1, 0.1, 0.01, 0.001). Multiplying and dividing by the power of ten
// gives the double nearest the decimal, so "8245.3" is written, not "8245.300000000001".
double round_to(double value, double step) {
  const double scale = std::round(1.0 / step);
  return scale <= 1.0 ? std::round(value / step) * step : std::round(value * scale) / scale;
}

std::string trader_id(std::size_t index) { return fmt::format("T{:05}", index + 1); }
std::string carrier_id(std::size_t index) { return fmt::format("C{:04}", index + 1); }

// Per-trader generation state that does not belong in the public Trader.
struct TraderState {
  const NameProfile* profile = nullptr;
  std::vector<const Product*> products;
  std::vector<LaneShare> lanes;
  std::vector<std::size_t> partners;  // consignees: consignor indices
  WeightedIndex partner_pick;
  std::size_t declarant = 0;  // consignees: index of their declarant (may be themselves)
  std::string currency;       // consignors: usual invoice currency
  double price_level = 1.0;   // consignors: dearer or cheaper than the market
  bool fills_original = true;  // writes the own-script name in declarations
  int lookalike_of = -1;       // index into the watch list when the name resembles an entry
  std::string lookalike_variant;
};

struct Fleet {
  std::vector<std::size_t> lines;        // carrier indices: shipping lines
  std::vector<std::size_t> airlines;
  std::vector<std::size_t> rail;
  std::map<std::string, std::vector<std::size_t>, std::less<>> hauliers;  // by country
  std::map<std::string, std::vector<std::pair<std::size_t, std::size_t>>, std::less<>> vessels_by_lane;  // (carrier, vessel)
  std::map<std::size_t, std::vector<std::string>> container_owners;  // line -> owner codes
};

struct HandCarrier {
  std::string_view name, original, script, country, city, street, postcode, owner_codes, vessel_prefix,
      designator;
  TransportMode mode;
  std::string_view lanes;  // sea: lanes served; air: origin countries served
};

constexpr HandCarrier kLines[] = {
    {"Oriental Blue Container Line Co., Ltd.", "东方蓝集装箱航运有限公司", "Hans", "CN", "Shanghai", "No. 88 Zhongshan Road", "200001",
     "OBL", "ORIENT", "", TransportMode::kSea, "far-east-sea south-asia-sea"},
    {"Hanseatic Ocean Carriers GmbH", "", "", "DE", "Hamburg", "Am Sandtorkai 44", "20457", "HOC", "HANSA", "",
     TransportMode::kSea, "far-east-sea atlantic-sea gulf-sea"},
    {"Nordic Orient Line A/S", "", "", "DK", "Copenhagen", "Esplanaden 21", "1263", "NOL", "NORDIC", "",
     TransportMode::kSea, "far-east-sea south-asia-sea"},
    {"Pacific Star Shipping Co., Ltd.", "(주)퍼시픽스타해운", "Hang", "KR", "Busan", "55 Jungang-daero", "48939", "PSS",
     "PACIFIC", "", TransportMode::kSea, "far-east-sea"},
    {"Aegean Feeder Lines S.A.", "Αιγαίο Feeder Lines Α.Ε.", "Grek", "GR", "Piraeus", "Akti Miaouli 47", "18536", "AFL",
     "AEGEAN", "", TransportMode::kSea, "turkey-sea gulf-sea"},
    {"Anadolu Denizcilik A.S.", "Anadolu Denizcilik A.Ş.", "Latn", "TR", "Istanbul", "Ataturk Caddesi No: 12", "34000",
     "ANL", "ANATOLIA", "", TransportMode::kSea, "turkey-sea atlantic-sea"},
};
constexpr HandCarrier kAirlines[] = {
    {"Lufthansa Cargo AG", "", "", "DE", "Frankfurt am Main", "Flughafen, Tor 21", "60546", "", "", "LH", TransportMode::kAir, "CN US IN KR GB BR"},
    {"Cargolux Airlines International S.A.", "", "", "LU", "Sandweiler", "Luxembourg Airport", "2990", "", "", "CV", TransportMode::kAir, "CN US KR MY"},
    {"Turkish Airlines Inc.", "Türk Hava Yolları A.O.", "Latn", "TR", "Istanbul", "Ataturk Havalimani", "34149", "", "", "TK", TransportMode::kAir, "TR CN IN AE VN"},
    {"Emirates SkyCargo", "طيران الإمارات للشحن", "Arab", "AE", "Dubai", "Dubai International Airport", "00000", "", "", "EK", TransportMode::kAir, "AE IN CN BD VN"},
    {"Qatar Airways Cargo", "", "", "QA", "Doha", "Hamad International Airport", "00000", "", "", "QR", TransportMode::kAir, "IN BD VN CN"},
    {"China Cargo Airlines Co., Ltd.", "中国货运航空有限公司", "Hans", "CN", "Shanghai", "Pudong Airport Cargo Area", "201202", "", "", "CK", TransportMode::kAir, "CN"},
    {"Korean Air Lines Co., Ltd.", "대한항공", "Hang", "KR", "Seoul", "260 Haneul-gil", "07505", "", "", "KE", TransportMode::kAir, "KR US"},
    {"Air India Ltd", "", "", "IN", "Mumbai", "Sahar Cargo Complex", "400099", "", "", "AI", TransportMode::kAir, "IN"},
};
constexpr HandCarrier kRailOperators[] = {
    {"Eurasian Land Bridge Logistics Co., Ltd.", "欧亚大陆桥物流有限公司", "Hans", "CN", "Chongqing", "No. 16 Tuanjie Village Road", "400000", "", "", "",
     TransportMode::kRail, ""},
    {"Podlaski Terminal Kolejowy Sp. z o.o.", "", "", "PL", "Małaszewicze", "ul. Kolejowa 5", "21-540", "", "", "",
     TransportMode::kRail, ""},
};
constexpr std::string_view kVesselSuffixes[] = {"HARMONY", "AURORA", "TRIUMPH", "SPIRIT", "GLORY", "PIONEER",
                                                "HORIZON", "FORTUNE", "VENTURE", "STAR", "PEARL", "DAWN",
                                                "PRIDE", "TRADER", "EXPRESS", "VICTORY"};

class Generator {
 public:
  Generator(const SimulationOptions& options, const std::function<void(double)>& progress)
      : options_(options), progress_(progress), start_day_(parse_date(options.start_date).value()) {}

  World run() {
    world_.options = options_;
    Rng watch_rng = Rng::stream(options_.seed, "watchlist");
    watchlist_ = build_watchlist(options_.scale, start_day_, watch_rng);
    Rng trader_rng = Rng::stream(options_.seed, "traders");
    make_traders(trader_rng);
    Rng carrier_rng = Rng::stream(options_.seed, "carriers");
    make_carriers(carrier_rng);
    report(0.05);
    Rng decl_rng = Rng::stream(options_.seed, "declarations");
    make_declarations(decl_rng);
    world_.watchlist = std::move(watchlist_.entries);
    return std::move(world_);
  }

 private:
  void report(double fraction) {
    if (progress_) progress_(fraction);
  }

  // --- traders -----------------------------------------------------------------------------

  Trader& add_trader(TraderRole role, std::string_view country, Rng& rng, TraderState** state_out) {
    const NameProfile& profile = profile_for(country);
    Trader t;
    t.id = trader_id(world_.traders.size());
    t.role = role;
    TraderState state;
    state.profile = &profile;
    const bool person = role == TraderRole::kConsignor && !profile.sole_forms.empty() && rng.chance(0.1);
    if (person) {
      const PersonParts parts = make_person(profile, rng);
      const RenderedName name = render_sole_proprietor(parts);
      t.name = name.latin;
      t.name_original = name.original;
      t.natural_person = true;
    } else {
      CompanyParts parts = make_company(profile, rng);
      if (role == TraderRole::kDeclarant) {
        // Customs brokers and forwarders: prefer the transport words of the country's table.
        std::vector<const Word*> transport_words;
        for (const auto& word : profile.industries) {
          const auto w = spelling(word, 0);
          if (w.find("ogist") != std::string_view::npos || w.find("pedit") != std::string_view::npos ||
              w.find("Forward") != std::string_view::npos || w.find("Trans") != std::string_view::npos) {
            transport_words.push_back(&word);
          }
        }
        if (!transport_words.empty()) parts.industry = transport_words[rng.index(transport_words.size())];
      }
      const RenderedName name = render_company(parts, {});
      t.name = name.latin;
      t.name_original = name.original;
      t.legal_form = std::string(spelling(parts.form->form, 0));
    }
    // Turkish, Vietnamese and Serbian names: the Latin form without diacritics is what trade
    // documents carry; the form with them is kept as the original.
    t.script = t.name_original.empty() ? "Latn" : std::string(profile.script);
    t.address = make_address(profile, rng);
    t.tin = make_tin(country, rng);
    if (is_eu(country)) t.eori = make_eori(country, rng);
    state.fills_original = rng.chance(0.75);
    world_.traders.push_back(std::move(t));
    states_.push_back(std::move(state));
    if (state_out) *state_out = &states_.back();
    return world_.traders.back();
  }

  void choose_products(TraderState& state, std::string_view country, Rng& rng) {
    std::vector<const Product*> candidates;
    for (const auto& p : products()) {
      for (auto origin : split(p.origins, ' ')) {
        if (origin == country) candidates.push_back(&p);
      }
    }
    const Product* first = candidates[rng.index(candidates.size())];
    state.products.push_back(first);
    const int more = static_cast<int>(rng.between(0, 3));
    for (int i = 0; i < more; ++i) {
      std::vector<double> w;
      for (const auto* p : candidates) {
        const bool same_chapter = p->hs.substr(0, 2) == first->hs.substr(0, 2);
        const bool taken = std::ranges::find(state.products, p) != state.products.end();
        w.push_back(taken ? 0.0 : same_chapter ? 6.0 : 1.0);
      }
      if (std::ranges::all_of(w, [](double x) { return x == 0; })) break;
      state.products.push_back(candidates[rng.weighted(w)]);
    }
  }

  void make_traders(Rng& rng) {
    const auto total = std::max<int64_t>(40, std::llround(kTradersAtScale1 * options_.scale));
    const auto consignees = std::llround(static_cast<double>(total) * 0.48);
    const auto declarants = std::max<int64_t>(3, std::llround(static_cast<double>(total) * 0.06));
    const auto consignors = total - consignees - declarants;
    const auto consignor_w = weights_of(kConsignorCountries);
    const auto consignee_w = weights_of(kConsigneeCountries);

    std::vector<double> consignor_activity;
    for (int64_t i = 0; i < consignors; ++i) {
      const auto country = kConsignorCountries[rng.weighted(consignor_w)].country;
      TraderState* state = nullptr;
      add_trader(TraderRole::kConsignor, country, rng, &state);
      setup_consignor(*state, world_.traders.back(), country, rng);
      consignor_index_.push_back(world_.traders.size() - 1);
      consignor_activity.push_back(rng.lognormal(0, 1.0));
    }
    add_lookalike_consignors(rng, consignor_activity);

    for (int64_t i = 0; i < declarants; ++i) {
      const auto country = i < 12 ? kConsigneeCountries[static_cast<std::size_t>(i)].country
                                  : kConsigneeCountries[rng.weighted(consignee_w)].country;
      add_trader(TraderRole::kDeclarant, country, rng, nullptr);
      declarant_index_.push_back(world_.traders.size() - 1);
    }

    const WeightedIndex consignor_pick(consignor_activity);
    std::vector<double> activity;
    for (int64_t i = 0; i < consignees; ++i) {
      const auto country = kConsigneeCountries[rng.weighted(consignee_w)].country;
      TraderState* state = nullptr;
      Trader& t = add_trader(TraderRole::kConsignee, country, rng, &state);
      const std::size_t index = world_.traders.size() - 1;
      // Heavy and light importers: a few large ones lodge most declarations.
      activity.push_back(rng.lognormal(0, 1.1));
      const int partner_count = static_cast<int>(rng.between(1, 5));
      std::vector<double> partner_weights;
      for (int k = 0; k < partner_count * 3 && static_cast<int>(state->partners.size()) < partner_count; ++k) {
        const std::size_t c = consignor_index_[consignor_pick(rng)];
        if (std::ranges::find(state->partners, c) != state->partners.end()) continue;
        state->partners.push_back(c);
        partner_weights.push_back(rng.lognormal(0, 0.8));
      }
      state->partner_pick = WeightedIndex(partner_weights);
      // Large importers clear their own goods; the others use a broker, usually in their country.
      std::vector<std::size_t> local;
      for (auto d : declarant_index_) {
        if (world_.traders[d].address.country == country) local.push_back(d);
      }
      if (rng.chance(0.2)) {
        state->declarant = index;
      } else if (!local.empty() && rng.chance(0.85)) {
        state->declarant = local[rng.index(local.size())];
      } else {
        state->declarant = declarant_index_[rng.index(declarant_index_.size())];
      }
      consignee_index_.push_back(index);
      (void)t;
    }
    // Every look-alike consignor trades: give it a buyer.
    for (auto c : lookalike_consignors_) {
      const std::size_t buyer = consignee_index_[rng.index(consignee_index_.size())];
      states_[buyer].partners.push_back(c);
      std::vector<double> w(states_[buyer].partners.size(), 1.0);
      states_[buyer].partner_pick = WeightedIndex(w);
    }
    // Scale activity so that the expected total is the daily rate.
    double sum = 0;
    for (double a : activity) sum += a;
    const double per_day = kDeclarationsPerDayAtScale1 * options_.scale;
    for (std::size_t i = 0; i < consignee_index_.size(); ++i) {
      world_.traders[consignee_index_[i]].activity = round_to(activity[i] / sum * per_day, 0.001);
    }
    consignee_pick_ = WeightedIndex(activity);
    for (std::size_t i = 0; i < world_.traders.size(); ++i) finish_trader_lists(i);
  }

  void setup_consignor(TraderState& state, Trader& t, std::string_view country, Rng& rng) {
    choose_products(state, country, rng);
    state.lanes = lanes_from(country);
    const auto currencies = invoice_currencies(country);
    std::vector<double> w;
    for (const auto& c : currencies) w.push_back(c.weight);
    state.currency = std::string(currencies[rng.weighted(w)].currency);
    state.price_level = rng.uniform(0.85, 1.15);
    (void)t;
  }

  void add_lookalike_consignors(Rng& rng, std::vector<double>& consignor_activity) {
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < watchlist_.subjects.size(); ++i) {
      const auto& s = watchlist_.subjects[i];
      if ((s.type == WatchEntityType::kPerson && s.sole_proprietor) || s.type == WatchEntityType::kOrganisation) {
        if (!is_eu(s.country) && !lanes_from(s.country).empty()) candidates.push_back(i);
      }
    }
    if (candidates.empty()) return;
    const auto count = std::max<int64_t>(
        2, std::llround(static_cast<double>(consignor_index_.size()) * kShareLookalikeConsignors));
    for (int64_t i = 0; i < count; ++i) {
      const std::size_t entry = candidates[rng.index(candidates.size())];
      const WatchSubject& subject = watchlist_.subjects[entry];
      TraderState* state = nullptr;
      Trader& t = add_trader(TraderRole::kConsignor, subject.country, rng, &state);
      CompanyParts company;
      PersonParts person;
      NameVariant look = lookalike_name(subject, watchlist_.entries[entry], rng, &company, &person);
      t.name = look.name.latin;
      t.name_original = look.name.original;
      const NameProfile& profile = profile_for(subject.country);
      t.script = t.name_original.empty() ? "Latn" : std::string(profile.script);
      t.natural_person = subject.type == WatchEntityType::kPerson;
      t.legal_form = subject.type == WatchEntityType::kOrganisation ? std::string(spelling(company.form->form, 0)) : "";
      state->lookalike_of = static_cast<int>(entry);
      state->lookalike_variant = look.variant;
      setup_consignor(*state, t, subject.country, rng);
      consignor_index_.push_back(world_.traders.size() - 1);
      lookalike_consignors_.push_back(world_.traders.size() - 1);
      consignor_activity.push_back(rng.lognormal(0, 1.0));
    }
  }

  void finish_trader_lists(std::size_t i) {
    Trader& t = world_.traders[i];
    const TraderState& s = states_[i];
    t.partners.clear();
    for (auto p : s.partners) t.partners.push_back(world_.traders[p].id);
    t.hs_codes.clear();
    for (const auto* p : s.products) t.hs_codes.emplace_back(p->hs);
  }

  // --- carriers ----------------------------------------------------------------------------

  Trader hand_carrier(const HandCarrier& h, Rng& rng) {
    Trader c;
    c.id = carrier_id(world_.carriers.size());
    c.role = TraderRole::kCarrier;
    c.name = std::string(h.name);
    c.name_original = std::string(h.original);
    if (c.name_original == c.name) c.name_original.clear();
    c.script = c.name_original.empty() ? "Latn" : std::string(h.script);
    c.address = Address{std::string(h.street), std::string(h.city), std::string(h.postcode), std::string(h.country)};
    // Carriers from outside the EU hold an EORI from the member state where they first lodged.
    c.eori = make_eori(is_eu(h.country) ? h.country : "NL", rng);
    c.tin = make_tin(h.country, rng);
    c.mode = h.mode;
    c.airline_designator = std::string(h.designator);
    return c;
  }

  void make_carriers(Rng& rng) {
    const auto vessels_total = std::max<int64_t>(6, std::llround(24 * options_.scale));
    for (const auto& h : kLines) {
      Trader c = hand_carrier(h, rng);
      const std::size_t index = world_.carriers.size();
      fleet_.lines.push_back(index);
      fleet_.container_owners[index] = {std::string(h.owner_codes)};
      world_.carriers.push_back(std::move(c));
    }
    for (int64_t v = 0; v < vessels_total; ++v) {
      const std::size_t line_pos = static_cast<std::size_t>(v) % std::size(kLines);
      const auto& h = kLines[line_pos];
      Trader& line = world_.carriers[fleet_.lines[line_pos]];
      Vessel vessel;
      vessel.imo = make_imo(rng);
      const auto suffix = kVesselSuffixes[static_cast<std::size_t>(v / static_cast<int64_t>(std::size(kLines))) %
                                          std::size(kVesselSuffixes)];
      vessel.name = fmt::format("{} {}", h.vessel_prefix, suffix);
      if (v >= static_cast<int64_t>(std::size(kLines) * std::size(kVesselSuffixes))) {
        vessel.name += fmt::format(" {}", v / static_cast<int64_t>(std::size(kLines) * std::size(kVesselSuffixes)) + 1);
      }
      const auto served = split(h.lanes, ' ');
      const auto lane = served[static_cast<std::size_t>(v / static_cast<int64_t>(std::size(kLines))) % served.size()];
      fleet_.vessels_by_lane[std::string(lane)].push_back({fleet_.lines[line_pos], line.vessels.size()});
      line.vessels.push_back(std::move(vessel));
    }
    // Every sea lane needs a ship even in a tiny world.
    for (const auto& lane : lanes()) {
      if (lane.mode != TransportMode::kSea || fleet_.vessels_by_lane.contains(lane.id)) continue;
      for (std::size_t l = 0; l < std::size(kLines); ++l) {
        const auto served = split(kLines[l].lanes, ' ');
        if (std::ranges::find(served, lane.id) != served.end()) {
          Trader& line = world_.carriers[fleet_.lines[l]];
          Vessel vessel{make_imo(rng), fmt::format("{} {}", kLines[l].vessel_prefix, "MERCHANT")};
          fleet_.vessels_by_lane[std::string(lane.id)].push_back({fleet_.lines[l], line.vessels.size()});
          line.vessels.push_back(std::move(vessel));
          break;
        }
      }
    }
    for (const auto& h : kAirlines) {
      fleet_.airlines.push_back(world_.carriers.size());
      world_.carriers.push_back(hand_carrier(h, rng));
    }
    for (const auto& h : kRailOperators) {
      fleet_.rail.push_back(world_.carriers.size());
      world_.carriers.push_back(hand_carrier(h, rng));
    }
    const auto hauliers = std::max<int64_t>(8, std::llround(40 * options_.scale));
    const auto haulier_w = weights_of(kHaulierCountries);
    for (int64_t i = 0; i < hauliers; ++i) {
      // The first ones cover every country so that each road lane has a haulier.
      const auto country = i < static_cast<int64_t>(std::size(kHaulierCountries))
                               ? kHaulierCountries[static_cast<std::size_t>(i)].country
                               : kHaulierCountries[rng.weighted(haulier_w)].country;
      const NameProfile& profile = profile_for(country);
      CompanyParts parts = make_company(profile, rng);
      RenderedName name = render_company(parts, {});
      Trader c;
      c.id = carrier_id(world_.carriers.size());
      c.role = TraderRole::kCarrier;
      c.name = name.latin;
      c.name_original = name.original;
      c.script = c.name_original.empty() ? "Latn" : std::string(profile.script);
      c.legal_form = std::string(spelling(parts.form->form, 0));
      c.address = make_address(profile, rng);
      c.eori = make_eori(is_eu(country) ? country : (country == "TR" ? "BG" : country == "RS" ? "HU" : "PL"), rng);
      c.tin = make_tin(country, rng);
      c.mode = TransportMode::kRoad;
      const int trucks = static_cast<int>(rng.between(2, 8));
      for (int k = 0; k < trucks; ++k) {
        Vehicle v;
        v.country = std::string(country);
        v.plate = make_plate(country, VehicleKind::kTractor, rng);
        v.vin = make_vin(VehicleKind::kTractor, country, rng);
        v.trailer_plate = make_plate(country, VehicleKind::kTrailer, rng);
        v.trailer_vin = make_vin(VehicleKind::kTrailer, country, rng);
        c.vehicles.push_back(std::move(v));
      }
      fleet_.hauliers[std::string(country)].push_back(world_.carriers.size());
      world_.carriers.push_back(std::move(c));
    }
  }

  // --- declarations ------------------------------------------------------------------------

  Party party_of(const Trader& t, PartyRole role, bool fills_original) const {
    Party p;
    p.role = role;
    p.name = t.name;
    if (fills_original) p.name_original = t.name_original;
    p.address = t.address;
    p.eori = t.eori;
    p.tin = t.tin;
    return p;
  }

  struct Draft {
    Declaration d;
    int64_t lodged_seconds = 0;
    std::size_t declarant = 0;
    std::vector<GroundTruthFact> facts;  // reference filled in after sorting
  };

  int64_t pick_day(Rng& rng) {
    if (day_pick_.empty()) {
      std::vector<double> w;
      for (int i = 0; i < options_.days; ++i) {
        const int64_t day = start_day_ + i;
        const int64_t weekday = ((day % 7) + 7 + 3) % 7;  // 0 = Monday (1970-01-01 was a Thursday)
        w.push_back(weekday < 5 ? 1.0 : weekday == 5 ? 0.35 : 0.2);
      }
      day_pick_ = WeightedIndex(w);
    }
    return start_day_ + static_cast<int64_t>(day_pick_(rng));
  }

  const EntryPoint& pick_entry(const Lane& lane, std::string_view consignee_country, Rng& rng) {
    std::vector<double> w;
    for (const auto& e : lane.entries) w.push_back(e.country == consignee_country ? 6.0 : 1.0);
    return lane.entries[rng.weighted(w)];
  }

  static bool air_unsuitable(const Product& p) {
    return p.package == "NE" || p.package == "VY" || p.package == "TK" || p.package == "CO" || p.package == "BE" ||
           p.eur_per_kg_max < 3;
  }

  void make_declarations(Rng& rng) {
    const auto n = std::max<int64_t>(
        1, std::llround(kDeclarationsPerDayAtScale1 * options_.scale * static_cast<double>(options_.days)));
    std::vector<Draft> drafts;
    drafts.reserve(static_cast<std::size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      drafts.push_back(make_draft(rng));
      if (progress_ && (i % 2000 == 0)) report(0.05 + 0.75 * static_cast<double>(i) / static_cast<double>(n));
    }
    // Chronological order; ties keep generation order so the sort is deterministic.
    std::vector<std::size_t> order(drafts.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::ranges::stable_sort(order, [&](std::size_t a, std::size_t b) {
      return drafts[a].lodged_seconds < drafts[b].lodged_seconds;
    });
    std::map<std::size_t, int64_t> sequence;
    world_.declarations.reserve(drafts.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
      Draft& draft = drafts[order[k]];
      const int64_t seq = ++sequence[draft.declarant];
      const Trader& declarant = world_.traders[draft.declarant];
      // LRN: year, declarant country, the declarant's own short code, a running number.
      draft.d.reference = fmt::format("{}{}{}{:07}", draft.d.lodged_at.substr(2, 2), declarant.address.country,
                                      declarant.id, seq);
      for (auto& fact : draft.facts) {
        fact.reference = draft.d.reference;
        world_.ground_truth.push_back(std::move(fact));
      }
      world_.declarations.push_back(std::move(draft.d));
    }
    for (std::size_t i = 0; i < world_.traders.size(); ++i) finish_trader_lists(i);
    report(0.8);
  }

  std::vector<const Product*> air_products(const TraderState& s) {
    std::vector<const Product*> out;
    for (const auto* p : s.products) {
      if (!air_unsuitable(*p)) out.push_back(p);
    }
    return out;
  }

  Draft make_draft(Rng& rng) {
    Draft draft;
    Declaration& d = draft.d;
    const std::size_t consignee = consignee_index_[consignee_pick_(rng)];
    std::size_t consignor;
    if (!states_[consignee].partners.empty() && rng.chance(0.975)) {
      consignor = states_[consignee].partners[states_[consignee].partner_pick(rng)];
    } else {
      // An occasional purchase from a supplier outside the usual circle.
      consignor = consignor_index_[rng.index(consignor_index_.size())];
    }
    const bool fraud_pair = rng.chance(kRateNewTraderPair);
    // Adds a trader: references into traders_ and states_ are taken only after this.
    if (fraud_pair) consignor = new_fraud_consignor(std::string(world_.traders[consignor].address.country), rng);
    const TraderState& cs = states_[consignee];
    const Trader& cor = world_.traders[consignor];
    const TraderState& ors = states_[consignor];
    const Trader& cee = world_.traders[consignee];
    const std::string origin = cor.address.country;

    // Lane: the consignor's usual modes; air only for goods that fly.
    std::vector<double> lane_w;
    const auto flyable = air_products(ors);
    for (const auto& l : ors.lanes) lane_w.push_back(l.lane->mode == TransportMode::kAir && flyable.empty() ? 0 : l.weight);
    const Lane& lane = *ors.lanes[rng.weighted(lane_w)].lane;
    const EntryPoint& entry = pick_entry(lane, cee.address.country, rng);
    const auto loading = loading_places(lane, origin);

    // Dates: sea, rail and air declarations are lodged before loading; road ones before arrival.
    const int64_t day = pick_day(rng);
    // Office hours, busiest late morning; redrawn rather than clamped so no instant piles up.
    double hour = rng.normal(11.5, 2.6);
    while (hour < 6.0 || hour >= 20.0) hour = rng.normal(11.5, 2.6);
    draft.lodged_seconds = day * 86400 + static_cast<int64_t>(hour * 3600) + rng.between(0, 59);
    const int transit = static_cast<int>(rng.between(lane.transit_days_min, lane.transit_days_max));
    int64_t loading_day, arrival_day;
    if (lane.mode == TransportMode::kRoad) {
      arrival_day = day + rng.between(0, 1);
      loading_day = arrival_day - transit;
    } else if (lane.mode == TransportMode::kAir) {
      loading_day = day + rng.between(0, 1);
      arrival_day = loading_day + transit;
    } else {
      loading_day = day + rng.between(1, 3);
      arrival_day = loading_day + transit;
    }
    d.kind = DeclarationKind::kEntrySummary;
    d.mode = lane.mode;
    d.loading_date = format_date(loading_day);
    d.arrival_date = format_date(arrival_day);
    d.lodged_at = format_timestamp(draft.lodged_seconds);
    d.office_of_first_entry = std::string(entry.office);
    d.routing.place_of_loading = std::string(loading[rng.index(loading.size())]);
    d.routing.place_of_unloading = std::string(entry.locode);

    // Routing: origin, a hub sometimes, the land bridge, the entry country, the destination.
    d.routing.countries.push_back(origin);
    const auto via = split(lane.via, ' ');
    if (!via.empty() && rng.chance(0.4)) {
      const auto hub = via[rng.index(via.size())];
      if (hub != origin) d.routing.countries.emplace_back(hub);
    }
    for (auto fixed : split(lane.via_fixed, ' ')) d.routing.countries.emplace_back(fixed);
    if (d.routing.countries.back() != entry.country) d.routing.countries.emplace_back(entry.country);
    if (cee.address.country != entry.country) d.routing.countries.push_back(cee.address.country);

    // Parties.
    const std::size_t declarant = cs.declarant;
    draft.declarant = declarant;
    d.declarant = party_of(world_.traders[declarant], PartyRole::kDeclarant, true);
    d.parties.push_back(party_of(cor, PartyRole::kConsignor, ors.fills_original));
    d.parties.push_back(party_of(cee, PartyRole::kConsignee, cs.fills_original));
    make_goods(d, lane, ors, cor, rng);
    make_transport(d, lane, origin, loading_day, rng);
    if (rng.chance(0.2) && declarant != consignee) {
      d.parties.push_back(party_of(world_.traders[declarant], PartyRole::kNotifyParty, true));
    }
    if (lane.mode == TransportMode::kRoad && rng.chance(0.35)) make_transit(d, entry, cee, arrival_day, rng);

    // The facts: the look-alike is a standing property of the trader, the rest are planted.
    if (ors.lookalike_of >= 0) {
      const auto& e = watchlist_.entries[static_cast<std::size_t>(ors.lookalike_of)];
      draft.facts.push_back({"", FactKind::kLookalikeInnocent, "parties[0].name", e.id, ors.lookalike_variant,
                             fmt::format("\"{}\" resembles listed \"{}\" but is a different {}", cor.name,
                                         e.names.front().name,
                                         e.type == WatchEntityType::kPerson ? "person" : "company")});
    }
    if (fraud_pair) {
      draft.facts.push_back({"", FactKind::kNewTraderPair, "parties[0]", "", "new_consignor",
                             fmt::format("first consignment from newly appeared {} to {}; the pair has no history",
                                         cor.name, cee.name)});
    }
    const bool undervalue = rng.chance(kRateUndervaluation) || (fraud_pair && rng.chance(0.5));
    if (undervalue) plant_undervaluation(draft, rng);
    if (rng.chance(kRateHsMismatch) || (fraud_pair && !undervalue && rng.chance(0.5))) plant_hs_mismatch(draft, rng);
    if (rng.chance(kRateWatchlistParty)) plant_watchlist_party(draft, rng);
    if (lane.mode == TransportMode::kRoad && rng.chance(kRateStolenVehicle)) plant_stolen_vehicle(draft, rng);
    if ((lane.mode == TransportMode::kSea || lane.mode == TransportMode::kRail) && rng.chance(kRateStolenContainer)) {
      plant_stolen_container(draft, rng);
    }
    if (rng.chance(kRateUnusualRoute)) plant_unusual_route(draft, lane, rng);
    return draft;
  }

  // The country is copied: it usually points into a trader that add_trader may move.
  std::size_t new_fraud_consignor(const std::string country, Rng& rng) {
    TraderState* state = nullptr;
    Trader& t = add_trader(TraderRole::kConsignor, country, rng, &state);
    setup_consignor(*state, t, country, rng);
    return world_.traders.size() - 1;
  }

  void make_goods(Declaration& d, const Lane& lane, const TraderState& ors, const Trader& cor, Rng& rng) {
    constexpr std::array<double, 5> kItemCounts = {0.62, 0.22, 0.10, 0.04, 0.02};
    const std::size_t items = rng.weighted(kItemCounts) + 1;
    std::vector<const Product*> choice = lane.mode == TransportMode::kAir ? air_products(ors) : ors.products;
    if (choice.empty()) choice = ors.products;
    const double mass_cap = lane.mode == TransportMode::kRoad ? 24000 : lane.mode == TransportMode::kAir ? 3000 : 1e9;
    double total = 0;
    for (std::size_t i = 0; i < items; ++i) {
      const Product& p = *(i == 0 && rng.chance(0.6) ? choice.front() : choice[rng.index(choice.size())]);
      GoodsItem g;
      const auto descriptions = split(p.descriptions, '|');
      g.description = std::string(descriptions[rng.index(descriptions.size())]);
      g.hs_code = std::string(p.hs);
      if (rng.chance(0.3)) g.hs_code += "00";  // an 8-digit Combined Nomenclature code
      double gross = rng.log_uniform(p.item_kg_min, p.item_kg_max) / std::sqrt(static_cast<double>(items));
      if (lane.mode == TransportMode::kAir) gross = std::min(gross * rng.uniform(0.02, 0.15), 2500.0);
      gross = std::max(gross, 5.0);
      if (p.package == "NE") gross = std::max(1.0, std::round(gross / p.kg_per_package)) * p.kg_per_package;
      g.gross_mass_kg = round_to(gross, gross > 1000 ? 1.0 : 0.1);
      const double net = round_to(g.gross_mass_kg * (p.package == "NE" ? 1.0 : rng.uniform(0.86, 0.96)), 0.1);
      g.net_mass_kg = std::min(net, g.gross_mass_kg);
      g.packages.kind = std::string(p.package);
      g.packages.count = p.package == "VY" ? 0 : std::max<int64_t>(1, std::llround(*g.net_mass_kg / p.kg_per_package));
      const double eur = *g.net_mass_kg * rng.log_uniform(p.eur_per_kg_min, p.eur_per_kg_max) * ors.price_level;
      g.value.currency = rng.chance(0.9) ? ors.currency : "EUR";
      const double amount = eur / eur_rate(g.value.currency);
      g.value.amount = round_to(amount, amount > 100000 ? 1.0 : 0.01);
      g.origin_country = cor.address.country;
      if (cor.address.country == "AE") {
        // Jebel Ali re-exports: most goods were made elsewhere.
        const auto origins = split(p.origins, ' ');
        std::vector<std::string_view> others;
        for (auto o : origins) if (o != "AE") others.push_back(o);
        if (!others.empty() && rng.chance(0.6)) g.origin_country = std::string(others[rng.index(others.size())]);
      }
      total += g.gross_mass_kg;
      d.goods.push_back(std::move(g));
    }
    if (total > mass_cap) {
      for (auto& g : d.goods) {
        g.gross_mass_kg = round_to(g.gross_mass_kg * mass_cap / total, 1.0);
        g.net_mass_kg = std::min(round_to(*g.net_mass_kg * mass_cap / total, 1.0), g.gross_mass_kg);
        g.gross_mass_kg = std::max(g.gross_mass_kg, 1.0);
        g.net_mass_kg = std::max(*g.net_mass_kg, 0.5);
        if (g.packages.count > 0) g.packages.count = std::max<int64_t>(1, std::llround(g.packages.count * mass_cap / total));
        g.value.amount = round_to(g.value.amount * mass_cap / total, 0.01);
      }
    }
  }

  void make_transport(Declaration& d, const Lane& lane, const std::string& origin, int64_t loading_day, Rng& rng) {
    std::size_t carrier = 0;
    switch (lane.mode) {
      case TransportMode::kSea: {
        const auto& ships = fleet_.vessels_by_lane.at(std::string(lane.id));
        // One ship a week calls at each port: consignments loaded the same week share it.
        const auto week = static_cast<std::size_t>(loading_day / 7);
        const auto port_hash = static_cast<std::size_t>(hash_label(d.routing.place_of_loading) % 97);
        const auto& [line, vessel_index] = ships[(week + port_hash) % ships.size()];
        const Vessel& vessel = world_.carriers[line].vessels[vessel_index];
        d.transport.vessel_imo = vessel.imo;
        d.transport.vessel_name = vessel.name;
        carrier = line;
        add_containers(d, fleet_.container_owners.at(line), rng);
        break;
      }
      case TransportMode::kRail:
        carrier = fleet_.rail[rng.index(fleet_.rail.size())];
        add_containers(d, {"TGH", "CAI", "TBJ", "CXR"}, rng);
        break;
      case TransportMode::kAir: {
        std::vector<double> w;
        for (std::size_t k = 0; k < fleet_.airlines.size(); ++k) {
          const auto served = split(kAirlines[k].lanes, ' ');
          const bool serves = std::ranges::find(served, std::string_view(origin)) != served.end();
          const bool home = kAirlines[k].country == origin;
          w.push_back((serves ? 1.0 : 0.02) + (home ? 3.0 : 0.0));
        }
        carrier = fleet_.airlines[rng.weighted(w)];
        const auto& airline = world_.carriers[carrier];
        // A handful of scheduled freighter flights per airline and airport.
        const auto base = 100 + hash_label(airline.airline_designator + d.routing.place_of_loading) % 8000;
        d.transport.flight_number = fmt::format("{}{}", airline.airline_designator, base + rng.between(0, 3) * 2);
        break;
      }
      case TransportMode::kRoad: {
        std::vector<std::size_t> candidates = fleet_.hauliers[origin];
        if (origin == "BY" || origin == "UA") {
          for (auto c : fleet_.hauliers["LT"]) candidates.push_back(c);
          for (auto c : fleet_.hauliers["PL"]) candidates.push_back(c);
        }
        if (origin == "TR") {
          for (auto c : fleet_.hauliers["BG"]) candidates.push_back(c);
        }
        carrier = candidates[rng.index(candidates.size())];
        const auto& vehicles = world_.carriers[carrier].vehicles;
        const Vehicle& v = vehicles[rng.index(vehicles.size())];
        d.transport.vehicle_plate = v.plate;
        d.transport.vehicle_country = v.country;
        d.transport.vehicle_vin = v.vin;
        d.transport.trailer_plate = v.trailer_plate;
        d.transport.trailer_country = v.country;
        d.transport.trailer_vin = v.trailer_vin;
        break;
      }
      default:
        break;
    }
    d.parties.push_back(party_of(world_.carriers[carrier], PartyRole::kCarrier, true));
  }

  void add_containers(Declaration& d, const std::vector<std::string>& owners, Rng& rng) {
    double total = 0;
    for (const auto& g : d.goods) total += g.gross_mass_kg;
    const auto count = static_cast<std::size_t>(std::clamp<int64_t>(std::llround(std::ceil(total / 24000.0)), 1, 12));
    std::vector<std::string> numbers;
    for (std::size_t i = 0; i < count; ++i) {
      // Lines own about half their boxes and lease the rest.
      const bool leased = rng.chance(0.45);
      const std::string owner = leased ? std::string(std::array<std::string_view, 5>{"TGH", "TCN", "SEG", "CAI", "FCI"}[rng.index(5)])
                                       : owners[rng.index(owners.size())];
      numbers.push_back(make_container_number(owner, rng));
    }
    for (std::size_t i = 0; i < d.goods.size(); ++i) {
      if (d.goods.size() >= count) {
        d.goods[i].containers.push_back(numbers[i % count]);
      } else {
        // Fewer items than boxes: the last item fills the remaining boxes.
        d.goods[i].containers.push_back(numbers[i]);
        if (i + 1 == d.goods.size()) {
          for (std::size_t k = i + 1; k < count; ++k) d.goods[i].containers.push_back(numbers[k]);
        }
      }
    }
  }

  void make_transit(Declaration& d, const EntryPoint& entry, const Trader& consignee, int64_t arrival_day, Rng& rng) {
    d.kind = DeclarationKind::kTransit;
    Transit t;
    t.office_of_departure = std::string(entry.office);
    // Inland office of destination near the consignee: a stable number per country and city.
    const auto h = hash_label(consignee.address.city);
    t.office_of_destination = fmt::format("{}{:06}", consignee.address.country, h % 1000000);
    if (consignee.address.country != entry.country) {
      t.offices_of_transit.push_back(fmt::format("{}{:06}", consignee.address.country, (h >> 20) % 1000000));
    }
    const int seals = static_cast<int>(rng.between(1, 2));
    for (int i = 0; i < seals; ++i) t.seals.push_back(fmt::format("{}{:07}", entry.country, rng.between(0, 9999999)));
    if (rng.chance(0.5)) t.devices.push_back(fmt::format("ESD-{:08X}", rng.next() & 0xffffffffULL));
    t.time_limit = format_timestamp((arrival_day + 8) * 86400 + 23 * 3600 + 59 * 60);
    t.mrn = fmt::format("{}{}{:013}", d.lodged_at.substr(2, 2), entry.country, rng.between(0, 999999999999LL));
    t.mrn += static_cast<char>('A' + rng.between(0, 25));
    d.transit = std::move(t);
  }

  // --- plants ------------------------------------------------------------------------------

  std::size_t richest_item(const Declaration& d) {
    std::size_t best = 0;
    double best_value = -1;
    for (std::size_t i = 0; i < d.goods.size(); ++i) {
      const double eur = d.goods[i].value.amount * eur_rate(d.goods[i].value.currency);
      if (eur > best_value) best_value = eur, best = i;
    }
    return best;
  }

  void plant_undervaluation(Draft& draft, Rng& rng) {
    Declaration& d = draft.d;
    const std::size_t i = richest_item(d);
    GoodsItem& g = d.goods[i];
    const Product* p = find_product(g.hs_code.substr(0, 6));
    if (p == nullptr) return;
    const double eur_per_kg = p->eur_per_kg_min * rng.uniform(0.08, 0.35);
    const double amount = *g.net_mass_kg * eur_per_kg / eur_rate(g.value.currency);
    g.value.amount = round_to(amount, amount > 100000 ? 1.0 : 0.01);
    draft.facts.push_back({"", FactKind::kUndervaluation, fmt::format("goods[{}].value", i), "", "below_range",
                           fmt::format("declared {:.2f} EUR/kg net for {} (usual {}-{} EUR/kg)", eur_per_kg, p->hs,
                                       p->eur_per_kg_min, p->eur_per_kg_max)});
  }

  void plant_hs_mismatch(Draft& draft, Rng& rng) {
    Declaration& d = draft.d;
    const std::size_t i = rng.index(d.goods.size());
    GoodsItem& g = d.goods[i];
    const auto all = products();
    const Product* other = nullptr;
    for (int attempt = 0; attempt < 20 && other == nullptr; ++attempt) {
      const Product& candidate = all[rng.index(all.size())];
      if (candidate.hs.substr(0, 2) != std::string_view(g.hs_code).substr(0, 2)) other = &candidate;
    }
    if (other == nullptr) return;
    const std::string was = g.hs_code.substr(0, 6);
    g.hs_code = std::string(other->hs) + (g.hs_code.size() > 6 ? "00" : "");
    const auto* hs = reference::find_hs(other->hs);
    draft.facts.push_back({"", FactKind::kHsDescriptionMismatch, fmt::format("goods[{}].hs_code", i), "",
                           "code_of_other_product",
                           fmt::format("described as \"{}\" ({}) but declared under {} ({})", g.description, was,
                                       other->hs, hs ? hs->description : std::string(split(other->descriptions, '|')[0]))});
  }

  void plant_watchlist_party(Draft& draft, Rng& rng) {
    Declaration& d = draft.d;
    const std::string consignor_country = d.parties[0].address.country;
    const std::string consignee_country = d.parties[1].address.country;
    std::vector<std::size_t> as_consignor, as_consignee, persons;
    for (std::size_t i = 0; i < watchlist_.subjects.size(); ++i) {
      const auto& s = watchlist_.subjects[i];
      if (!s.active) continue;
      if (s.type == WatchEntityType::kOrganisation) {
        if (s.country == consignor_country) as_consignor.push_back(i);
        if (s.country == consignee_country) as_consignee.push_back(i);
      } else if (s.type == WatchEntityType::kPerson) {
        if (s.country == consignor_country && s.sole_proprietor) as_consignor.push_back(i);
        persons.push_back(i);
      }
    }
    std::size_t entry;
    std::size_t party_index;
    if (!as_consignor.empty() && rng.chance(0.7)) {
      entry = as_consignor[rng.index(as_consignor.size())];
      party_index = 0;
    } else if (!as_consignee.empty() && rng.chance(0.6)) {
      entry = as_consignee[rng.index(as_consignee.size())];
      party_index = 1;
    } else if (!persons.empty()) {
      entry = persons[rng.index(persons.size())];
      party_index = 1;
    } else {
      return;
    }
    const WatchSubject& s = watchlist_.subjects[entry];
    const WatchlistEntry& e = watchlist_.entries[entry];
    NameVariant v = listed_party_name(s, e, rng);
    Party& party = d.parties[party_index];
    party.name = v.name.latin;
    party.name_original = rng.chance(0.7) && v.name.original != v.name.latin ? v.name.original : "";
    if (s.type == WatchEntityType::kOrganisation) {
      party.address = s.address;
      party.tin = s.tin;
      party.eori = s.eori;
    } else if (party_index == 1) {
      // A private person importing to their home in the EU.
      party.address = make_address(profile_for(consignee_country), rng);
      party.eori.clear();
      party.tin.clear();
    } else {
      party.address = make_address(profile_for(s.country), rng);
      party.tin = make_tin(s.country, rng);
      party.eori.clear();
    }
    draft.facts.push_back({"", FactKind::kWatchlistParty, fmt::format("parties[{}].name", party_index), e.id, v.variant,
                           fmt::format("{} \"{}\" is listed as \"{}\"", party_index == 0 ? "consignor" : "consignee",
                                       party.name, e.names.front().name)});
  }

  void plant_stolen_vehicle(Draft& draft, Rng& rng) {
    Declaration& d = draft.d;
    std::vector<std::size_t> vehicles;
    for (std::size_t i = 0; i < watchlist_.subjects.size(); ++i) {
      if (watchlist_.subjects[i].type == WatchEntityType::kVehicle) vehicles.push_back(i);
    }
    if (vehicles.empty()) return;
    const std::size_t entry = vehicles[rng.index(vehicles.size())];
    const WatchSubject& s = watchlist_.subjects[entry];
    const auto& e = watchlist_.entries[entry];
    Transport& t = d.transport;
    std::string variant, path;
    const double roll = rng.uniform();
    if (s.trailer) {
      if (roll < 0.4) {
        t.trailer_plate = s.vehicle.plate;
        t.trailer_country = s.vehicle.country;
        variant = "trailer_exact";
        path = "transport.trailer_plate";
      } else {
        variant = "trailer_vin_only";
        path = "transport.trailer_vin";
      }
      t.trailer_vin = s.vehicle.vin;
    } else if (roll < 0.3) {
      t.vehicle_plate = s.vehicle.plate;
      t.vehicle_country = s.vehicle.country;
      t.vehicle_vin = s.vehicle.vin;
      variant = "exact_plate";
      path = "transport.vehicle_plate";
    } else if (roll < 0.65) {
      // Re-registered under the haulier's own plates: only the VIN gives it away.
      t.vehicle_vin = s.vehicle.vin;
      variant = "vin_only";
      path = "transport.vehicle_vin";
    } else {
      t.vehicle_plate = plate_one_char_error(s.vehicle.plate, rng);
      t.vehicle_country = s.vehicle.country;
      t.vehicle_vin.clear();
      variant = "plate_one_char";
      path = "transport.vehicle_plate";
    }
    draft.facts.push_back({"", FactKind::kStolenVehicle, path, e.id, variant,
                           fmt::format("{} {} ({}, VIN {}) is reported stolen", s.trailer ? "trailer" : "vehicle",
                                       s.vehicle.plate, s.vehicle.country, s.vehicle.vin)});
  }

  void plant_stolen_container(Draft& draft, Rng& rng) {
    Declaration& d = draft.d;
    std::vector<std::size_t> boxes;
    for (std::size_t i = 0; i < watchlist_.subjects.size(); ++i) {
      if (watchlist_.subjects[i].type == WatchEntityType::kContainer) boxes.push_back(i);
    }
    if (boxes.empty() || d.goods[0].containers.empty()) return;
    const std::size_t entry = boxes[rng.index(boxes.size())];
    const std::string replaced = d.goods[0].containers[0];
    const std::string& stolen = watchlist_.subjects[entry].container;
    for (auto& g : d.goods) {
      for (auto& c : g.containers) {
        if (c == replaced) c = stolen;
      }
    }
    draft.facts.push_back({"", FactKind::kStolenContainer, "goods[0].containers[0]", watchlist_.entries[entry].id,
                           "exact", fmt::format("container {} is reported stolen", stolen)});
  }

  void plant_unusual_route(Draft& draft, const Lane& lane, Rng& rng) {
    auto& countries = draft.d.routing.countries;
    std::vector<std::string_view> options;
    for (auto c : risk_transit_countries()) {
      if (std::ranges::find(countries, c) == countries.end()) options.push_back(c);
    }
    if (options.empty()) return;
    const auto inserted = options[rng.index(options.size())];
    countries.insert(countries.begin() + 1, std::string(inserted));
    draft.facts.push_back({"", FactKind::kUnusualRoute, "routing.countries[1]", "", "risk_transit_country",
                           fmt::format("routed through {}, which is not on the {} lane ({})", inserted, lane.id,
                                       lane.origins)});
  }

  const SimulationOptions& options_;
  const std::function<void(double)>& progress_;
  int64_t start_day_;
  World world_;
  Watchlist watchlist_;
  std::vector<TraderState> states_;  // parallel to world_.traders
  std::vector<std::size_t> consignor_index_, consignee_index_, declarant_index_, lookalike_consignors_;
  WeightedIndex consignee_pick_;
  WeightedIndex day_pick_;
  Fleet fleet_;
};

}  // namespace

World generate_world(const SimulationOptions& options, const std::function<void(double)>& progress) {
  if (auto ok = check_options(options); !ok) throw std::invalid_argument(ok.error());
  Generator generator(options, progress);
  return generator.run();
}

}  // namespace cordon::simulation
