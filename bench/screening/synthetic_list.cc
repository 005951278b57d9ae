#include "synthetic_list.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "core/identifiers.h"

namespace cordon::bench {
namespace {

using Words = std::vector<std::string_view>;

enum class Shape {
  kGivenSurname,         // English, German, Polish, Turkish, Indian, Persian, African, Japanese
  kGivenPatronymic,      // Russian, Ukrainian: IVAN PETROVICH SIDOROV (patronymic in about half)
  kArabic,               // MOHAMMED (given) + father's name + family, often with AL
  kTwoSurnames,          // Spanish: JOSE GARCIA LOPEZ
  kChinese,              // ZHANG WEIMIN / ZHANG WEI MIN (surname first)
  kKorean,               // KIM MIN-JUN (surname first)
  kVietnamese,           // NGUYEN VAN MINH (surname, middle, given)
};

struct Culture {
  Shape shape;
  Words given;       // the most common first, drawn with Zipf weights
  Words surnames;    // the most common surnames, drawn with Zipf weights
  double head_share; // share of people carrying one of `surnames`; the rest get a tail surname
  Words roots;       // tail surnames: root + optional middle + suffix
  Words middles;
  Words suffixes;
};

const std::vector<Culture>& cultures() {
  static const std::vector<Culture> c = {
      {Shape::kGivenPatronymic,
       {"Aleksandr", "Sergey", "Dmitriy", "Andrey", "Aleksey", "Vladimir", "Ivan", "Yuriy", "Oleg", "Igor",
        "Mikhail", "Nikolay", "Viktor", "Yevgeniy", "Pavel", "Maksim", "Roman", "Artem", "Denis", "Konstantin",
        "Vadim", "Gennadiy", "Boris", "Stanislav", "Olga", "Tatyana", "Irina", "Yelena", "Natalya", "Svetlana",
        "Anna", "Marina", "Lyudmila", "Galina", "Yekaterina", "Oksana", "Valentina", "Larisa", "Vera", "Nadezhda"},
       {"Ivanov", "Smirnov", "Kuznetsov", "Popov", "Vasilyev", "Petrov", "Sokolov", "Mikhaylov", "Novikov",
        "Fedorov", "Morozov", "Volkov", "Alekseyev", "Lebedev", "Semenov", "Yegorov", "Pavlov", "Kozlov",
        "Stepanov", "Nikolayev", "Orlov", "Andreyev", "Makarov", "Nikitin", "Zakharov"},
       0.25,
       {"Bel", "Chern", "Grom", "Zhar", "Kras", "Mor", "Vor", "Sol", "Dub", "Kamen", "Lis", "Med", "Ryab", "Shch",
        "Tkach", "Kovr", "Bur", "Gus", "Zhel", "Kolt", "Pesk", "Rud", "Sav", "Tit", "Ust", "Fom", "Khar", "Tsvet",
        "Chud", "Shir", "Yar", "Baran", "Dorog", "Golub", "Klim", "Lap", "Mal", "Osin", "Polyak", "Serg"},
       {"", "", "", "al", "ash", "en", "il", "ich", "ok", "un", "yag", "ev", "it", "ol", "ud"},
       {"ov", "ev", "in", "ikov", "enko", "skiy", "tsev", "ovskiy", "yshev", "anov", "akov", "nyy"}},
      {Shape::kGivenPatronymic,
       {"Oleksandr", "Andriy", "Serhiy", "Volodymyr", "Oleh", "Mykola", "Vasyl", "Yuriy", "Ivan", "Petro",
        "Bohdan", "Taras", "Dmytro", "Viktor", "Mykhailo", "Olena", "Tetiana", "Iryna", "Natalia", "Oksana",
        "Kateryna", "Halyna", "Mariia", "Yuliia", "Svitlana", "Larysa", "Nadiia", "Ostap", "Roman", "Stepan"},
       {"Melnyk", "Shevchenko", "Boiko", "Kovalenko", "Bondarenko", "Tkachenko", "Kovalchuk", "Kravchenko",
        "Oliinyk", "Shevchuk", "Koval", "Polishchuk", "Bondar", "Tkachuk", "Moroz", "Marchenko", "Lysenko",
        "Rudenko", "Savchenko", "Petrenko"},
       0.3,
       {"Hon", "Kruh", "Lev", "Myk", "Pan", "Sav", "Ste", "Tym", "Fed", "Hryts", "Yats", "Zin", "Kuch", "Lyt",
        "Mats", "Nesch", "Prok", "Rom", "Sych", "Vakh", "Dats", "Har", "Kost", "Pylyp", "Semen"},
       {"", "", "", "an", "ar", "el", "ush", "ym", "ok", "yl"},
       {"enko", "chuk", "yuk", "ak", "ets", "ych", "ovych", "iv", "ko", "ovskyi", "ishyn", "ynets"}},
      {Shape::kArabic,
       {"Mohammed", "Ahmed", "Ali", "Mahmoud", "Omar", "Hassan", "Hussein", "Khalid", "Youssef", "Ibrahim",
        "Abdullah", "Mustafa", "Abdul Rahman", "Said", "Tariq", "Karim", "Nabil", "Rashid", "Saleh", "Salem",
        "Hamza", "Bilal", "Faisal", "Jamal", "Walid", "Ziad", "Adel", "Majid", "Nasser", "Samir", "Fatima",
        "Aisha", "Maryam", "Zainab", "Khadija", "Layla", "Huda", "Noor", "Amal", "Rania"},
       {"Al Masri", "Haddad", "Al Khatib", "Khalil", "Al Hashimi", "Mansour", "Saleh", "Nasser", "Al Amin",
        "Hamdan", "Qasim", "Al Zahrani", "Al Ghamdi", "Al Otaibi", "Darwish", "Abbas", "Yousef", "Jaber",
        "Al Najjar", "Al Shami", "Bakr", "Farouk", "Sabbagh", "Al Tamimi", "Suleiman"},
       0.35,
       {"Al Ras", "Al Nas", "Al Kab", "Al Mur", "Al Sha", "Al Qah", "Al Jub", "Al Dos", "Al Ham", "Al Fad",
        "Khal", "Mans", "Naj", "Sab", "Far", "Zah", "Tam", "Sul", "Dar", "Ghan", "Mah", "Rash", "Ash", "Bad",
        "Hak", "Jaz", "Mub", "Qad", "Raf", "Shar", "Tah", "Wah", "Zub", "Bal", "Dab", "Haw", "Kin", "Maz"},
       {"", "", "", "aw", "ar", "ab", "am", "id", "il", "ur"},
       {"ani", "ouri", "idi", "awi", "an", "ah", "i", "oun", "ad", "ari", "ash", "eh", "ein", "iri"}},
      {Shape::kTwoSurnames,
       {"Jose", "Juan", "Carlos", "Luis", "Miguel", "Javier", "Pedro", "Alejandro", "Manuel", "Francisco",
        "Antonio", "Jesus", "Rafael", "Fernando", "Diego", "Jorge", "Pablo", "Andres", "Ricardo", "Eduardo",
        "Maria", "Carmen", "Ana", "Laura", "Lucia", "Sofia", "Isabel", "Rosa", "Elena", "Patricia", "Gabriela",
        "Valentina", "Camila", "Daniela", "Mariana"},
       {"Garcia", "Rodriguez", "Gonzalez", "Fernandez", "Lopez", "Martinez", "Sanchez", "Perez", "Gomez",
        "Martin", "Jimenez", "Ruiz", "Hernandez", "Diaz", "Moreno", "Alvarez", "Romero", "Torres", "Ramirez",
        "Flores", "Vargas", "Castillo", "Mendoza", "Ortiz", "Silva"},
       0.45,
       {"Alc", "Bar", "Cal", "Cer", "Cor", "Esc", "Gal", "Lar", "Mald", "Mont", "Olm", "Pad", "Quint", "Rin",
        "Sald", "Sepul", "Tov", "Urib", "Vald", "Zam", "Bust", "Carr", "Echev", "Figuer", "Guerr", "Ibarr",
        "Lozan", "Mej", "Nav", "Orteg", "Peñ", "Riv", "Sot", "Vel", "Villal"},
       {"", "", "", "ar", "eg", "and", "ot", "ill"},
       {"a", "o", "ez", "es", "ero", "ado", "illo", "eda", "ona", "ano", "iño", "uez", "ena"}},
      {Shape::kChinese,
       {"Wei", "Fang", "Na", "Min", "Jing", "Li", "Qiang", "Lei", "Jun", "Yang", "Yong", "Yan", "Jie", "Tao",
        "Ming", "Chao", "Xiu", "Hua", "Ping", "Gang", "Hui", "Xin", "Bo", "Long", "Hong", "Lin", "Feng", "Hai",
        "Dong", "Kai", "Jian", "Zhi", "Guo", "Rong", "Xiao", "Yu", "Wen", "Hao", "Qing", "Zhen", "Bin", "Cheng",
        "Shan", "Tian", "Xue", "Yi", "Ying", "Zhong", "De", "An", "Jin", "Kun", "Liang", "Mei", "Peng", "Rui",
        "Song", "Ting", "Xia", "Yun"},
       {"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu",
        "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng", "Deng",
        "Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai", "Jiang", "Yu", "Du"},
       0.97,
       {"Ou", "Si", "Zhuge", "Shang", "Duan", "Wei", "Qin", "Kong", "Lu", "Shi"},
       {"", "", "yang", "ma", "kou"},
       {"", "", ""}},
      {Shape::kKorean,
       {"Min", "Seo", "Ji", "Jun", "Hyun", "Woo", "Young", "Eun", "Soo", "Jae", "Sung", "Dong", "Hee", "Jin",
        "Yeon", "Ha", "Joon", "Kyung", "Sang", "Hye", "Chul", "Tae", "Yoon", "Na", "Ho", "Seung", "Mi", "Won"},
       {"Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Shin",
        "Kwon", "Hwang", "Ahn", "Song", "Yoo", "Hong"},
       0.95,
       {"Jeon", "Ko", "Moon", "Yang", "Son", "Bae", "Baek", "Heo", "Nam", "Noh"},
       {""},
       {""}},
      {Shape::kVietnamese,
       {"Minh", "Anh", "Hung", "Tuan", "Dung", "Hai", "Long", "Nam", "Phuong", "Quang", "Thanh", "Trung",
        "Duc", "Hoa", "Lan", "Linh", "Mai", "Ngoc", "Thu", "Trang", "Huong", "Khanh", "Hieu", "Son", "Vinh"},
       {"Nguyen", "Tran", "Le", "Pham", "Hoang", "Huynh", "Phan", "Vu", "Vo", "Dang", "Bui", "Do", "Ho", "Ngo",
        "Duong", "Ly"},
       0.95,
       {"Trinh", "Dinh", "Lam", "Mai", "Truong", "Cao", "Luu", "Ta"},
       {""},
       {""}},
      {Shape::kGivenSurname,
       {"Mehmet", "Mustafa", "Ahmet", "Ali", "Huseyin", "Hasan", "Ibrahim", "Ismail", "Osman", "Yusuf", "Murat",
        "Omer", "Ramazan", "Halil", "Suleyman", "Abdullah", "Mahmut", "Emre", "Burak", "Serkan", "Fatma", "Ayse",
        "Emine", "Hatice", "Zeynep", "Elif", "Meryem", "Sultan", "Zehra", "Esra"},
       {"Yilmaz", "Kaya", "Demir", "Sahin", "Celik", "Yildiz", "Yildirim", "Ozturk", "Aydin", "Ozdemir",
        "Arslan", "Dogan", "Kilic", "Aslan", "Cetin", "Kara", "Koc", "Kurt", "Ozkan", "Simsek"},
       0.35,
       {"Ak", "Bal", "Bay", "Cak", "Er", "Gul", "Gun", "Kap", "Kor", "Oz", "Sar", "Tas", "Tek", "Tun", "Uc",
        "Yal", "Yuc", "Bol", "Cin", "Dem", "Ert", "Gok", "Kal", "Mer", "Sev", "Tur", "Uy", "Yaz", "Bas", "Dur"},
       {"", "", "", "ar", "kan", "tas", "en", "in"},
       {"maz", "soy", "oglu", "er", "can", "tekin", "dag", "kaya", "han", "ci", "li", "lar", "ok", "gun"}},
      {Shape::kGivenSurname,
       {"James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Charles",
        "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Paul", "Steven", "Andrew", "Kenneth", "George",
        "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
        "Emma", "Olivia", "Margaret", "Helen", "Peter", "Edward", "Henry", "Samuel"},
       {"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
        "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
        "Robinson", "Walker", "Young", "Allen", "King"},
       0.2,
       {"Ash", "Black", "Brad", "Brook", "Chap", "Crane", "Dal", "Ever", "Fair", "Fin", "Gold", "Green", "Hart",
        "Hol", "Kings", "Lang", "Marsh", "Mil", "New", "North", "Pem", "Red", "Ross", "Shel", "Stan", "Stock",
        "Thorn", "Under", "Wes", "Whit", "Wood", "Ald", "Bright", "Cart", "Dun", "Hay", "Lock", "Pres", "Rad"},
       {"", "", "", "er", "ing", "en", "el"},
       {"ton", "ley", "ford", "wood", "well", "field", "ham", "by", "more", "worth", "son", "ridge", "dale"}},
      {Shape::kGivenSurname,
       {"Thomas", "Michael", "Andreas", "Stefan", "Klaus", "Jurgen", "Wolfgang", "Peter", "Frank", "Uwe",
        "Markus", "Christian", "Matthias", "Tobias", "Lukas", "Sabine", "Petra", "Monika", "Claudia", "Susanne",
        "Andrea", "Birgit", "Katrin", "Julia", "Anja", "Heike", "Dieter", "Horst", "Helmut", "Rainer"},
       {"Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
        "Schafer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schroder", "Neumann", "Schwarz", "Zimmermann"},
       0.25,
       {"Ahl", "Berg", "Brand", "Eich", "Feld", "Fried", "Grun", "Hag", "Hein", "Hirsch", "Kess", "Kirch", "Lind",
        "Mohr", "Rein", "Ros", "Sann", "Stein", "Thal", "Vogt", "Wald", "Wies", "Zell", "Alt", "Bren", "Dorn",
        "Eng", "Frank", "Gros", "Haus", "Kalt", "Lohr", "Nuss"},
       {"", "", "", "en", "er", "el", "ling"},
       {"mann", "er", "hardt", "bach", "berg", "hof", "inger", "mayer", "stadt", "ner", "ke", "feld", "hauser"}},
      {Shape::kGivenSurname,
       {"Piotr", "Krzysztof", "Andrzej", "Tomasz", "Pawel", "Jan", "Michal", "Marcin", "Grzegorz", "Jozef",
        "Marek", "Adam", "Lukasz", "Zbigniew", "Jerzy", "Anna", "Maria", "Katarzyna", "Malgorzata", "Agnieszka",
        "Barbara", "Ewa", "Krystyna", "Elzbieta", "Zofia", "Magdalena", "Joanna", "Monika", "Dariusz", "Wojciech"},
       {"Nowak", "Kowalski", "Wisniewski", "Wojcik", "Kowalczyk", "Kaminski", "Lewandowski", "Zielinski",
        "Szymanski", "Wozniak", "Dabrowski", "Kozlowski", "Jankowski", "Mazur", "Kwiatkowski", "Krawczyk",
        "Piotrowski", "Grabowski", "Nowakowski", "Pawlowski"},
       0.25,
       {"Bar", "Bial", "Ch", "Dud", "Gor", "Jar", "Kacz", "Kub", "Les", "Mal", "Ostr", "Pias", "Rut", "Sob",
        "Szcz", "Tom", "Wal", "Wys", "Zaj", "Zar", "Brz", "Czar", "Glow", "Krol", "Lis", "Mich", "Olsz", "Sik"},
       {"", "", "", "ow", "an", "ek", "ol"},
       {"ski", "czyk", "ewski", "owski", "ak", "iak", "ec", "ik", "owicz", "ska", "inski", "ecki"}},
      {Shape::kGivenSurname,
       {"Rahul", "Amit", "Sanjay", "Vijay", "Rajesh", "Suresh", "Anil", "Sunil", "Ramesh", "Deepak", "Arjun",
        "Ravi", "Kiran", "Manoj", "Ashok", "Mahesh", "Sandeep", "Vikram", "Arun", "Ajay", "Priya", "Sunita",
        "Anita", "Pooja", "Neha", "Kavita", "Lakshmi", "Rekha", "Meena", "Geeta"},
       {"Sharma", "Verma", "Gupta", "Singh", "Kumar", "Patel", "Reddy", "Nair", "Mehta", "Chaudhary", "Shah",
        "Joshi", "Iyer", "Rao", "Das", "Mishra", "Pandey", "Agarwal", "Jain", "Khan"},
       0.45,
       {"Ban", "Bhat", "Chak", "Desh", "Gan", "Kap", "Kris", "Mal", "Mukh", "Nag", "Pras", "Raj", "Sak", "Sri",
        "Thak", "Trip", "Vas", "Bal", "Dev", "Gop", "Har", "Kul", "Mad", "Nar", "Sub", "Ven", "Yad"},
       {"", "", "", "an", "ar", "al", "ind"},
       {"erjee", "pande", "ur", "athi", "ani", "ra", "an", "iah", "kar", "wal", "dhar", "swamy", "esan"}},
      {Shape::kGivenSurname,
       {"Reza", "Ali", "Mohammad", "Hossein", "Mehdi", "Hamid", "Saeed", "Majid", "Ahmad", "Amir", "Davood",
        "Farhad", "Behrouz", "Kamran", "Dariush", "Maryam", "Fatemeh", "Zahra", "Sara", "Leila", "Narges",
        "Shirin", "Parisa", "Mina", "Azadeh"},
       {"Mohammadi", "Hosseini", "Ahmadi", "Rezaei", "Moradi", "Karimi", "Rahimi", "Jafari", "Hashemi",
        "Mousavi", "Sadeghi", "Heidari", "Ghasemi", "Kazemi", "Rostami", "Bagheri", "Nouri", "Akbari"},
       0.4,
       {"Amir", "Bah", "Dehq", "Esf", "Far", "Gol", "Haq", "Jav", "Khor", "Mahd", "Naz", "Pour", "Roh", "Shir",
        "Tehr", "Vah", "Yazd", "Zand", "Ardak", "Bozorg", "Ghaf", "Manuch", "Sohr"},
       {"", "", "", "ab", "an", "esh"},
       {"i", "zadeh", "pour", "ani", "nia", "far", "nejad", "abadi", "ian", "vand"}},
      {Shape::kGivenSurname,
       {"Oluwaseun", "Chukwuemeka", "Emeka", "Babatunde", "Ibrahim", "Musa", "Abubakar", "Chinedu", "Olumide",
        "Adebayo", "Kwame", "Kofi", "Yaw", "Ngozi", "Chiamaka", "Funmilayo", "Aisha", "Amina", "Blessing",
        "Grace", "Samuel", "Emmanuel", "Daniel", "Joseph", "Usman"},
       {"Okafor", "Okonkwo", "Adeyemi", "Ogunleye", "Bello", "Abubakar", "Mohammed", "Eze", "Nwachukwu",
        "Ibrahim", "Mensah", "Owusu", "Boateng", "Asante", "Adebayo", "Yusuf", "Danjuma", "Ojo"},
       0.35,
       {"Ade", "Ako", "Chi", "Ebu", "Ife", "Nwa", "Obi", "Ogu", "Olu", "Onye", "Uche", "Uzo", "Afo", "Dan",
        "Kwa", "Ola", "Osa", "Ada", "Ayo", "Bam", "Edo", "Ama", "Kar"},
       {"", "", "", "ke", "wo", "ba", "de", "ri"},
       {"nkwo", "gbe", "mola", "kun", "dele", "wale", "chukwu", "ike", "emi", "nna", "si", "fo", "ji"}},
      {Shape::kGivenSurname,
       {"Hiroshi", "Takashi", "Akira", "Kenji", "Satoshi", "Makoto", "Yuki", "Daisuke", "Takeshi", "Kazuo",
        "Haruto", "Sota", "Yuto", "Kaito", "Ren", "Yoko", "Keiko", "Akiko", "Tomoko", "Yumi", "Sakura", "Hina",
        "Yui", "Aoi", "Mio"},
       {"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato",
        "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue", "Kimura", "Hayashi", "Shimizu"},
       0.3,
       {"Aki", "Fuji", "Hara", "Ishi", "Kawa", "Kita", "Kuro", "Matsu", "Miya", "Mori", "Naka", "Nishi", "Oka",
        "Saka", "Shiba", "Taka", "Tsuchi", "Ue", "Yama", "Yoko", "Ao", "Haya", "Iwa", "Kane", "Mizu", "Ono"},
       {"", "", "", "no", "ga"},
       {"da", "moto", "mura", "kawa", "yama", "ta", "shima", "zaki", "hashi", "bayashi", "uchi", "oka", "gawa"}},
  };
  return c;
}

// Zipf weights (s = 1) over a table: the first entry is twice as common as the second, ...
std::size_t zipf(std::mt19937_64& rng, std::size_t n) {
  // Inverse of the harmonic CDF, approximated by exp(u * ln(n + 1)) - 1.
  const double u = std::uniform_real_distribution<double>(0, 1)(rng);
  const auto i = static_cast<std::size_t>(std::exp(u * std::log(static_cast<double>(n) + 1.0)) - 1.0);
  return std::min(i, n - 1);
}

constexpr std::array<std::string_view, 60> kSyllables = {
    "al", "ba", "tro", "mex", "nor", "vis", "kar", "ton", "lin", "sa", "ra", "dex", "zen", "pol", "gra",
    "vo", "tek", "mar", "ori", "sun", "ve", "kor", "ax", "im", "bel", "cor", "da", "el", "fer", "gal",
    "har", "in", "jo", "kel", "lu", "mo", "nex", "on", "pra", "qu", "ros", "sil", "tan", "ur", "val",
    "wen", "xen", "yor", "zar", "bri", "cas", "dor", "eko", "fin", "gor", "hel", "ita", "kos", "lem", "mir"};
constexpr std::array<std::string_view, 64> kDescriptors = {
    "Baltic", "Golden", "Eastern", "Western", "Northern", "Southern", "Nova", "Silk Road", "Pacific", "Euro",
    "Sino", "Trans", "Atlantic", "Asia", "Black Sea", "Caspian", "Delta", "Royal", "United", "First",
    "Star", "Sun", "Crystal", "Diamond", "Eagle", "Falcon", "Lion", "Ocean", "River", "Mountain", "Green",
    "Blue", "Red", "White", "Silver", "Grand", "Prime", "Alpha", "Omega", "Orient", "Continental", "Capital",
    "Central", "Coastal", "Dragon", "Phoenix", "Horizon", "Zenith", "Vostok", "Zapad", "Sever", "Yug",
    "Al Noor", "Al Amal", "Shanghai", "Ningbo", "Shenzhen", "Dubai", "Istanbul", "Odessa", "Minsk", "Riga",
    "Klaipeda", "Gdansk"};
constexpr std::array<std::string_view, 30> kTrades = {
    "Trading", "Logistics", "Electronics", "Textile", "Shipping", "Metals", "Chemicals", "Machinery",
    "Import Export", "Industries", "Holding", "Group", "Energy", "Foods", "Tobacco", "Auto Parts", "Steel",
    "Petroleum", "Pharma", "Agro", "Timber", "Cargo", "Freight", "Construction", "Technologies", "Garments",
    "Plastics", "Equipment", "Minerals", "Marine"};
constexpr std::array<std::string_view, 22> kForms = {
    "LLC", "Ltd", "GmbH", "OOO", "JSC", "S.A.", "Co., Ltd.", "FZE", "Sp. z o.o.", "UAB", "SRL", "BV", "A.S.",
    "PVT LTD", "Limited", "Inc.", "TOV", "SIA", "DMCC", "Sdn Bhd", "LLP", "AG"};
constexpr std::array<std::string_view, 10> kPlateCountries = {"DE", "PL", "LT", "NL", "BG", "HU", "TR", "UA", "LV", "RO"};

std::string capital(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::vector<std::string> words(const std::string& name) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < name.size()) {
    while (i < name.size() && name[i] == ' ') ++i;
    std::size_t j = i;
    while (j < name.size() && name[j] != ' ') ++j;
    if (j > i) out.push_back(name.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string join(const std::vector<std::string>& w) {
  std::string out;
  for (const auto& x : w) out += (out.empty() ? "" : " ") + x;
  return out;
}

std::string patronymic(std::string_view father, bool female) {
  std::string f(father);
  if (f.ends_with("iy") || f.ends_with("yy")) f.resize(f.size() - 2), f += "ye";
  else if (f.ends_with("y")) f.resize(f.size() - 1), f += "e";
  else if (f.ends_with("a")) f.resize(f.size() - 1);
  else f += "o";
  return f + (female ? "vna" : "vich");
}

}  // namespace

std::string SyntheticGenerator::given(int culture) {
  const auto& c = cultures()[static_cast<std::size_t>(culture)];
  return std::string(c.given[zipf(rng_, c.given.size())]);
}

std::string SyntheticGenerator::surname(int culture) {
  const auto& c = cultures()[static_cast<std::size_t>(culture)];
  if (std::uniform_real_distribution<double>(0, 1)(rng_) < c.head_share) {
    return std::string(c.surnames[zipf(rng_, c.surnames.size())]);
  }
  std::string s(c.roots[rng_() % c.roots.size()]);
  s += c.middles[rng_() % c.middles.size()];
  s += c.suffixes[rng_() % c.suffixes.size()];
  return s;
}

std::string SyntheticGenerator::person_name() {
  // Cultures weighted roughly as names appear on sanctions lists and in Eastern-European trade.
  static constexpr std::array<int, 15> kWeights = {14, 8, 16, 7, 12, 3, 4, 8, 6, 5, 5, 5, 4, 2, 1};
  int roll = static_cast<int>(rng_() % 100);
  int culture = 0;
  while (culture < 14 && roll >= kWeights[static_cast<std::size_t>(culture)]) roll -= kWeights[static_cast<std::size_t>(culture++)];
  const auto& c = cultures()[static_cast<std::size_t>(culture)];
  switch (c.shape) {
    case Shape::kGivenPatronymic: {
      const std::size_t gi = zipf(rng_, c.given.size());
      const bool female = gi * 2 >= c.given.size() && c.given[gi].back() == 'a';
      std::string name(c.given[gi]);
      if (rng_() % 2 == 0) {
        const auto& father = c.given[zipf(rng_, c.given.size() / 2)];
        name += " " + patronymic(father, female);
      }
      std::string family = surname(culture);
      if (female && (family.ends_with("ov") || family.ends_with("ev") || family.ends_with("in"))) family += "a";
      return name + " " + family;
    }
    case Shape::kArabic: {
      std::string name = given(culture);
      if (rng_() % 3 != 0) name += " " + given(culture);  // father's name
      if (rng_() % 4 == 0) name += " " + given(culture);  // grandfather's name
      return name + " " + surname(culture);
    }
    case Shape::kTwoSurnames: {
      std::string name = given(culture);
      if (rng_() % 4 == 0) name += " " + given(culture);
      name += " " + surname(culture);
      if (rng_() % 3 != 0) name += " " + surname(culture);
      return name;
    }
    case Shape::kChinese: {
      std::string family = surname(culture);
      std::string g = given(culture);
      if (rng_() % 3 != 0) {
        std::string second = given(culture);
        for (char& ch : second) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        g += rng_() % 3 == 0 ? " " + capital(second) : second;  // WEIMIN or WEI MIN
      }
      return family + " " + g;
    }
    case Shape::kKorean: {
      std::string g = given(culture);
      std::string second = given(culture);
      for (char& ch : second) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      g += (rng_() % 2 ? "-" : "") + second;
      return surname(culture) + " " + g;
    }
    case Shape::kVietnamese: {
      static constexpr std::array<std::string_view, 6> kMiddles = {"Van", "Thi", "Duc", "Minh", "Ngoc", "Quoc"};
      return surname(culture) + " " + std::string(kMiddles[rng_() % kMiddles.size()]) + " " + given(culture);
    }
    case Shape::kGivenSurname: {
      std::string name = given(culture);
      if (rng_() % 4 == 0) name += " " + given(culture);
      name += " " + surname(culture);
      if (rng_() % 8 == 0) name += " " + surname(culture);
      return name;
    }
  }
  return {};
}

std::string SyntheticGenerator::company_name() {
  std::string name;
  const auto roll = rng_() % 10;
  if (roll < 3) name = std::string(kDescriptors[zipf(rng_, kDescriptors.size())]) + " ";
  std::string stem;
  const int parts = 2 + static_cast<int>(rng_() % 2);
  for (int i = 0; i < parts; ++i) stem += kSyllables[rng_() % kSyllables.size()];
  name += capital(stem);
  if (roll >= 8) {  // a person's surname in the name: "Kowalski Logistics", "Haddad Trading"
    name = capital(surname(static_cast<int>(rng_() % cultures().size()))) + " " + name;
  }
  if (rng_() % 3 != 0) name += " " + std::string(kTrades[zipf(rng_, kTrades.size())]);
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
  static constexpr std::array<std::string_view, 8> kMakers = {"WDB", "WVW", "YV2", "XLR", "VF6", "WMA", "ZCF", "SUD"};
  std::string v(kMakers[rng_() % kMakers.size()]);
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

std::string SyntheticGenerator::transliterate(const std::string& name) {
  // Pairs of romanisations met on lists and declarations, either way round.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 30> kRules = {{
      {"kh", "h"},   {"iy", "i"},   {"yu", "iu"},  {"ya", "ia"},  {"ye", "e"},   {"ov", "off"}, {"ev", "eff"},
      {"sh", "sch"}, {"ch", "tch"}, {"zh", "j"},   {"ts", "tz"},  {"ks", "x"},   {"ou", "u"},   {"oo", "u"},
      {"ee", "i"},   {"ph", "f"},   {"w", "v"},    {"y", "i"},    {"j", "dj"},   {"c", "k"},    {"q", "k"},
      {"ei", "ay"},  {"ai", "ay"},  {"ii", "i"},   {"mm", "m"},   {"ss", "s"},   {"ll", "l"},   {"dd", "d"},
      {"u", "ou"},   {"i", "ee"},
  }};
  auto w = words(name);
  if (w.empty()) return name;
  std::vector<std::size_t> order(w.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng_);
  const std::size_t start = rng_() % kRules.size();
  for (std::size_t wi : order) {
    std::string lower = w[wi];
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (std::size_t k = 0; k < kRules.size(); ++k) {
      const auto& [from, to] = kRules[(start + k) % kRules.size()];
      for (int dir = 0; dir < 2; ++dir) {
        const std::string_view f = dir == 0 ? from : to, t = dir == 0 ? to : from;
        const auto at = lower.find(f, 1);  // not the first letter: a different initial is another name
        if (at == std::string::npos) continue;
        lower.replace(at, f.size(), t);
        w[wi] = capital(lower);
        return join(w);
      }
    }
  }
  return name;
}

std::string SyntheticGenerator::swap_order(const std::string& name) {
  auto w = words(name);
  if (w.size() < 2) return name;
  std::rotate(w.begin(), w.begin() + 1, w.end());
  return join(w);
}

std::string SyntheticGenerator::drop_middle(const std::string& name) {
  auto w = words(name);
  if (w.size() < 3) return name;
  w.erase(w.begin() + 1);
  return join(w);
}

std::string SyntheticGenerator::change_legal_form(const std::string& name) {
  for (const auto& form : kForms) {
    if (name.ends_with(" " + std::string(form))) {
      std::string other;
      do other = kForms[rng_() % kForms.size()];
      while (other == form);
      return name.substr(0, name.size() - form.size()) + other;
    }
  }
  return name + " " + std::string(kForms[rng_() % kForms.size()]);
}

std::string SyntheticGenerator::plate_error(const std::string& plate) {
  std::string out = plate;
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] != ' ') at.push_back(i);
  }
  const std::size_t i = at[rng_() % at.size()];
  const char was = out[i];
  do out[i] = std::isdigit(static_cast<unsigned char>(was)) ? static_cast<char>('0' + rng_() % 10)
                                                          : static_cast<char>('A' + rng_() % 26);
  while (out[i] == was);
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
    if (rng_() % 5 == 0) e.names.push_back({company_name(), "Latn", false, "f.k.a."});
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
    std::string stem;
    for (int i = 0; i < 2 + static_cast<int>(rng_() % 2); ++i) stem += kSyllables[rng_() % kSyllables.size()];
    e.names.push_back({std::string(kDescriptors[zipf(rng_, kDescriptors.size())]) + " " + capital(stem), "Latn", true, {}});
    e.identifiers.push_back({IdentifierType::kImo, std::to_string(9000000 + rng_() % 999999), {}, {}});
  }
  return e;
}

}  // namespace cordon::bench
