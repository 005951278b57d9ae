#include "simulation/trade.h"

#include <array>

namespace cordon::simulation::detail {
namespace {

// Value ranges are customs values (CIF-like) per kg of net mass in EUR, from public unit-value
// statistics rounded generously; masses are one goods item of one consignment.
constexpr Product kProducts[] = {
    // Electronics
    {"851713", "Smartphones, 128 GB, boxed with charger|Mobile phones, Android, 6.5 inch display|Cellular telephones for wireless networks (smartphones)|Smartphones 256GB assorted colours",
     150, 900, 40, 1800, "CT", 12, "CN VN KR IN AE"},
    {"851762", "Wi-Fi routers|Network switches, 24-port, managed|5G CPE modems|Wireless access points", 40, 200, 80, 3000, "CT", 10, "CN VN MY"},
    {"847130", "Laptop computers 15.6 inch|Notebook computers, Intel i5, 16 GB RAM|Portable computers (laptops) with keyboards", 150, 500, 100, 3000, "CT", 8, "CN VN MY"},
    {"852872", "LED televisions 55 inch|Smart TV sets, 4K UHD, 65 inch|Colour television receivers, LCD, 43 inch", 8, 25, 500, 9000, "CT", 18, "CN KR VN MY"},
    {"850760", "Lithium-ion battery packs|Li-ion cells 18650|Lithium-ion batteries for e-bikes", 8, 40, 200, 12000, "CT", 20, "CN KR"},
    {"854143", "Photovoltaic modules, monocrystalline, 450 W|Solar panels 410W, framed|PV modules for rooftop installation", 1.5, 4, 5000, 22000, "PX", 650, "CN VN MY IN"},
    {"851830", "Wireless earphones, Bluetooth|Headphones with microphone|Headsets for mobile phones", 20, 120, 50, 2500, "CT", 9, "CN VN"},
    {"850440", "Power adapters 65W|Solar inverters, 10 kW|Static converters, AC/DC power supplies", 10, 60, 100, 8000, "CT", 15, "CN MY KR"},
    {"852589", "Surveillance cameras, IP|Action cameras with accessories|Digital cameras", 50, 300, 30, 1500, "CT", 8, "CN KR"},
    {"847330", "Computer parts: motherboards|Solid state drives 1TB|Graphics cards and computer parts", 50, 400, 30, 1500, "CT", 10, "CN MY KR"},
    {"854340", "Disposable electronic cigarettes, 600 puffs|E-cigarettes, rechargeable pod systems|Personal electric vaporising devices", 30, 120, 50, 3000, "CT", 10, "CN"},
    // Textiles, footwear, bags
    {"610910", "Men's cotton T-shirts, knitted, assorted colours|Ladies' T-shirts, 100% cotton|Children's printed T-shirts, cotton jersey|Cotton knitted T-shirts, plain", 6, 20, 200, 9000, "CT", 15, "CN BD IN TR VN"},
    {"620342", "Men's denim jeans, cotton|Men's cotton trousers, woven|Men's work trousers, cotton twill", 8, 25, 300, 9000, "CT", 20, "CN BD TR VN"},
    {"620462", "Women's cotton trousers|Ladies' denim jeans|Women's cotton shorts, woven", 8, 25, 300, 8000, "CT", 18, "CN BD TR VN IN"},
    {"611030", "Sweaters, knitted, acrylic|Pullovers of man-made fibres|Cardigans, polyester knit", 8, 22, 200, 7000, "CT", 15, "CN BD TR"},
    {"620140", "Men's padded jackets, polyester|Anoraks of man-made fibres|Men's winter parkas", 10, 30, 300, 7000, "CT", 12, "CN VN BD"},
    {"630260", "Terry towels, cotton|Bath towels 70x140, cotton terry|Kitchen towels of cotton terry", 4, 9, 500, 12000, "BL", 40, "TR IN CN"},
    {"630231", "Bed linen, cotton, white|Duvet covers and pillowcases, cotton|Cotton bed sheets", 4, 10, 500, 12000, "CT", 25, "IN TR CN"},
    {"420292", "Backpacks, polyester|Travel bags of textile material|Sports bags, nylon", 5, 30, 200, 6000, "CT", 12, "CN VN"},
    {"420221", "Handbags with outer surface of leather|Leather handbags, ladies'|Leather shoulder bags", 40, 200, 50, 1500, "CT", 10, "CN IN TR"},
    {"640299", "Footwear with rubber soles and plastic uppers|Plastic sandals|Rubber slippers", 5, 20, 300, 8000, "CT", 12, "CN VN"},
    {"640391", "Leather boots covering the ankle|Men's leather ankle boots|Safety boots, leather uppers", 15, 50, 200, 6000, "CT", 14, "CN VN IN TR"},
    {"640411", "Sports shoes, textile uppers|Running shoes, mesh uppers, rubber soles|Training shoes", 8, 30, 300, 8000, "CT", 10, "CN VN"},
    // Toys, consoles, household
    {"950300", "Plastic toys, assorted|Dolls and accessories|Building block toys|Remote-controlled toy cars", 4, 20, 200, 8000, "CT", 12, "CN VN"},
    {"950450", "Video game consoles|Handheld game consoles with controllers", 80, 300, 50, 2000, "CT", 10, "CN VN MY"},
    {"392410", "Plastic tableware and kitchenware|Food storage containers, plastic|Plastic cups and plates", 3, 8, 300, 9000, "CT", 14, "CN TR VN"},
    {"392321", "Polyethylene bags|Plastic carrier bags, HDPE|Garbage bags, polyethylene", 1.5, 4, 1000, 20000, "BG", 25, "CN VN MY TR"},
    {"691110", "Porcelain tableware|Porcelain dinner sets|Porcelain cups and saucers", 2, 6, 500, 15000, "CT", 20, "CN TR"},
    {"701349", "Glassware, drinking glasses|Glass tea cups|Glass food containers", 2, 6, 500, 15000, "CT", 18, "TR CN"},
    {"732393", "Stainless steel cookware|Stainless steel kitchen utensils|Stainless steel pots and pans sets", 5, 15, 300, 9000, "CT", 15, "CN IN TR"},
    {"820551", "Household hand tools|Kitchen hand tools, assorted|Garden hand tools", 4, 10, 300, 9000, "CT", 18, "CN IN"},
    {"830140", "Door locks|Padlocks, brass|Locks for furniture", 6, 20, 200, 6000, "CT", 20, "CN TR"},
    {"401519", "Nitrile gloves, powder free|Disposable vinyl gloves|Rubber household gloves", 2, 5, 2000, 16000, "CT", 10, "MY CN"},
    {"900410", "Sunglasses|Sunglasses, polarised, assorted|Fashion sunglasses", 20, 80, 30, 1200, "CT", 8, "CN"},
    {"911110", "Watch cases of precious metal", 300, 3000, 5, 100, "CT", 5, "CN"},
    {"330499", "Cosmetic creams|Skin care preparations|Make-up preparations, assorted", 10, 60, 100, 5000, "CT", 12, "KR CN TR IN AE"},
    {"330300", "Perfumes, eau de parfum|Eau de toilette, 100 ml", 20, 100, 50, 2000, "CT", 10, "AE TR CN"},
    {"711319", "Gold jewellery, 18 carat|Articles of jewellery of gold|Gold chains and bracelets", 5000, 40000, 1, 30, "BX", 2, "AE TR IN"},
    // Furniture, wood, building
    {"940360", "Wooden furniture, assembled|Wooden dining tables|Wooden bedroom furniture|Oak wood cabinets", 2, 6, 800, 12000, "PK", 35, "CN VN BY UA TR"},
    {"940171", "Upholstered chairs with metal frames|Office chairs, upholstered|Sofas with metal frames", 3, 8, 500, 9000, "PK", 22, "CN VN TR"},
    {"440712", "Sawn spruce timber|Sawn wood of fir and spruce, planed|Coniferous timber, sawn", 0.3, 0.7, 15000, 24000, "BE", 1200, "UA BY"},
    {"441112", "MDF boards|Medium density fibreboard, 3 mm|MDF panels", 0.4, 0.9, 10000, 24000, "PX", 900, "CN TR BY"},
    {"440122", "Wood chips, non-coniferous|Wood chips for fuel", 0.06, 0.15, 15000, 24000, "VY", 24000, "UA BY"},
    {"440131", "Wood pellets|Wood pellets for heating, 15 kg bags", 0.15, 0.35, 15000, 24000, "BG", 15, "UA BY"},
    {"730890", "Steel structures|Steel structural parts for buildings|Scaffolding of steel", 1.5, 4, 3000, 22000, "PX", 800, "CN TR UA"},
    {"720838", "Hot-rolled steel coils, 3-4.75 mm|Flat-rolled products of iron, hot-rolled, in coils", 0.5, 0.9, 18000, 24000, "CO", 20000, "TR IN UA"},
    {"721420", "Reinforcing steel bars|Rebar, hot-rolled, 12 mm", 0.5, 0.8, 18000, 24000, "BE", 2000, "TR UA"},
    {"760421", "Aluminium profiles, hollow|Aluminium alloy hollow profiles for windows", 3, 6, 2000, 20000, "BE", 400, "TR CN"},
    {"740311", "Copper cathodes|Refined copper cathodes, grade A", 7, 10, 18000, 24000, "BE", 2500, "US BR"},
    // Machinery, vehicles, parts
    {"847989", "Machines with individual functions|Packaging machines|Industrial mixing machines", 8, 40, 300, 12000, "CS", 500, "CN TR KR US"},
    {"843149", "Parts of excavators|Parts for cranes and excavators|Excavator buckets", 3, 10, 500, 15000, "PX", 300, "CN TR KR"},
    {"841510", "Air conditioners, split system, wall mounted|Wall-mounted air conditioning units", 6, 15, 1000, 12000, "CT", 45, "CN TR"},
    {"841810", "Combined refrigerator-freezers|Fridge freezers, 300 litres", 3, 7, 2000, 12000, "CT", 65, "CN TR KR"},
    {"845011", "Washing machines, fully automatic, 7 kg|Front-loading washing machines", 2, 5, 2000, 12000, "CT", 70, "TR CN KR"},
    {"846721", "Electric drills, hand-held|Cordless drills with batteries|Impact drills", 8, 25, 200, 6000, "CT", 12, "CN MY"},
    {"848180", "Valves, brass|Ball valves|Taps and cocks for pipes", 6, 25, 300, 8000, "CT", 20, "CN IN TR"},
    {"870323", "Used passenger cars, petrol, 1.6 l|Passenger motor cars, spark-ignition, 1500-3000 cc|New cars, SUV, petrol 2.0 l", 10, 35, 1300, 9000, "NE", 1450, "KR US GB TR"},
    {"870380", "Electric passenger cars|Battery electric vehicles, SUV|New electric cars", 20, 45, 1800, 12000, "NE", 2000, "CN KR US"},
    {"871200", "Bicycles|Mountain bicycles, 27.5 inch|City bicycles", 8, 30, 300, 8000, "CT", 18, "CN VN"},
    {"871160", "Electric bicycles|E-bikes with pedal assistance|Electric scooters", 15, 50, 300, 8000, "CT", 25, "CN VN"},
    {"870899", "Parts and accessories of motor vehicles|Car parts: brackets and mountings|Spare parts for trucks", 4, 15, 300, 12000, "CT", 20, "CN TR KR IN RS"},
    {"401110", "New pneumatic tyres for cars|Car tyres 205/55 R16|Passenger car tyres, summer", 2.5, 6, 3000, 14000, "PC", 9, "CN KR RS TR"},
    // Tobacco, pharma, chemicals
    {"240220", "Cigarettes containing tobacco|Cigarettes, king size, filter", 8, 25, 500, 12000, "CT", 12, "AE TR BY"},
    {"240311", "Water pipe tobacco (shisha)|Hookah tobacco, flavoured", 5, 20, 200, 6000, "CT", 15, "AE TR"},
    {"240412", "E-liquids containing nicotine|E-liquid refills, 10 ml, 20 mg/ml nicotine|Nicotine salt e-liquids", 20, 100, 50, 2000, "CT", 8, "CN"},
    {"300490", "Medicaments in measured doses|Tablets, packaged for retail sale|Pharmaceutical products, blister packs", 30, 400, 50, 3000, "CT", 10, "IN CN US GB"},
    {"300410", "Antibiotics (amoxicillin) in dosage form|Penicillin medicaments for retail sale", 40, 300, 50, 2000, "CT", 10, "IN CN"},
    {"293359", "Heterocyclic compounds (active pharmaceutical ingredients)|Pharmaceutical intermediates, pyrimidine compounds", 20, 200, 100, 3000, "DR", 25, "IN CN"},
    {"340250", "Washing preparations for retail sale|Laundry detergent powder|Dishwashing liquid", 0.8, 2.5, 2000, 20000, "CT", 12, "TR CN"},
    {"390110", "Polyethylene granules, LDPE|Low-density polyethylene in primary form", 1, 1.8, 15000, 24000, "BG", 25, "AE KR US"},
    {"390410", "PVC resin, suspension grade|Polyvinyl chloride powder", 0.8, 1.4, 15000, 24000, "BG", 25, "CN US"},
    {"310420", "Potassium chloride (potash fertiliser)|Muriate of potash, granular", 0.2, 0.45, 20000, 24000, "VY", 24000, "BY"},
    {"310210", "Urea fertiliser, granular|Urea 46% N", 0.3, 0.6, 20000, 24000, "BG", 1000, "AE"},
    {"271019", "Lubricating oils|Motor oil, synthetic 5W-30|Gas oil (diesel fuel)", 0.6, 1.5, 10000, 22000, "DR", 180, "AE TR"},
    // Food and agriculture
    {"090111", "Green coffee beans, Arabica|Coffee, not roasted, not decaffeinated|Robusta green coffee, grade 1", 3, 7, 15000, 21000, "BG", 60, "BR VN IN"},
    {"090240", "Black tea, fermented|Ceylon-style black tea, bulk", 2, 6, 5000, 18000, "BG", 50, "IN VN"},
    {"080222", "Hazelnuts, shelled|Hazelnut kernels, natural", 5, 9, 5000, 20000, "BG", 50, "TR"},
    {"081310", "Dried apricots|Dried apricots, sulphured, jumbo size", 3, 6, 5000, 18000, "CT", 12.5, "TR"},
    {"080610", "Fresh table grapes|Fresh grapes, seedless", 1, 3, 5000, 18000, "CT", 8, "TR"},
    {"081120", "Frozen raspberries|Frozen raspberries, Willamette, whole", 2.5, 5, 10000, 20000, "CT", 10, "RS UA"},
    {"151211", "Crude sunflower-seed oil|Sunflower oil, crude, in flexitank", 0.8, 1.5, 20000, 24000, "TK", 22000, "UA"},
    {"100199", "Wheat, milling quality|Wheat, not durum", 0.2, 0.35, 20000, 24000, "VY", 24000, "UA"},
    {"030617", "Frozen shrimps, vannamei|Frozen prawns, peeled and deveined", 6, 14, 8000, 20000, "CT", 10, "VN IN BD"},
    {"160414", "Canned tuna in oil|Prepared tuna, in cans", 4, 9, 10000, 20000, "CT", 10, "VN"},
    {"170199", "Cane sugar, white|Refined cane sugar", 0.4, 0.8, 20000, 24000, "BG", 50, "BR IN"},
    {"220830", "Scotch whisky, 70 cl bottles|Blended whisky, 40% vol.", 8, 40, 2000, 15000, "CT", 9, "GB"},
    {"220421", "Red wine in bottles, 75 cl|Wine of fresh grapes, bottled", 2, 10, 2000, 15000, "CT", 9, "GB US"},
    {"200911", "Frozen orange juice concentrate|Orange juice, frozen, unsweetened", 1, 3, 15000, 22000, "DR", 250, "BR US"},
    {"040690", "Cheese|Hard cheese, in blocks", 4, 9, 5000, 20000, "CT", 10, "UA GB"},
};

// Ports, airports and road and rail crossings. Office numbers follow the EU customs office
// list's layout (country + 6 characters).
constexpr EntryPoint kNorthRange[] = {
    {"NLRTM", "NL000396", "NL"}, {"BEANR", "BE101000", "BE"}, {"DEHAM", "DE004851", "DE"},
    {"DEBRV", "DE002601", "DE"}, {"PLGDN", "PL322010", "PL"}, {"LTKLJ", "LTKC0100", "LT"},
    {"GRPIR", "GR002040", "GR"}, {"FRLEH", "FR000760", "FR"},
};
constexpr EntryPoint kMedSea[] = {
    {"ITTRS", "IT264100", "IT"}, {"GRPIR", "GR002040", "GR"}, {"ITGOA", "IT261101", "IT"},
    {"ESVLC", "ES004601", "ES"}, {"NLRTM", "NL000396", "NL"},
};
constexpr EntryPoint kSouthAsiaSea[] = {
    {"NLRTM", "NL000396", "NL"}, {"BEANR", "BE101000", "BE"}, {"DEHAM", "DE004851", "DE"},
    {"ITGOA", "IT261101", "IT"}, {"ESVLC", "ES004601", "ES"},
};
constexpr EntryPoint kAtlanticSea[] = {
    {"NLRTM", "NL000396", "NL"}, {"BEANR", "BE101000", "BE"}, {"DEHAM", "DE004851", "DE"},
    {"DEBRV", "DE002601", "DE"}, {"FRLEH", "FR000760", "FR"}, {"ESVLC", "ES004601", "ES"},
};
constexpr EntryPoint kTurkeyRoad[] = {{"BGKAP", "BG005807", "BG"}, {"BGSVI", "BG005800", "BG"}};
constexpr EntryPoint kBelarusRoad[] = {{"PLKUK", "PL301010", "PL"}, {"PLTER", "PL301030", "PL"}, {"LTMED", "LTVM1000", "LT"}, {"LTLAV", "LTVL1000", "LT"}};
constexpr EntryPoint kUkraineRoad[] = {{"PLDOR", "PL302010", "PL"}, {"PLKCZ", "PL303010", "PL"}, {"HUZAH", "HU401000", "HU"}, {"SKVYS", "SK520400", "SK"}};
constexpr EntryPoint kSerbiaRoad[] = {{"HURSZ", "HU302000", "HU"}, {"BGKAL", "BG001002", "BG"}};
constexpr EntryPoint kUkRoad[] = {{"FRCQF", "FR000620", "FR"}, {"BEZEE", "BE212000", "BE"}, {"NLRTM", "NL000396", "NL"}};
constexpr EntryPoint kChinaRail[] = {{"PLMAL", "PL301020", "PL"}, {"LTVNO", "LTVR3000", "LT"}};
constexpr EntryPoint kAirHubs[] = {
    {"DEFRA", "DE003302", "DE"}, {"BELGG", "BE418000", "BE"}, {"NLAMS", "NL000854", "NL"},
    {"DELEJ", "DE007850", "DE"}, {"HUBUD", "HU101000", "HU"}, {"PLWAW", "PL141010", "PL"},
};

constexpr Lane kLanes[] = {
    {"far-east-sea", TransportMode::kSea, "CN VN KR MY", "CNSHA CNNGB CNYTN CNTAO CNXMN VNSGN VNHPH KRPUS MYPKG MYPGU",
     kNorthRange, 28, 42, "SG LK EG", ""},
    {"south-asia-sea", TransportMode::kSea, "IN BD", "INNSA INMUN BDCGP", kSouthAsiaSea, 20, 32, "LK AE OM", ""},
    {"gulf-sea", TransportMode::kSea, "AE", "AEJEA AEKLF", kSouthAsiaSea, 18, 26, "OM EG", ""},
    {"turkey-sea", TransportMode::kSea, "TR", "TRIST TRMER TRIZM", kMedSea, 4, 12, "", ""},
    {"atlantic-sea", TransportMode::kSea, "US BR", "USNYC USSAV USHOU BRSSZ", kAtlanticSea, 10, 24, "", ""},
    {"turkey-road", TransportMode::kRoad, "TR", "TRIST TRBTZ TRIZM TRGZT TRDNZ", kTurkeyRoad, 2, 5, "", ""},
    {"belarus-road", TransportMode::kRoad, "BY", "BYMSQ BYBRS BYGNA", kBelarusRoad, 1, 3, "", ""},
    {"ukraine-road", TransportMode::kRoad, "UA", "UAIEV UALWO UAODS UAKHE", kUkraineRoad, 1, 3, "", ""},
    {"serbia-road", TransportMode::kRoad, "RS", "RSBEG RSNVS RSINI", kSerbiaRoad, 1, 2, "", ""},
    {"uk-road", TransportMode::kRoad, "GB", "GBLON GBMNC GBBHM GBGLW", kUkRoad, 1, 2, "", ""},
    {"china-rail", TransportMode::kRail, "CN", "CNCKG CNCGO CNWUH CNXAB", kChinaRail, 14, 20, "", "KZ RU BY"},
    {"asia-air", TransportMode::kAir, "CN VN KR IN MY BD", "CNPVG CNSZX CNCAN VNSGN KRSEL INDEL INBOM MYKUL BDDAC",
     kAirHubs, 1, 3, "AE QA", ""},
    {"near-east-air", TransportMode::kAir, "AE TR", "AEDXB AEDWC TRIST", kAirHubs, 1, 2, "", ""},
    {"atlantic-air", TransportMode::kAir, "US GB BR", "USJFK USORD GBLHR BRGRU", kAirHubs, 1, 2, "", ""},
};

struct ModeShare {
  std::string_view countries;
  TransportMode mode;
  double weight;
};

constexpr ModeShare kModeShares[] = {
    {"CN", TransportMode::kSea, 0.72}, {"CN", TransportMode::kRail, 0.10}, {"CN", TransportMode::kAir, 0.18},
    {"VN KR MY IN BD US BR", TransportMode::kSea, 0.8}, {"VN KR MY IN BD US BR", TransportMode::kAir, 0.2},
    {"AE", TransportMode::kSea, 0.6}, {"AE", TransportMode::kAir, 0.4},
    {"TR", TransportMode::kRoad, 0.55}, {"TR", TransportMode::kSea, 0.3}, {"TR", TransportMode::kAir, 0.15},
    {"GB", TransportMode::kRoad, 0.75}, {"GB", TransportMode::kAir, 0.25},
    {"BY UA RS", TransportMode::kRoad, 1.0},
};

constexpr std::string_view kRiskTransit[] = {"IR", "SY", "KP", "RU", "BY", "AF", "MM", "VE", "LY", "YE", "CU"};

struct Rate {
  std::string_view currency;
  double eur;
};
constexpr Rate kRates[] = {
    {"EUR", 1.0},      {"USD", 0.92},     {"CNY", 0.127},    {"TRY", 0.024},   {"GBP", 1.17},
    {"AED", 0.25},     {"INR", 0.0105},   {"BYN", 0.28},     {"RUB", 0.0098},  {"UAH", 0.022},
    {"RSD", 0.0085},   {"KRW", 0.00066},  {"VND", 0.000036}, {"MYR", 0.2},     {"BRL", 0.16},
    {"BDT", 0.0076},   {"PLN", 0.23},
};

struct CurrencyUse {
  std::string_view countries;
  std::string_view currency;
  double weight;
};
constexpr CurrencyUse kCurrencyUse[] = {
    {"CN", "USD", 65}, {"CN", "EUR", 20}, {"CN", "CNY", 15},
    {"TR", "EUR", 60}, {"TR", "USD", 30}, {"TR", "TRY", 10},
    {"GB", "GBP", 50}, {"GB", "EUR", 35}, {"GB", "USD", 15},
    {"US", "USD", 85}, {"US", "EUR", 15},
    {"AE", "USD", 60}, {"AE", "AED", 20}, {"AE", "EUR", 20},
    {"IN", "USD", 70}, {"IN", "EUR", 20}, {"IN", "INR", 10},
    {"BY", "EUR", 55}, {"BY", "USD", 20}, {"BY", "RUB", 15}, {"BY", "BYN", 10},
    {"UA", "EUR", 60}, {"UA", "USD", 30}, {"UA", "UAH", 10},
    {"RS", "EUR", 90}, {"RS", "RSD", 10},
    {"KR", "USD", 70}, {"KR", "EUR", 20}, {"KR", "KRW", 10},
    {"VN", "USD", 85}, {"VN", "EUR", 15},
    {"MY", "USD", 80}, {"MY", "MYR", 10}, {"MY", "EUR", 10},
    {"BR", "USD", 85}, {"BR", "EUR", 10}, {"BR", "BRL", 5},
    {"BD", "USD", 80}, {"BD", "EUR", 20},
};

constexpr std::string_view kEu = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE";

bool contains_word(std::string_view list, std::string_view word) {
  for (auto item : split(list, ' ')) {
    if (item == word) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const std::size_t at = text.find(separator);
    auto item = text.substr(0, at);
    if (!item.empty()) out.push_back(item);
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + 1);
  }
  return out;
}

std::span<const Product> products() { return kProducts; }

const Product* find_product(std::string_view hs) {
  for (const auto& p : kProducts) {
    if (p.hs == hs) return &p;
  }
  return nullptr;
}

std::span<const Lane> lanes() { return kLanes; }

std::vector<LaneShare> lanes_from(std::string_view country) {
  std::vector<LaneShare> out;
  for (const auto& share : kModeShares) {
    if (!contains_word(share.countries, country)) continue;
    for (const auto& lane : kLanes) {
      if (lane.mode == share.mode && contains_word(lane.origins, country)) out.push_back({&lane, share.weight});
    }
  }
  return out;
}

std::vector<std::string_view> loading_places(const Lane& lane, std::string_view country) {
  std::vector<std::string_view> out;
  for (auto place : split(lane.loading, ' ')) {
    if (place.substr(0, 2) == country) out.push_back(place);
  }
  return out;
}

std::span<const std::string_view> risk_transit_countries() { return kRiskTransit; }

double eur_rate(std::string_view currency) {
  for (const auto& r : kRates) {
    if (r.currency == currency) return r.eur;
  }
  return 1.0;
}

std::vector<CurrencyShare> invoice_currencies(std::string_view country) {
  std::vector<CurrencyShare> out;
  for (const auto& use : kCurrencyUse) {
    if (contains_word(use.countries, country)) out.push_back({use.currency, use.weight});
  }
  if (out.empty()) out.push_back({"EUR", 1});
  return out;
}

bool is_eu(std::string_view country) { return contains_word(kEu, country); }

}  // namespace cordon::simulation::detail
